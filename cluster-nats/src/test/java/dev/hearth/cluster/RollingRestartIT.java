package dev.hearth.cluster;

import static dev.hearth.cluster.ClusterClients.awaitHolder;
import static dev.hearth.cluster.ClusterClients.holder;
import static dev.hearth.cluster.ClusterClients.logIn;
import static dev.hearth.cluster.ClusterClients.signUp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.Waits;
import dev.hearth.testkit.nats.NatsServerProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling restart of a three-process cluster (two that may own chat, one front that owns
 * nothing; one nats-server): each process in turn is stopped and started again — an owner first
 * moves chat to the other ({@code hearth cluster move}) — while a client keeps posting through all
 * three, retrying on 503 (Retry-After) and on a process that does not answer. No post fails beyond
 * retries, and every acknowledged post is in the channel exactly once.
 *
 * <p>Identity is not replicated yet (docs/cluster.md): the other processes start with a copy of the
 * first's kernel store, made while it is stopped, as in {@code ForwardingIT}.
 */
class RollingRestartIT {

  @TempDir Path dir;

  @Test
  void everyProcessRestartsInTurn_withoutAFailedOrLostWrite() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.builder(dir.resolve("nats"), "rolling").start()) {
      JsonObject owner = new JsonObject().put("natsUrls", nats.url()).put("owns", new JsonArray().add("chat"))
          .put("leaseTtlMillis", 2000).put("renewMillis", 400).put("marginMillis", 400);
      JsonObject front = owner.copy().put("owns", new JsonArray());
      ClusterProcess a = new ClusterProcess(dir.resolve("a"), "pa", owner);
      List<ClusterProcess> all = new ArrayList<>(List.of(a));
      try {
        String alice = signUp(a, "alice@rolling.test");
        a.sysAdminToken(); // root@pa.test, known to every process after the copy
        String org = a.rest.post("/v1/orgs", alice, new JsonObject().put("name", "Org")).ok().getString("id");
        String project = a.rest.post("/v1/orgs/" + org + "/projects", alice, new JsonObject().put("name", "P")).ok().getString("id");
        String channel = a.rest.post("/v1/projects/" + project + "/chat/channels", alice,
            new JsonObject().put("name", "general").put("visibility", "PUBLIC")).ok().getString("id");
        String messages = "/v1/projects/" + project + "/chat/channels/" + channel + "/messages";

        a.stop();
        for (String p : List.of("b", "c")) {
          ClusterClients.copyTree(dir.resolve("a/data/stores/kernel"), dir.resolve(p + "/data/stores/kernel"));
        }
        List<ClusterProcess> bc = ClusterProcess.together(() -> new ClusterProcess(dir.resolve("b"), "pb", owner, a),
            () -> new ClusterProcess(dir.resolve("c"), "pc", front, a), () -> {
              a.restart();
              return a;
            });
        all.add(bc.get(0));
        ClusterProcess c = bc.get(1);
        all.add(c);
        Map<String, String> aliceOn = new HashMap<>();
        Map<String, String> rootOn = new HashMap<>();
        for (ClusterProcess p : all) {
          aliceOn.put(p.id, logIn(p, "alice@rolling.test"));
          rootOn.put(p.id, logIn(p, "root@pa.test"));
        }
        awaitHolder(c, rootOn.get("pc"), "chat");

        long started = System.nanoTime();
        try (RetryingWriter writer = new RetryingWriter(List.copyOf(all), aliceOn, messages)) {
          Waits.until("20 posts acknowledged", Duration.ofSeconds(60), () -> writer.ackedCount() >= 20);
          // The front first, then the standby, then the owner: the order an operator would take.
          String chatOwner = holder(c, rootOn.get("pc"), "chat");
          List<ClusterProcess> order = new ArrayList<>(List.of(c));
          all.stream().filter(p -> !p.id.equals("pc") && !p.id.equals(chatOwner)).forEach(order::add);
          all.stream().filter(p -> p.id.equals(chatOwner)).forEach(order::add);
          for (ClusterProcess p : order) {
            ClusterProcess other = all.stream().filter(q -> q != p && !q.id.equals("pc")).findFirst().orElseThrow();
            if (p.id.equals(holder(other, rootOn.get(other.id), "chat"))) {
              JsonObject moved = other.rest.post("/v1/cluster/move", rootOn.get(other.id),
                  new JsonObject().put("store", "chat").put("to", other.id)).ok();
              System.out.println("RollingRestartIT: chat moved " + p.id + " -> " + other.id + ", write pause "
                  + moved.getValue("writePauseMillis") + " ms");
            }
            long stoppedAt = System.currentTimeMillis();
            p.stop();
            p.restart();
            awaitHeartbeatAfter(other, rootOn.get(other.id), p.id, stoppedAt);
            int now = writer.ackedCount();
            Waits.until("10 more posts after " + p.id + " restarted", Duration.ofSeconds(60),
                () -> writer.ackedCount() >= now + 10);
          }
          writer.close();
          System.out.printf("RollingRestartIT: 3 processes restarted in %d s; %d posts acknowledged, %d retries,"
              + " longest gap between acknowledgements %d ms%n", (System.nanoTime() - started) / 1_000_000_000L,
              writer.ackedCount(), writer.retries.get(), writer.maxGapMillis);
          assertThat(writer.failures).as("posts that failed beyond retries").isEmpty();

          Map<String, List<String>> stored = ClusterClients.messagesByText(a, aliceOn.get("pa"), messages);
          writer.acked.forEach((text, id) -> assertThat(stored.get(text)).as("post %s", text).containsExactly(id));
          assertThat(stored.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
        }
      } catch (AssertionError | Exception e) {
        for (ClusterProcess p : all) System.out.println("---- log of " + p.id + "\n" + p.log());
        throw e;
      } finally {
        all.forEach(ClusterProcess::close);
      }
    }
  }

  /** Waits (60 s at most) until {@code p} lists process {@code id} with a heartbeat after {@code afterMillis}. */
  private static void awaitHeartbeatAfter(ClusterProcess p, String root, String id, long afterMillis) throws Exception {
    Waits.until(id + " back in placement", Duration.ofSeconds(60), () -> {
      for (Object o : p.rest.get("/v1/cluster/status", root).ok().getJsonArray("processes", new JsonArray())) {
        JsonObject e = (JsonObject) o;
        if (e.getString("processId").equals(id) && Instant.parse(e.getString("heartbeatAt")).toEpochMilli() > afterMillis) {
          return true;
        }
      }
      return false;
    });
  }
}
