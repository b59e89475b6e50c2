package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.nats.NatsServerProcess;
import dev.hearth.testkit.nats.NatsTopology;
import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.kernel.store.Stores;
import dev.hearth.testkit.TestRest;
import dev.hearth.module.change.ChangeEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicated change log with two {@code hearth serve} JVMs on three clustered NATS servers:
 * the owner's chat writes reach the standby's own store while it stands by; the owner is killed
 * (SIGKILL) while a client writes; the standby takes chat over, takes writes, and its store holds
 * every write the owner acknowledged, exactly once.
 */
class ReplicatedLogIT {

  private static final int TTL = 2000;
  private static final int RENEW = 400;

  @TempDir Path dir;

  @Test
  void standbyFollowsTheOwner_andAfterKill9HasEveryAcknowledgedWriteExactlyOnce() throws Exception {
    try (NatsTopology nats = NatsTopology.clustered(dir.resolve("nats"), 3)) {
      JsonObject cluster = new JsonObject()
          .put("natsUrls", new JsonArray(nats.servers().stream().map(NatsServerProcess::url).toList()))
          .put("owns", new JsonArray().add("chat")).put("leaseTtlMillis", TTL).put("renewMillis", RENEW).put("marginMillis", 400);
      ClusterProcess a = new ClusterProcess(dir.resolve("a"), "pa", cluster);
      ClusterProcess b = null;
      try {
        String rootA = a.sysAdminToken();
        awaitOwner(a, rootA, "pa");
        // The standby starts with the owner's keys: it opens the owner's frames.
        b = new ClusterProcess(dir.resolve("b"), "pb", cluster, a);
        String rootB = b.sysAdminToken();

        String alice = signUp(a, "alice@a.test");
        String messages = channel(a, alice, project(a, alice)) + "/messages";
        for (int i = 0; i < 10; i++) a.rest.post(messages, alice, new JsonObject().put("text", "warm-" + i)).ok();
        long lastWarmAck = System.currentTimeMillis();
        // Bob's org and project live in the standby's own kernel store (identity is not replicated yet).
        String bob = signUp(b, "bob@b.test");
        String bobsProject = project(b, bob);

        // Warm: the standby's own chat store reaches the owner's last sequence while it stands by.
        // The owner's entry is written once a round: one written before the last post is behind.
        long ownerSeq = storeSeq(awaitEntry(a, rootA, "pa", lastWarmAck), "chat");
        assertThat(ownerSeq).isPositive();
        awaitChatSeq(b, rootB, "pb", ownerSeq);
        awaitChatLag(b, rootB, "pb", 0); // and says so in placement (hearth cluster status)
        TestRest.Response refused = b.rest.call("POST", "/v1/projects/" + bobsProject + "/chat/channels", bob,
            new JsonObject().put("name", "early").put("visibility", "PUBLIC"));
        // The standby does not write chat: it forwards the write to the owner, which does not know bob.
        assertThat(refused.status()).as("a chat write on the standby: %s", refused).isEqualTo(401);
        assertThat(refused.body().getString("message")).contains("on the process that owns store 'chat'");

        // A client writes to the owner; the owner is killed (SIGKILL) in the middle.
        List<String> acked = new CopyOnWriteArrayList<>();
        AtomicInteger attempted = new AtomicInteger();
        ClusterProcess owner = a;
        Thread writer = new Thread(() -> {
          for (int i = 0; ; i++) {
            String text = String.format("w-%05d.", i);
            attempted.incrementAndGet();
            try {
              TestRest.Response r = owner.rest.call("POST", messages, alice, new JsonObject().put("text", text));
              if (r.status() != 200) return;
              acked.add(text);
            } catch (Exception e) {
              return; // the owner is gone
            }
          }
        });
        writer.start();
        while (acked.size() < 40) Thread.sleep(5);
        a.signal("KILL");
        long killed = System.nanoTime();
        writer.join(30_000);

        // The standby takes chat over and takes writes (a real client's write).
        long deadline = killed + Duration.ofSeconds(20).toNanos();
        TestRest.Response first;
        while (true) {
          first = b.rest.call("POST", "/v1/projects/" + bobsProject + "/chat/channels", bob,
              new JsonObject().put("name", "after").put("visibility", "PUBLIC"));
          if (first.status() == 200) break;
          assertThat(first.status()).as("%s", first).isEqualTo(503);
          assertThat(System.nanoTime()).as("the standby takes writes within 20 s").isLessThan(deadline);
          Thread.sleep(20);
        }
        long takeOver = (System.nanoTime() - killed) / 1_000_000;
        assertThat(takeOver).as("kill -9 to the first write on the new owner, ms").isLessThan(10_000);
        assertThat(b.log()).contains("synced store chat");
        long newOwnerSeq = chatSeq(b, rootB, "pb");

        // Every write the owner acknowledged is in the new owner's own store, exactly once.
        b.stop();
        Map<String, Set<String>> keysByText = new HashMap<>();
        long lastSeq;
        try (Stores stores = Stores.open(b.dir().resolve("data"), MasterKey.loadOrCreate(b.dir().resolve("master.key")).key(),
            StoreOptions.defaults())) {
          HearthStore chat = stores.store("chat");
          lastSeq = chat.lastSequence();
          for (ChangeEvent e : chat.readLog(0, 1_000_000)) {
            if (!e.collection().equals("messages") || e.op() != ChangeEvent.Op.PUT) continue;
            String value = new String(e.value(), StandardCharsets.UTF_8);
            int at = value.indexOf("w-");
            if (at >= 0) keysByText.computeIfAbsent(value.substring(at, at + 8), t -> new HashSet<>()).add(e.key());
          }
        }
        assertThat(lastSeq).isGreaterThanOrEqualTo(newOwnerSeq);
        for (String text : acked) {
          assertThat(keysByText.get(text)).as("acknowledged %s on the new owner", text).hasSize(1);
        }
        keysByText.values().forEach(keys -> assertThat(keys).hasSize(1));
        assertThat(keysByText.size()).as("nothing but what was attempted").isBetween(acked.size(), attempted.get());
        System.out.printf("ReplicatedLogIT: %d writes acknowledged before kill -9 (%d attempted, %d in the new owner's"
            + " store), take-over to first write %d ms (ttl %d ms, renew %d ms)%n", acked.size(), attempted.get(),
            keysByText.size(), takeOver, TTL, RENEW);
      } catch (AssertionError | Exception e) {
        System.out.println("---- log of pa\n" + a.log() + (b == null ? "" : "\n---- log of pb\n" + b.log()));
        throw e;
      } finally {
        a.close();
        if (b != null) b.close();
      }
    }
  }

