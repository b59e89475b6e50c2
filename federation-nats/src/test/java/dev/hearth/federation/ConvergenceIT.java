package dev.hearth.federation;

import static dev.hearth.federation.FederationIT.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.federation.testing.NatsTopology;
import dev.hearth.kernel.testing.TestRest;
import dev.hearth.kernel.testing.Waits;
import dev.hearth.kernel.testing.Workers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outages during traffic: node b (its own process) is killed with SIGKILL and restarted while both
 * sides keep writing, then node a's nats-server is killed and restarted. Afterwards the shared
 * project's content is the same on both nodes (digests per store) and every message written is
 * there exactly once.
 */
class ConvergenceIT {

  @TempDir Path dir;

  @Test
  void killNodeB_thenKillNatsOfA_duringTraffic_bothConverge_nothingLostOrDoubled() throws Exception {
    try (NatsTopology nats = NatsTopology.twoLinked(dir.resolve("nats"));
         FedNode a = new FedNode(dir.resolve("a"), "a", nats.server("a").url());
         ProcessNode b = new ProcessNode(dir.resolve("b"), "b", nats.server("b").url())) {
      Supplier<TestRest> onB = () -> b.rest;
      FedNode.User alice = a.signUp("alice@acme.test", "Alice");
      String bob = call(onB, "POST", "/v1/auth/sign-up", null, new JsonObject().put("email", "bob@globex.test")
          .put("password", "a-long-password-1").put("displayName", "Bob")).getString("accessToken");
      String acme = a.org(alice, "acme");
      String globex = call(onB, "POST", "/v1/orgs", bob, new JsonObject().put("name", "globex")).getString("id");
      String project = a.project(alice, acme, "launch");
      String token = a.post("/v1/orgs/" + acme + "/federation/invites", alice, new JsonObject()).getString("linkToken");
      String link = call(onB, "POST", "/v1/orgs/" + globex + "/federation/links", bob, new JsonObject().put("linkToken", token)).getString("id");
      a.post("/v1/orgs/" + acme + "/federation/links/" + link + "/shares", alice, new JsonObject().put("projectId", project));
      eventually(() -> call(onB, "GET", "/v1/orgs/" + globex + "/federation/links/" + link, bob, null).getJsonArray("shares").size() == 1);
      call(onB, "POST", "/v1/orgs/" + globex + "/federation/links/" + link + "/shares/" + project + "/accept", bob, new JsonObject());
      String code = a.post("/v1/projects/" + project + "/invites", alice, new JsonObject().put("role", "project-user")).getString("code");
      call(onB, "POST", "/v1/federation/join-project", bob, new JsonObject().put("code", code));
      String channel = a.channel(alice, project, "general");
      eventually(() -> call(onB, "GET", "/v1/projects/" + project + "/chat/channels/" + channel, bob, null) != null);
      call(onB, "POST", "/v1/projects/" + project + "/chat/channels/" + channel + "/join", bob, new JsonObject());

      AtomicBoolean stop = new AtomicBoolean();
      Map<String, Boolean> sent = new ConcurrentHashMap<>();
      Workers writers = new Workers();
      writers.start("writer-a", writer("a", stop, sent, id -> a.postMessage(alice, project, channel, "from a " + id, id)));
      writers.start("writer-b", writer("b", stop, sent, id -> call(onB, "POST", "/v1/projects/" + project + "/chat/channels/" + channel
          + "/messages", bob, new JsonObject().put("text", "from b " + id).put("clientMessageId", id))));
      // Each phase lasts until the writers made progress in it (not a fixed time: on a loaded machine
      // a process node writes a few messages a second, or fewer).
      Progress progress = new Progress(sent, writers);
      progress.await("a", 10);
      progress.await("b", 10);
      b.kill();
      progress.await("a", 10); // a keeps writing while b is down
      b.start();
      progress.await("b", 10);
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
        eventually(() -> a.get(path, alice).getString("sha256").equals(call(onB, "GET", path, bob, null).getString("sha256")));
      }
      JsonArray onA = a.messages(alice, project, channel);
      Map<String, Integer> counts = new HashMap<>();
      for (Object m : onA) counts.merge(((JsonObject) m).getString("clientMessageId", "?"), 1, Integer::sum);
      assertThat(counts.keySet()).containsAll(sent.keySet());
      assertThat(counts.values()).allMatch(n -> n == 1);
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
