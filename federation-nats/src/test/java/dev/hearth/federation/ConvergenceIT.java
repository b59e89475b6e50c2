package dev.hearth.federation;

import static dev.hearth.federation.FederationIT.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.nats.NatsTopology;
import dev.hearth.testkit.TestRest;
import dev.hearth.testkit.Waits;
import dev.hearth.testkit.Workers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outages during traffic, both nodes in processes of their own: node b (the replica) is killed with
 * SIGKILL and restarted while both sides keep writing; then node a (the owner) likewise, and while
 * it is down a remote write from b is answered UNAVAILABLE, queued, and applied once when a is back;
 * then node a's nats-server is killed and restarted. Afterwards the shared project's content is the
 * same on both nodes (digests per store) and every message written is there exactly once.
 */
class ConvergenceIT {

  @TempDir Path dir;

  @Test
  void killNodeB_thenOwnerA_thenNatsOfA_duringTraffic_bothConverge_nothingLostOrDoubled() throws Exception {
    try (NatsTopology nats = NatsTopology.twoLinked(dir.resolve("nats"));
         ProcessNode a = new ProcessNode(dir.resolve("a"), "a", nats.server("a").url());
         ProcessNode b = new ProcessNode(dir.resolve("b"), "b", nats.server("b").url())) {
      Supplier<TestRest> onA = () -> a.rest;
      Supplier<TestRest> onB = () -> b.rest;
      String alice = signUp(onA, "alice@acme.test", "Alice");
      String bob = signUp(onB, "bob@globex.test", "Bob");
      String acme = call(onA, "POST", "/v1/orgs", alice, new JsonObject().put("name", "acme")).getString("id");
      String globex = call(onB, "POST", "/v1/orgs", bob, new JsonObject().put("name", "globex")).getString("id");
      String project = call(onA, "POST", "/v1/orgs/" + acme + "/projects", alice, new JsonObject().put("name", "launch")).getString("id");
      String token = call(onA, "POST", "/v1/orgs/" + acme + "/federation/invites", alice, new JsonObject()).getString("linkToken");
      String link = call(onB, "POST", "/v1/orgs/" + globex + "/federation/links", bob, new JsonObject().put("linkToken", token)).getString("id");
      call(onA, "POST", "/v1/orgs/" + acme + "/federation/links/" + link + "/shares", alice, new JsonObject().put("projectId", project));
      eventually(() -> call(onB, "GET", "/v1/orgs/" + globex + "/federation/links/" + link, bob, null).getJsonArray("shares").size() == 1);
      call(onB, "POST", "/v1/orgs/" + globex + "/federation/links/" + link + "/shares/" + project + "/accept", bob, new JsonObject());
      String code = call(onA, "POST", "/v1/projects/" + project + "/invites", alice, new JsonObject().put("role", "project-user")).getString("code");
      call(onB, "POST", "/v1/federation/join-project", bob, new JsonObject().put("code", code));
      String channel = call(onA, "POST", "/v1/projects/" + project + "/chat/channels", alice,
          new JsonObject().put("name", "general").put("visibility", "PUBLIC")).getString("id");
      String messages = "/v1/projects/" + project + "/chat/channels/" + channel + "/messages";
      eventually(() -> call(onB, "GET", "/v1/projects/" + project + "/chat/channels/" + channel, bob, null) != null);
      call(onB, "POST", "/v1/projects/" + project + "/chat/channels/" + channel + "/join", bob, new JsonObject());

      AtomicBoolean stop = new AtomicBoolean();
      Map<String, Boolean> sent = new ConcurrentHashMap<>();
      Workers writers = new Workers();
      writers.start("writer-a", writer("a", stop, sent, id -> call(onA, "POST", messages, alice,
          new JsonObject().put("text", "from a " + id).put("clientMessageId", id))));
      writers.start("writer-b", writer("b", stop, sent, id -> call(onB, "POST", messages, bob,
          new JsonObject().put("text", "from b " + id).put("clientMessageId", id))));
      // Each phase lasts until the writers made progress in it (not a fixed time: on a loaded machine
      // a process node writes a few messages a second, or fewer).
      Progress progress = new Progress(sent, writers);
      progress.await("a", 10);
      progress.await("b", 10);
      b.kill();
      progress.await("a", 10); // a keeps writing while b is down
      b.start();
      progress.await("b", 10);

      // The owner killed: a's writer retries against a dead port, b's writes queue in b's stream. One
      // more write from b, with no client id (so chat cannot deduplicate it), is answered UNAVAILABLE.
      a.kill();
      TestRest.Response queued = b.rest.call("POST", messages, bob, new JsonObject().put("text", "queued while a was down"));
      assertThat(queued.status()).as(queued.body().encode()).isEqualTo(503);
      assertThat(queued.body().getString("message")).contains("is queued as");
      a.start();
      // Applied once: it arrives after the owner is back, and a later write from b (answered by the
      // owner, so the owner has read b's queue up to it) finds it there once, on both nodes.
      Logs logs = new Logs(a, b);
      logs.eventually(Duration.ofSeconds(120), () -> count(all(onA, alice, messages), "queued while a was down") >= 1);
      JsonObject marker = new JsonObject().put("text", "marker after a was back").put("clientMessageId", "marker");
      logs.eventually(Duration.ofSeconds(120), () -> b.rest.call("POST", messages, bob, marker).status() == 200);
      logs.eventually(Duration.ofSeconds(120), () -> count(all(onB, bob, messages), "marker after a was back") == 1);
      assertThat(count(all(onA, alice, messages), "queued while a was down")).isEqualTo(1);
      assertThat(count(all(onB, bob, messages), "queued while a was down")).isEqualTo(1);
      progress.await("a", 10);
      progress.await("b", 10); // b's writes reach the owner again

      nats.server("a").kill();
      progress.await("a", 10); // a keeps writing while its NATS is down; b's writes wait and retry
      nats.server("a").restart();
      progress.await("b", 5);
      stop.set(true);
      writers.join(Duration.ofSeconds(120)); // a writer that gave up on a message fails the test here
      System.out.printf("ConvergenceIT: %d messages written on a, %d on b%n",
          sent.keySet().stream().filter(k -> k.startsWith("a-")).count(), sent.keySet().stream().filter(k -> k.startsWith("b-")).count());
      assertThat(sent.keySet().stream().filter(k -> k.startsWith("a-")).count()).isGreaterThan(20);
      assertThat(sent.keySet().stream().filter(k -> k.startsWith("b-")).count()).isGreaterThan(20);

      for (String store : new String[] {"chat", "kernel"}) {
        String path = "/v1/projects/" + project + "/federation/digest/" + store;
        eventually(() -> call(onA, "GET", path, alice, null).getString("sha256").equals(call(onB, "GET", path, bob, null).getString("sha256")));
      }
      JsonArray onAll = all(onA, alice, messages);
      Map<String, Integer> counts = new HashMap<>();
      for (Object m : onAll) {
        JsonObject message = (JsonObject) m;
        counts.merge(message.getString("clientMessageId", "").isEmpty() ? message.getString("text") : message.getString("clientMessageId"),
            1, Integer::sum);
      }
      assertThat(counts.keySet()).containsAll(sent.keySet()).contains("queued while a was down", "marker");
      assertThat(counts).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
      assertThat(all(onB, bob, messages)).hasSize(onAll.size());
    }
  }

