package dev.hearth.ops.bench.realtime;

import dev.hearth.ops.bench.api.NodeProbe;
import dev.hearth.ops.bench.api.BenchUser;
import dev.hearth.ops.bench.api.BenchUsers;
import dev.hearth.ops.bench.api.Http;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code hearth bench ws-idle}: the node's heap (after a full GC) and RSS before and after K
 * idle authenticated WebSocket connections, read from GetNodeStats.
 */
final class WsIdleBench {

  /** What to run; {@code dataDir} or {@code adminEmail} (with {@code adminPassword}) gives the sys-admin. */
  record Config(URI url, int connections, int users, int connectRate, Duration hold, Path dataDir, String adminEmail,
      String adminPassword) {

    JsonObject toJson() {
      return new JsonObject().put("url", url.toString()).put("connections", connections).put("users", users)
          .put("connectRate", connectRate).put("holdMs", hold.toMillis());
    }
  }

  /** Memory as the node reported it. */
  record Memory(long heapUsed, long heapCommitted, long rss, long realtimeConnections) {

    static Memory of(JsonObject stats) {
      return new Memory(SysAdmin.int64(stats, "heapUsedBytes"), SysAdmin.int64(stats, "heapCommittedBytes"),
          SysAdmin.int64(stats, "rssBytes"), SysAdmin.int64(stats, "realtimeConnections"));
    }

    JsonObject toJson() {
      return new JsonObject().put("heapUsedBytes", heapUsed).put("heapCommittedBytes", heapCommitted).put("rssBytes", rss)
          .put("realtimeConnections", realtimeConnections);
    }
  }

  /** The run: memory before, with the connections open, and after they closed. */
  record Report(Config config, int opened, double connectSeconds, Memory before, Memory open, Memory closed,
      Map<String, Long> closedByNode, String firstFailure) {

    /** Heap after a full GC per open connection, in bytes. */
    double heapPerConnection() {
      return opened == 0 ? 0 : (double) (open.heapUsed - before.heapUsed) / opened;
    }

    double rssPerConnection() {
      return opened == 0 ? 0 : (double) (open.rss - before.rss) / opened;
    }
  }

  private static final int PARALLEL = 64;
  private static final long TIMEOUT_S = 900;

  private final Config config;
  private final PrintWriter err;

  WsIdleBench(Config config, PrintWriter err) {
    this.config = config;
    this.err = err;
  }

  Report run() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Http http = new Http(vertx, config.url(), 8);
        RealtimeClients ws = new RealtimeClients(vertx, config.url(), config.connections())) {
      NodeProbe.health(http, config.url());
      String admin = config.dataDir() != null ? SysAdmin.fromDataDir(http, config.dataDir())
          : SysAdmin.logIn(http, config.adminEmail(), config.adminPassword());
      log("setup: signing up %d users (bench-*@bench.test)", config.users());
      List<BenchUser> users = new ArrayList<>();
      for (int i = 0; i < config.users(); i++) users.add(BenchUsers.fresh());
      BenchUsers.await(BenchUsers.forEach(users.size(), i -> BenchUsers.call(http,
              new Http.Request(HttpMethod.POST, "/v1/auth/sign-up", null, users.get(i).logInBody()), "sign-up")
          .map(a -> {
            users.get(i).session(a.json(), System.nanoTime());
            return null;
          })));
      Memory before = memory(http, admin);
      log("before: heap used %,d bytes (after a full GC), RSS %,d bytes, %,d realtime connections", before.heapUsed(),
          before.rss(), before.realtimeConnections());
      log("opening %,d authenticated WebSocket connections, %,d per second", config.connections(), config.connectRate());
      long t0 = System.nanoTime();
      String[] firstFailure = new String[1];
      long[] failures = new long[1];
      RealtimeClients.forEach(config.connections(), PARALLEL, i -> paced(vertx, t0, i)
          .compose(v -> ws.open(users.get(i % users.size()).accessToken(), null, text -> { }))
          .recover(e -> {
            synchronized (failures) {
              failures[0]++;
              if (firstFailure[0] == null) firstFailure[0] = e.getMessage();
            }
            return Future.succeededFuture();
          })
          .onSuccess(x -> {
            if ((i + 1) % 1000 == 0) log("  %,d of %,d", i + 1, config.connections());
          })).toCompletionStage().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
      double connectSeconds = (System.nanoTime() - t0) / 1e9;
      int opened = ws.openCount();
      log("%,d open in %.1f s (%,d failed%s); holding them idle for %s", opened, connectSeconds, failures[0],
          firstFailure[0] == null ? "" : ", first: " + firstFailure[0], ChatBench.human(config.hold()));
      Thread.sleep(config.hold().toMillis());
      Memory open = memory(http, admin);
      log("open: heap used %,d bytes, RSS %,d bytes, %,d realtime connections", open.heapUsed(), open.rss(),
          open.realtimeConnections());
      Map<String, Long> closedByNode = ws.closedByNode();
      int stillOpen = ws.openCount();
      ws.close();
      Thread.sleep(2000);
      Memory closed = memory(http, admin);
      log("closed: heap used %,d bytes, RSS %,d bytes, %,d realtime connections", closed.heapUsed(), closed.rss(),
          closed.realtimeConnections());
      return new Report(config, Math.min(opened, stillOpen), connectSeconds, before, open, closed, closedByNode, firstFailure[0]);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /** Completes when connection {@code i} is due: connections are spread at --connect-rate. */
  private Future<Void> paced(Vertx vertx, long t0, int i) {
    long due = t0 + (long) (i * 1e9 / config.connectRate());
    long waitMs = TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime());
    if (waitMs < 1) return Future.succeededFuture();
    Promise<Void> p = Promise.promise();
    vertx.setTimer(waitMs, t -> p.complete());
    return p.future();
  }

  /**
   * Stats twice with a GC each: the second GC finds what the first one's finalizers and references freed. A
   * pooled connection the node closed meanwhile (its HTTP idle rule, 30 s, is shorter than --hold; on a loaded
   * machine closing 10,000 WebSockets takes longer too) fails the call with "Connection was closed": it is
   * asked once more, on a new connection.
   */
  private static Memory memory(Http http, String admin) throws Exception {
    return Memory.of(stats(http, admin).compose(x -> stats(http, admin))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
  }

  private static Future<JsonObject> stats(Http http, String admin) {
    return SysAdmin.stats(http, admin, true)
        .recover(e -> e instanceof HttpClosedException ? SysAdmin.stats(http, admin, true) : Future.failedFuture(e));
  }

  private void log(String format, Object... args) {
    err.printf(format + "%n", args);
    err.flush();
  }
}
