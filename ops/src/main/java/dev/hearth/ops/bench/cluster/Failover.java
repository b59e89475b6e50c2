package dev.hearth.ops.bench.cluster;

import dev.hearth.ops.bench.api.BenchUser;
import dev.hearth.ops.bench.api.Http;
import dev.hearth.ops.bench.realtime.ChatSetup;
import dev.hearth.ops.bench.realtime.SysAdmin;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The failover part of {@code hearth bench cluster}: a client posts to a channel through a front
 * without pause (one post in flight; a refused or timed-out post is sent again with the same
 * {@code clientMessageId}, which chat answers with the first message), while the chat store's owner
 * is killed with SIGKILL {@code kills} times, each time once the other candidate follows the store
 * with no lag, and started again after the take-over. Per kill: the time from the kill to the first
 * post sent after it that was accepted. At the end every accepted post is read back: lost and
 * duplicated ones are counted.
 */
final class Failover {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Duration POST_TIMEOUT = Duration.ofSeconds(5);

  private final ClusterBench.Config config;
  private final PrintWriter err;
  private final List<ServeProcess> owners;
  private final ServeProcess front;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  Failover(ClusterBench.Config config, PrintWriter err, List<ServeProcess> owners, ServeProcess front) {
    this.config = config;
    this.err = err;
    this.owners = owners;
    this.front = front;
  }

