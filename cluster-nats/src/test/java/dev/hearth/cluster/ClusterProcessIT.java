package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.nats.NatsServerProcess;
import dev.hearth.testkit.nats.NatsTopology;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code hearth serve} JVMs that may both own the chat store, on three clustered NATS servers:
 * one owns it; a SIGSTOPped owner loses it to the other and, resumed, refuses writes and has written
 * nothing since; a SIGKILLed owner's store is taken over within TTL + renew. Placement is read
 * through {@code hearth.cluster.v1.ClusterService/Status} (REST, as a sys-admin).
 */
class ClusterProcessIT {

  private static final int TTL = 2000;
  private static final int RENEW = 400;

  @TempDir Path dir;

  @Test
  void pausedOwnerRefusesWrites_andAKilledOwnersStoreIsTakenOver() throws Exception {
    try (NatsTopology nats = NatsTopology.clustered(dir.resolve("nats"), 3)) {
      JsonObject cluster = new JsonObject()
          .put("natsUrls", new JsonArray(nats.servers().stream().map(NatsServerProcess::url).toList()))
          .put("owns", new JsonArray().add("chat")).put("leaseTtlMillis", TTL).put("renewMillis", RENEW).put("marginMillis", 400);
      // One after the other: the second starts with the first's keys, as the processes of a cluster share them.
      try (ClusterProcess a = new ClusterProcess(dir.resolve("a"), "pa", cluster);
          ClusterProcess b = new ClusterProcess(dir.resolve("b"), "pb", cluster, a)) {
        String rootA = a.sysAdminToken();
        String rootB = b.sysAdminToken();
        awaitHolder(a, rootA, "pa", "pb");
        ClusterProcess owner = holder(a, rootA).equals("pa") ? a : b;
        ClusterProcess standby = owner == a ? b : a;
        String rootOwner = owner == a ? rootA : rootB;
        String rootStandby = owner == a ? rootB : rootA;

        // Placement: both processes, their roles, and who owns chat.
        JsonObject status = status(owner, rootOwner);
        assertThat(status.getInteger("replicas")).isEqualTo(3);
        assertThat(status.getJsonArray("processes").stream().map(p -> ((JsonObject) p).getString("processId")))
            .containsExactlyInAnyOrder("pa", "pb");
        assertThat(status.getJsonArray("leases", new JsonArray()).getJsonObject(0).getString("store")).isEqualTo("chat");

        // The owner takes writes.
        String alice = owner.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "alice@a.test")
            .put("password", "a-long-password-1").put("displayName", "Alice")).ok().getString("accessToken");
        String org = owner.rest.post("/v1/orgs", alice, new JsonObject().put("name", "Acme")).ok().getString("id");
        String project = owner.rest.post("/v1/orgs/" + org + "/projects", alice, new JsonObject().put("name", "P")).ok().getString("id");
        String channel = owner.rest.post("/v1/projects/" + project + "/chat/channels", alice,
            new JsonObject().put("name", "general").put("visibility", "PUBLIC")).ok().getString("id");
        String messages = "/v1/projects/" + project + "/chat/channels/" + channel + "/messages";
        owner.rest.post(messages, alice, new JsonObject().put("text", "before the pause")).ok();
        long chatSeq = storeSeq(awaitOwnEntry(owner, rootOwner, System.currentTimeMillis()), "chat");
        assertThat(chatSeq).isPositive();

        // SIGSTOP the owner past its lease: the standby takes chat over.
        owner.signal("STOP");
        long stopped = System.nanoTime();
        awaitHolder(standby, rootStandby, standby.id);
        long pausedTakeOver = (System.nanoTime() - stopped) / 1_000_000;

        // SIGCONT: the first owner no longer writes chat itself, and wrote nothing after losing the lease:
        // it forwards the write to the new owner, which does not know alice (identity is not replicated).
        owner.signal("CONT");
        long resumedAt = System.currentTimeMillis();
        TestRest.Response refused = owner.rest.call("POST", messages, alice, new JsonObject().put("text", "after the pause"));
        assertThat(refused.status()).as("write on the resumed ex-owner: %s", refused).isEqualTo(401);
        assertThat(refused.body().getString("message")).contains("on the process that owns store 'chat'");
        JsonObject resumed = awaitOwnEntry(owner, rootOwner, resumedAt);
        assertThat(resumed.getJsonArray("owned", new JsonArray())).isEmpty();
        assertThat(storeSeq(resumed, "chat")).as("chat's last sequence on the ex-owner").isEqualTo(chatSeq);
        JsonArray texts = new JsonArray(owner.rest.get(messages + "?limit=100", alice).ok().getJsonArray("messages")
            .stream().map(m -> ((JsonObject) m).getString("text")).toList());
        assertThat(texts.getList()).containsExactly("before the pause");
        assertThat(owner.log()).contains("lost the lease of store chat");

        // SIGKILL the new owner: the first takes chat back within TTL + renew, and takes writes again.
        standby.signal("KILL");
        long killed = System.nanoTime();
        awaitHolder(owner, rootOwner, owner.id);
        long killedTakeOver = (System.nanoTime() - killed) / 1_000_000;
        owner.rest.post(messages, alice, new JsonObject().put("text", "after the take-over")).ok();
        assertThat(killedTakeOver).isLessThanOrEqualTo(TTL + 2 * RENEW + 3000);
        System.out.printf("ClusterProcessIT: take-over (ttl %d ms, renew %d ms) after SIGSTOP %d ms, after SIGKILL %d ms%n",
            TTL, RENEW, pausedTakeOver, killedTakeOver);
      }
    }
  }

  private static JsonObject status(ClusterProcess p, String token) throws Exception {
    return p.rest.get("/v1/cluster/status", token).ok();
  }

  /** The holder of chat's lease, as {@code p} reads it; "" when none. */
  private static String holder(ClusterProcess p, String token) throws Exception {
    for (Object o : status(p, token).getJsonArray("leases", new JsonArray())) {
      JsonObject lease = (JsonObject) o;
      if (lease.getString("store").equals("chat")) return lease.getString("holder", "");
    }
    return "";
  }

  /** Polls {@code p}'s status (20 s at most) until chat's lease is held by one of {@code ids}. */
  private static void awaitHolder(ClusterProcess p, String token, String... ids) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!List.of(ids).contains(holder(p, token))) {
      assertThat(System.nanoTime()).as("chat held by one of %s within 20 s", List.of(ids)).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** {@code p}'s own placement entry once it has a heartbeat at or after {@code sinceMillis} (20 s at most). */
  private static JsonObject awaitOwnEntry(ClusterProcess p, String token, long sinceMillis) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      for (Object o : status(p, token).getJsonArray("processes", new JsonArray())) {
        JsonObject entry = (JsonObject) o;
        if (entry.getString("processId").equals(p.id)
            && Instant.parse(entry.getString("heartbeatAt")).toEpochMilli() >= sinceMillis) {
          return entry;
        }
      }
      assertThat(System.nanoTime()).as("a heartbeat of %s", p.id).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static long storeSeq(JsonObject entry, String store) {
    for (Object o : entry.getJsonArray("stores", new JsonArray())) {
      JsonObject s = (JsonObject) o;
      if (s.getString("name").equals(store)) return Long.parseLong(String.valueOf(s.getValue("lastSequence")));
    }
    return 0;
  }
}