  /** Waits as {@link FederationIT#eventually} does, and quotes the tails of both nodes' logs when it fails. */
  private record Logs(ProcessNode a, ProcessNode b) {
    void eventually(Duration timeout, Callable<Boolean> check) throws Exception {
      try {
        FederationIT.eventually(timeout, check);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\nnode a's log:\n" + tail(a.log()) + "\nnode b's log:\n" + tail(b.log()), e);
      }
    }

    private static String tail(String log) {
      List<String> lines = log.lines().map(l -> l.length() > 400 ? l.substring(0, 400) : l).toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
  }

  private static String signUp(Supplier<TestRest> rest, String email, String name) throws Exception {
    return call(rest, "POST", "/v1/auth/sign-up", null, new JsonObject().put("email", email)
        .put("password", "a-long-password-1").put("displayName", name)).getString("accessToken");
  }

  /** How many of {@code messages} have {@code text}. */
  private static long count(JsonArray messages, String text) {
    return messages.stream().filter(m -> text.equals(((JsonObject) m).getString("text"))).count();
  }

  /** Every message of a channel (pages back from the newest). */
  private static JsonArray all(Supplier<TestRest> rest, String token, String messages) throws Exception {
    JsonArray all = new JsonArray();
    JsonObject page = call(rest, "GET", messages + "?limit=100", token, null);
    while (true) {
      JsonArray ms = page.getJsonArray("messages", new JsonArray());
      all.addAll(ms);
      String before = page.getString("olderCursor", "");
      if (ms.isEmpty() || before.isEmpty()) return all;
      page = call(rest, "GET", messages + "?limit=100&before=" + before, token, null);
    }
  }

  /** Waits (with a deadline) until a writer has written more messages since the last wait for it. */
  private static final class Progress {
    private final Map<String, Boolean> sent;
    private final Workers writers;
    private final Map<String, Long> seen = new HashMap<>();

    Progress(Map<String, Boolean> sent, Workers writers) {
      this.sent = sent;
      this.writers = writers;
    }

    void await(String side, int more) throws InterruptedException {
      long target = seen.getOrDefault(side, 0L) + more;
      Waits.until(target + " messages written on " + side, Duration.ofSeconds(120), () -> {
        writers.failure();
        return count(side) >= target;
      });
      seen.put(side, count(side));
    }

    private long count(String side) {
      return sent.keySet().stream().filter(k -> k.startsWith(side + "-")).count();
    }
  }

  interface Post {
    Object post(String clientId) throws Exception;
  }

  /**
   * Writes numbered messages until stopped; a failed write is retried with the same id until it
   * succeeds, and a message that cannot be written within 90 s fails the test (through {@link Workers}).
   */
  private static Workers.Body writer(String name, AtomicBoolean stop, Map<String, Boolean> sent, Post post) {
    return () -> {
      for (int i = 0; !stop.get(); i++) {
        String id = name + "-" + i;
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (true) {
          try {
            post.post(id);
            sent.put(id, true);
            break;
          } catch (Exception | AssertionError e) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("message " + id + " not written in 90 s", e);
            Thread.sleep(200);
          }
        }
        Thread.sleep(50);
      }
    };
  }

  private static JsonObject call(Supplier<TestRest> rest, String method, String path, String token, JsonObject body) throws Exception {
    TestRest.Response r = rest.get().call(method, path, token, body);
    if (r.status() != 200) throw new AssertionError(method + " " + path + ": " + r.status() + " " + r.body());
    return r.body();
  }
}