  ClusterBench.Failovers run() throws Exception {
    Vertx vertx = Vertx.vertx();
    ChatSetup.World world;
    String admin;
    try (Http http = new Http(vertx, front.url(), 4); Http first = new Http(vertx, owners.get(0).url(), 1)) {
      admin = SysAdmin.fromDataDir(first, owners.get(0).dataDir());
      world = ChatSetup.create(http, 2, err);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    Poster poster = new Poster(world.users().get(1), world.messagesPath());
    Thread thread = new Thread(poster, "bench-failover-poster");
    thread.start();
    List<Double> millis = new ArrayList<>();
    String error = null;
    try {
      for (int k = 1; k <= config.kills(); k++) {
        ServeProcess owner = owner(admin);
        ServeProcess standby = owners.stream().filter(p -> p != owner).findFirst().orElseThrow();
        awaitWarm(admin, standby);
        long before = poster.accepted();
        long kill = System.nanoTime();
        owner.kill();
        long acceptedAt = poster.firstAcceptedSentAfter(kill, before, WAIT);
        double ms = (acceptedAt - kill) / 1e6;
        millis.add(ms);
        log("failover %d/%d: killed %s; %s took the writes %,.0f ms after the kill (%,d posts accepted so far)", k,
            config.kills(), owner.id, standby.id, ms, before);
        owner.launch();
      }
    } catch (Exception e) {
      error = e.getMessage();
      log("failover: stopped: %s", e);
    } finally {
      poster.stop();
      thread.join(TimeUnit.SECONDS.toMillis(30));
    }
    Map<String, Integer> seen = readBack(world, poster.user);
    long lost = 0;
    long duplicates = 0;
    for (String id : poster.acceptedIds) {
      int n = seen.getOrDefault(id, 0);
      if (n == 0) lost++;
      if (n > 1) duplicates++;
    }
    log("failover: %,d posts accepted, %,d lost, %,d duplicated (read back through %s)", poster.acceptedIds.size(), lost,
        duplicates, front.id);
    return new ClusterBench.Failovers(millis, poster.acceptedIds.size(), lost, duplicates, error);
  }

  /** The process holding the chat store's lease, as the front's cluster status says. */
  private ServeProcess owner(String admin) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> holder = status(admin).map(s -> {
        for (Object o : s.getJsonArray("leases", new JsonArray())) {
          JsonObject l = (JsonObject) o;
          if ("chat".equals(l.getString("store"))) return l.getString("holder");
        }
        return null;
      });
      for (ServeProcess p : owners) {
        if (holder.isPresent() && p.id.equals(holder.get()) && p.alive()) return p;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no live process held the chat store's lease within " + WAIT.toSeconds() + " s");
  }

  /** Waits until {@code standby}'s placement entry says it follows chat with no lag. */
  private void awaitWarm(String admin, ServeProcess standby) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<JsonObject> s = status(admin);
      if (s.isPresent()) {
        for (Object o : s.get().getJsonArray("processes", new JsonArray())) {
          JsonObject p = (JsonObject) o;
          if (!standby.id.equals(p.getString("processId"))) continue;
          for (Object st : p.getJsonArray("stores", new JsonArray())) {
            JsonObject store = (JsonObject) st;
            if ("chat".equals(store.getString("name")) && "0".equals(String.valueOf(store.getValue("replicaLag")))) return;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(standby.id + " did not follow the chat store with no lag within " + WAIT.toSeconds()
        + " s");
  }

  private Optional<JsonObject> status(String admin) {
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(front.url().resolve("/v1/cluster/status"))
          .header("authorization", "Bearer " + admin).timeout(POST_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(new JsonObject(r.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** How often each {@code clientMessageId} is in the channel, page by page from the oldest. */
  private Map<String, Integer> readBack(ChatSetup.World world, BenchUser user) throws Exception {
    Map<String, Integer> seen = new HashMap<>();
    String after = "";
    for (int page = 0; page < 100_000; page++) {
      String q = world.messagesPath() + "?limit=100&oldestFirst=true" + (after.isEmpty() ? "" : "&after=" + after);
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(front.url().resolve(q))
          .header("authorization", "Bearer " + user.accessToken()).timeout(Duration.ofSeconds(30)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new IllegalStateException("reading the channel back: HTTP " + r.statusCode() + " " + r.body());
      JsonObject body = new JsonObject(r.body());
      for (Object o : body.getJsonArray("messages", new JsonArray())) {
        String id = ((JsonObject) o).getString("clientMessageId", "");
        if (!id.isEmpty()) seen.merge(id, 1, Integer::sum);
      }
      after = body.getString("newerCursor", "");
      if (after.isEmpty()) return seen;
    }
    throw new IllegalStateException("reading the channel back: more than 100,000 pages");
  }

  private void log(String format, Object... args) {
    err.printf(format + "%n", args);
    err.flush();
  }

  /** The posting client: one post in flight, each post retried with its id until accepted. */
  private final class Poster implements Runnable {
    final BenchUser user;
    private final String path;
    final ConcurrentLinkedQueue<String> acceptedIds = new ConcurrentLinkedQueue<>();
    /** Send time (nanoTime) and answer time of each accepted post's successful attempt, in order. */
    private final List<long[]> accepted = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stop;

    Poster(BenchUser user, String path) {
      this.user = user;
      this.path = path;
    }

    @Override
    public void run() {
      int n = 0;
      while (!stop) {
        String id = "failover-" + n;
        long sent = System.nanoTime();
        int status = post(id);
        if (status >= 200 && status < 300) {
          accepted.add(new long[] {sent, System.nanoTime()});
          acceptedIds.add(id);
          n++;
        } else {
          if (status == 401) relogIn();
          pause(20);
        }
      }
    }

    private int post(String id) {
      JsonObject body = new JsonObject().put("text", "failover " + id).put("clientMessageId", id);
      try {
        return client.send(HttpRequest.newBuilder(front.url().resolve(path)).header("authorization",
            "Bearer " + user.accessToken()).header("content-type", "application/json").timeout(POST_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofString(body.encode(), StandardCharsets.UTF_8)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException e) {
        return 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop = true;
        return 0;
      }
    }

    private void relogIn() {
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(front.url().resolve("/v1/auth/log-in"))
            .header("content-type", "application/json").timeout(POST_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(user.logInBody())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) user.session(new JsonObject(r.body()), System.nanoTime());
      } catch (IOException e) {
        // the next post tries again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    long accepted() {
      return acceptedIds.size();
    }

    /**
     * The answer time of the first accepted post sent after {@code t} (nanoTime), looking from the
     * {@code from}-th accepted post on (the count before {@code t}); waits up to {@code wait}.
     */
    long firstAcceptedSentAfter(long t, long from, Duration wait) throws InterruptedException {
      long deadline = System.nanoTime() + wait.toNanos();
      int next = (int) from;
      while (System.nanoTime() < deadline) {
        synchronized (accepted) {
          for (; next < accepted.size(); next++) {
            long[] a = accepted.get(next);
            if (a[0] - t > 0) return a[1];
          }
        }
        Thread.sleep(5);
      }
      throw new IllegalStateException("no post was accepted within " + wait.toSeconds() + " s of the kill");
    }

    void stop() {
      stop = true;
    }

    private void pause(long ms) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop = true;
      }
    }
  }
}