  private static String signUp(ClusterProcess p, String email) throws Exception {
    return p.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", email)
        .put("password", "a-long-password-1").put("displayName", email)).ok().getString("accessToken");
  }

  private static String project(ClusterProcess p, String token) throws Exception {
    String org = p.rest.post("/v1/orgs", token, new JsonObject().put("name", "Org " + p.id)).ok().getString("id");
    return p.rest.post("/v1/orgs/" + org + "/projects", token, new JsonObject().put("name", "P")).ok().getString("id");
  }

  private static String channel(ClusterProcess p, String token, String project) throws Exception {
    String id = p.rest.post("/v1/projects/" + project + "/chat/channels", token,
        new JsonObject().put("name", "general").put("visibility", "PUBLIC")).ok().getString("id");
    return "/v1/projects/" + project + "/chat/channels/" + id;
  }

  private static JsonObject status(ClusterProcess p, String token) throws Exception {
    return p.rest.get("/v1/cluster/status", token).ok();
  }

  private static void awaitOwner(ClusterProcess p, String token, String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      for (Object o : status(p, token).getJsonArray("leases", new JsonArray())) {
        JsonObject lease = (JsonObject) o;
        if (lease.getString("store").equals("chat") && id.equals(lease.getString("holder"))) return;
      }
      assertThat(System.nanoTime()).as("chat owned by %s within 20 s", id).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** The chat store's last sequence in process {@code id}'s placement entry, as {@code p} reads it (-1: none). */
  private static long chatSeq(ClusterProcess p, String token, String id) throws Exception {
    JsonObject entry = entry(p, token, id);
    return entry == null ? -1 : storeSeq(entry, "chat");
  }

  /** Process {@code id}'s placement entry as {@code p} reads it; null when it has none. */
  private static JsonObject entry(ClusterProcess p, String token, String id) throws Exception {
    for (Object o : status(p, token).getJsonArray("processes", new JsonArray())) {
      JsonObject entry = (JsonObject) o;
      if (entry.getString("processId").equals(id)) return entry;
    }
    return null;
  }

  /**
   * Process {@code id}'s placement entry once it was written after {@code afterMillis} (20 s at
   * most): its sequences are read at its heartbeatAt or later, so they hold every write
   * acknowledged before {@code afterMillis}.
   */
  private static JsonObject awaitEntry(ClusterProcess p, String token, String id, long afterMillis) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      JsonObject entry = entry(p, token, id);
      if (entry != null && Instant.parse(entry.getString("heartbeatAt")).toEpochMilli() > afterMillis) return entry;
      assertThat(System.nanoTime()).as("a heartbeat of %s after %d within 20 s", id, afterMillis).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static long storeSeq(JsonObject entry, String store) {
    for (Object o : entry.getJsonArray("stores", new JsonArray())) {
      JsonObject s = (JsonObject) o;
      if (s.getString("name").equals(store)) return Long.parseLong(String.valueOf(s.getValue("lastSequence")));
    }
    return -1;
  }

  /** Polls (20 s at most) until process {@code id}'s entry gives chat's replica lag as {@code lag}. */
  private static void awaitChatLag(ClusterProcess p, String token, String id, long lag) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      JsonObject entry = entry(p, token, id);
      for (Object o : entry == null ? new JsonArray() : entry.getJsonArray("stores", new JsonArray())) {
        JsonObject store = (JsonObject) o;
        if (store.getString("name").equals("chat") && String.valueOf(lag).equals(String.valueOf(store.getValue("replicaLag")))) {
          return;
        }
      }
      assertThat(System.nanoTime()).as("%s's chat replica lag %d within 20 s; entry %s", id, lag, entry).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static void awaitChatSeq(ClusterProcess p, String token, String id, long seq) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    long now;
    while ((now = chatSeq(p, token, id)) != seq) {
      assertThat(System.nanoTime()).as("%s's chat store at sequence %d within 20 s (it is at %d)", id, seq, now)
          .isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
