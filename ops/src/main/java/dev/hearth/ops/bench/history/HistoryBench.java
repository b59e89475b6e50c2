package dev.hearth.ops.bench.history;

import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.store.Stores;
import dev.hearth.ops.bench.LocalNode;
import dev.hearth.ops.bench.ModuleJar;
import dev.hearth.ops.bench.Units;
import dev.hearth.ops.bench.api.BenchUser;
import dev.hearth.ops.bench.api.BenchUsers;
import dev.hearth.ops.bench.api.Http;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * Runs {@code hearth bench history}: a node in this process with the chat module; an owner makes a
 * project and one public channel per size; the node stops and each channel gets its messages written
 * straight into chat's store ({@link SeededMessages}); the node starts again on the same data and,
 * once chat's unread view has folded the seeded messages, the owner reads pages over REST, one call at
 * a time, the channels taking turns: the newest page ({@code ListMessages} without cursors) and a
 * page deep in the past ({@code before=} the message a tenth of the way from the oldest).
 */
final class HistoryBench {

  /** What to run; validated by {@link HistoryBenchCommand}. */
  record Config(List<Integer> sizes, int pages, int warmupPages, int limit, Path dir, Path chatJar) {}

  /** One channel's page latencies, nanoseconds. */
  record Channel(int size, String id, String deepCursor, Histogram newest, Histogram deep) {}

  record Report(List<Channel> channels, int limit, double seedSeconds, double foldSeconds, Double loadAverage) {}

  /** Whoever the seeded messages are by: chat keeps an author id, pages do not look it up. */
  private static final String AUTHOR = "00000000-0000-7000-8000-00000000b0b0";

  private final Config config;
  private final PrintWriter err;

  HistoryBench(Config config, PrintWriter err) {
    this.config = config;
    this.err = err;
  }

  Report run() throws Exception {
    Path jar = ModuleJar.find("chat", config.chatJar());
    Path dir = config.dir().resolve("history-bench-" + System.currentTimeMillis());
    BenchUser owner = BenchUsers.fresh();
    String projectId;
    List<String> channelIds = new ArrayList<>();
    log("setup: a node in this process under %s, chat module %s", dir, jar);
    try (LocalNode node = LocalNode.start(dir, jar, "chat")) {
      Vertx vertx = Vertx.vertx();
      try (Http http = new Http(vertx, node.url(), 4)) {
        BenchUsers.await(BenchUsers.call(http, new Http.Request(HttpMethod.POST, "/v1/auth/sign-up", null, owner.logInBody()),
            "sign-up of " + owner.email()).map(a -> {
              owner.session(a.json(), System.nanoTime());
              return null;
            }));
        String orgId = id(call(http, owner, "/v1/orgs", new JsonObject().put("name", "history bench")), "creating an org");
        projectId = id(call(http, owner, "/v1/orgs/" + orgId + "/projects", new JsonObject().put("name", "history bench")),
            "creating a project");
        for (int size : config.sizes()) {
          channelIds.add(id(call(http, owner, "/v1/projects/" + projectId + "/chat/channels",
              new JsonObject().put("name", "history " + size).put("visibility", "PUBLIC")),
              "creating a chat channel (is the chat module installed?)"));
        }
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
    // The node is stopped: its data directory is this process's alone while the messages go in.
    long t0 = System.nanoTime();
    List<String> cursors = new ArrayList<>();
    try (Stores stores = Stores.open(LocalNode.dataDir(dir), MasterKey.loadOrCreate(LocalNode.masterKey(dir)).key(),
        StoreOptions.defaults())) {
      SeededMessages seeder = new SeededMessages(stores.store("chat"));
      for (int i = 0; i < config.sizes().size(); i++) {
        int size = config.sizes().get(i);
        log("seed: %,d messages into channel %s, %d per transaction", size, channelIds.get(i), SeededMessages.PER_TX);
        List<String> ids = seeder.seed(projectId, channelIds.get(i), AUTHOR, size, err);
        cursors.add(ids.get(ids.size() / 10));
      }
    }
    double seedSeconds = (System.nanoTime() - t0) / 1e9;
    log("seed: done in %.1f s; starting the node again", seedSeconds);
    try (LocalNode node = LocalNode.start(dir, jar, "chat")) {
      Vertx vertx = Vertx.vertx();
      try (Http http = new Http(vertx, node.url(), 1)) {
        BenchUsers.await(BenchUsers.call(http, new Http.Request(HttpMethod.POST, "/v1/auth/log-in", null, owner.logInBody()),
            "log-in of " + owner.email()).map(a -> {
              owner.session(a.json(), System.nanoTime());
              return null;
            }));
        long f0 = System.nanoTime();
        awaitFolded(http, owner, projectId);
        double foldSeconds = (System.nanoTime() - f0) / 1e9;
        log("setup: chat's unread view folded the seeded messages in %.1f s; reading pages", foldSeconds);
        Double load = Units.loadAverage();
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < channelIds.size(); i++) {
          channels.add(new Channel(config.sizes().get(i), channelIds.get(i), cursors.get(i), histogram(), histogram()));
        }
        for (int round = 0; round < config.warmupPages() + config.pages(); round++) {
          boolean record = round >= config.warmupPages();
          for (Channel c : channels) {
            long newest = page(http, owner, projectId, c, "");
            long deep = page(http, owner, projectId, c, c.deepCursor());
            if (record) {
              c.newest().recordValue(newest);
              c.deep().recordValue(deep);
            }
          }
        }
        return new Report(channels, config.limit(), seedSeconds, foldSeconds, load);
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * GetUnread answers once the view has folded every write so far (docs/chat.md, "Unread counts"):
   * while it folds, a call may reach its deadline, and is asked again.
   */
  private void awaitFolded(Http http, BenchUser owner, String projectId) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(60);
    while (true) {
      String answer;
      try {
        Http.Answer a = get(http, owner, "/v1/projects/" + projectId + "/chat/unread");
        if (a.ok()) return;
        answer = a.describe();
      } catch (IllegalStateException e) {
        answer = e.getMessage();
      }
      if (System.nanoTime() > deadline) throw new IllegalStateException("GetUnread still answers " + answer);
      log("setup: GetUnread: %s (the view is still folding); asking again", answer);
    }
  }

  /** One page read, timed from the request's send to its whole answer. */
  private long page(Http http, BenchUser owner, String projectId, Channel c, String before) {
    String path = "/v1/projects/" + projectId + "/chat/channels/" + c.id() + "/messages?limit=" + config.limit()
        + (before.isEmpty() ? "" : "&before=" + before);
    long t0 = System.nanoTime();
    Http.Answer a = get(http, owner, path);
    long took = System.nanoTime() - t0;
    if (!a.ok()) throw new IllegalStateException("GET " + path + " answered " + a.describe());
    int n = a.json().getJsonArray("messages").size();
    if (n != config.limit()) {
      throw new IllegalStateException("GET " + path + " returned " + n + " messages, not " + config.limit());
    }
    return took;
  }

  private static Http.Answer get(Http http, BenchUser u, String path) {
    return await(http.send(new Http.Request(HttpMethod.GET, path, u.accessToken(), null)), "GET " + path);
  }

  private static Http.Answer call(Http http, BenchUser u, String path, JsonObject body) {
    return await(BenchUsers.call(http, new Http.Request(HttpMethod.POST, path, u.accessToken(),
        body.toBuffer().getBytes()), "POST " + path), "POST " + path);
  }

  /**
   * The answer to one call, or an IllegalStateException naming it: its failure, or {@link Http}'s
   * deadline ({@link Http.NoAnswer}); the wait here is only a backstop past that deadline.
   */
  private static Http.Answer await(Future<Http.Answer> f, String call) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(Http.TIMEOUT_MS + 30_000L, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      String why = c.getMessage() == null ? c.toString() : c.getMessage();
      throw new IllegalStateException(why.startsWith(call) ? why : call + ": " + why, c);
    } catch (TimeoutException e) {
      throw new IllegalStateException(call + ": no answer within " + (Http.TIMEOUT_MS + 30_000) / 1000
          + " s, past the client's own deadline", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(call + ": interrupted", e);
    }
  }

  private static String id(Http.Answer a, String what) {
    String id = a.json().getString("id");
    if (id == null || id.isEmpty()) throw new IllegalStateException(what + " answered no id: " + a.describe());
    return id;
  }

  private static Histogram histogram() {
    return new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  }

  private void log(String format, Object... args) {
    err.printf(format + "%n", args);
    err.flush();
  }
}
