package dev.hearth.cluster;

import static dev.hearth.cluster.ClusterClients.holder;
import static dev.hearth.cluster.ClusterClients.logIn;
import static dev.hearth.cluster.ClusterClients.messagesByText;
import static dev.hearth.cluster.ClusterClients.signUp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestRealtime;
import dev.hearth.testkit.Waits;
import dev.hearth.testkit.nats.NatsServerProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clean stop (SIGTERM) drains instead of crashing (docs/cluster.md "Rolling restart"), with the
 * default lease TTL (5 s, renewed every second): three {@code hearth serve} JVMs on one nats-server sharing the kernel
 * store; pa owns every store, pd may own every store (the standby; a front too), pb is a front that
 * owns nothing. Alice posts through pb and pd in turn, bob through pd, continuously, retrying
 * UNAVAILABLE, 429 and a process that does not answer with the same {@code clientMessageId};
 * WebSocket clients on pb and pd subscribe to the channel.
 *
 * <p>(a) The owner: pa gets SIGTERM during the writes. It answers what it has in flight, gives up its
 * leases, and pd takes chat over well before the TTL would have let it (a kill -9 costs a TTL);
 * no post fails beyond retries, the longest wait between two acknowledgements stays under the TTL,
 * every acknowledged post is stored once, and both WebSocket clients hear each once, in order.
 *
 * <p>(b) A front: pb gets SIGTERM during the writes. Its WebSocket client is closed with 1001 (going
 * away), connects to pd with the token pb issued and resumes from its last sequence: nothing lost,
 * nothing repeated.
 */
class DrainIT {

  /** The default {@code leaseTtlMillis}: the test runs with the defaults, which is what an operator gets. */
  private static final long TTL_MILLIS = 5_000;

  @TempDir Path dir;

  @Test
  void sigtermToTheOwnerHandsChatOverBeforeTheTtl_andAFrontsClientsAreToldToGoAndResumeElsewhere() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<ClusterProcess> all = new ArrayList<>();
    List<TestRealtime> clients = new ArrayList<>();
    try (NatsServerProcess nats = NatsServerProcess.builder(dir.resolve("nats"), "drain").start()) {
      JsonObject base = new JsonObject().put("natsUrls", nats.url()).put("kernel", "shared");
      JsonObject owner = base.copy().put("owns", new JsonArray().add("*"));
      JsonObject front = base.copy().put("owns", new JsonArray());
      ClusterProcess a = new ClusterProcess(dir.resolve("a"), "pa", owner);
      all.add(a);
      try {
        String alice = signUp(a, "alice@drain.test");
        String org = a.rest.post("/v1/orgs", alice, new JsonObject().put("name", "Org")).ok().getString("id");
        String project = a.rest.post("/v1/orgs/" + org + "/projects", alice, new JsonObject().put("name", "P")).ok().getString("id");
        String channelId = a.rest.post("/v1/projects/" + project + "/chat/channels", alice,
            new JsonObject().put("name", "general").put("visibility", "PUBLIC")).ok().getString("id");
        String messages = "/v1/projects/" + project + "/chat/channels/" + channelId + "/messages";
        String topic = "chat/channel/" + channelId;
        signUp(a, "bob@drain.test");
        String code = a.rest.post("/v1/projects/" + project + "/invites", alice,
            new JsonObject().put("role", "project-user").put("maxUses", 1)).ok().getString("code");
        String root = a.sysAdminToken();
        // With a 10 s lease pa's renewals outlive two JVMs starting at once.
        List<ClusterProcess> bd = ClusterProcess.together(() -> new ClusterProcess(dir.resolve("b"), "pb", front, a),
            () -> new ClusterProcess(dir.resolve("d"), "pd", owner, a));
        ClusterProcess b = bd.get(0);
        ClusterProcess d = bd.get(1);
        all.addAll(bd);
        String aliceB = logIn(b, "alice@drain.test");
        String bobD = logIn(d, "bob@drain.test");
        d.rest.post("/v1/invites/redeem", bobD, new JsonObject().put("code", code)).ok();
        Waits.until("bob joins the channel through pd", Duration.ofSeconds(20), () -> d.rest.post("/v1/projects/" + project
            + "/chat/channels/" + channelId + "/join", bobD, new JsonObject()).status() == 200);
        Waits.until("pb's copy has the channel", Duration.ofSeconds(20), () -> b.rest.get(messages, aliceB).status() == 200);
        ClusterClients.awaitChatFollowed(b, root, "pa", "pd");

        TestRealtime onB = TestRealtime.connect(vertx, b.port(), aliceB);
        TestRealtime onD = TestRealtime.connect(vertx, d.port(), bobD);
        clients.add(onB);
        clients.add(onD);
        onB.subscribe(topic, null);
        onD.subscribe(topic, null);

        // One kernel store: pb's token for alice works on pd too.
        RetryingWriter viaB = new RetryingWriter(List.of(b, d), Map.of("pb", aliceB, "pd", aliceB), messages, "a-");
        RetryingWriter viaD = new RetryingWriter(List.of(d), Map.of("pd", bobD), messages, "d-");
        List<RetryingWriter> writers = List.of(viaB, viaD);
        long takeOverMillis;
        long stopMillis;
        long gapMillisA;
        long closedMillis;
        Map<String, String> acked = new TreeMap<>();
        List<JsonObject> heardOnB = new ArrayList<>();
        try {
          // (a) SIGTERM to the chat store's owner during the writes.
          awaitMoreAcks(writers, 10);
          assertThat(holder(b, root, "chat")).isEqualTo("pa");
          long gapBefore = Math.max(viaB.maxGapMillis, viaD.maxGapMillis);
          a.terminate();
          long termAt = System.nanoTime();
          Waits.until("pd holds chat after pa's SIGTERM", Duration.ofSeconds(30), () -> "pd".equals(holder(b, root, "chat")));
          takeOverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - termAt);
          assertThat(a.awaitExit()).as("pa's exit code after a clean stop").isZero();
          stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - termAt);
          awaitMoreAcks(writers, 10);
          gapMillisA = Math.max(viaB.maxGapMillis, viaD.maxGapMillis);
          System.out.printf("DrainIT: SIGTERM to owner pa: pd held chat %d ms later, pa exited after %d ms; longest wait"
              + " between two acknowledgements %d ms (before the stop %d ms)%n", takeOverMillis, stopMillis, gapMillisA, gapBefore);

          // (b) SIGTERM to front pb during the writes: its WebSocket client is told to go (1001).
          awaitMoreAcks(writers, 10);
          b.terminate();
          long frontTermAt = System.nanoTime();
          // The close status, not closed(): the socket says closed before its close handler has run.
          Waits.until("pb's WebSocket client closed", Duration.ofSeconds(30), () -> onB.closeStatus() != null);
          closedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frontTermAt);
          assertThat(onB.closeStatus()).as("close code of pb's WebSocket client at pb's drain").isEqualTo((short) 1001);
          assertThat(b.awaitExit()).as("pb's exit code after a clean stop").isZero();
          awaitMoreAcks(writers, 10);
          System.out.printf("DrainIT: SIGTERM to front pb: its WebSocket client closed (1001) %d ms later%n", closedMillis);
        } finally {
          viaB.close();
          viaD.close();
        }
        assertThat(viaB.failures).as("alice's posts that failed beyond retries").isEmpty();
        assertThat(viaD.failures).as("bob's posts that failed beyond retries").isEmpty();
        assertThat(takeOverMillis).as("pd took chat over without waiting for the lease TTL").isLessThan(TTL_MILLIS);
        assertThat(gapMillisA).as("longest wait between two acknowledgements across the owner's drain").isLessThan(TTL_MILLIS);

        // Every acknowledged post is stored once, under the id it was acknowledged with.
        acked.putAll(viaB.acked);
        acked.putAll(viaD.acked);
        Map<String, List<String>> stored = messagesByText(d, bobD, messages);
        acked.forEach((text, id) -> assertThat(stored.get(text)).as("acknowledged post %s stored once", text).containsExactly(id));
        assertThat(stored.values()).as("no post stored twice").allSatisfy(ids -> assertThat(ids).hasSize(1));
        String marker = d.rest.post(messages, bobD, new JsonObject().put("text", "marker")).ok().getString("id");
        Set<String> storedIds = new HashSet<>();
        stored.values().forEach(storedIds::addAll);
        storedIds.add(marker);

        // pd's client heard every post once, in order, across pa's drain and pb's.
        List<JsonObject> heardOnD = ClusterClients.eventsUpTo(onD, marker, 60);
        assertThat(ClusterClients.createdIds(heardOnD)).as("pd's client heard each post once").doesNotHaveDuplicates()
            .containsAll(acked.values()).endsWith(marker);
        assertThat(storedIds).containsAll(ClusterClients.createdIds(heardOnD));
        ClusterClients.assertIncreasing(heardOnD);

        // pb's client: what it heard before the 1001, then the rest on pd from its last sequence.
        onB.drain().stream().filter(f -> "event".equals(f.getString("type"))).forEach(heardOnB::add);
        assertThat(heardOnB).as("pb's client heard events before pb stopped").isNotEmpty();
        long last = heardOnB.get(heardOnB.size() - 1).getLong("seq");
        TestRealtime back = TestRealtime.connect(vertx, d.port(), aliceB);
        clients.add(back);
        assertThat(back.subscribe(topic, last).getLong("seq")).isEqualTo(last);
        List<JsonObject> resumed = ClusterClients.eventsUpTo(back, marker, 60);
        List<JsonObject> whole = new ArrayList<>(heardOnB);
        whole.addAll(resumed);
        List<String> ids = ClusterClients.createdIds(whole);
        assertThat(ids).as("pb's client, before pb's drain and resumed on pd: each post once").doesNotHaveDuplicates()
            .containsAll(acked.values()).endsWith(marker);
        assertThat(storedIds).as("pb's client heard only what is stored").containsAll(ids);
        ClusterClients.assertIncreasing(whole);
        System.out.printf("DrainIT: %d posts acknowledged, %d retries; pb's client heard %d events before its 1001 and"
            + " %d more on pd%n", acked.size(), viaB.retries.get() + viaD.retries.get(), heardOnB.size(), resumed.size());
      } catch (AssertionError | Exception e) {
        for (ClusterProcess p : all) System.out.println("---- log of " + p.id + "\n" + p.log());
        throw e;
      } finally {
        clients.forEach(TestRealtime::close);
        all.forEach(ClusterProcess::close);
        vertx.close();
      }
    }
  }

  private static int acked(List<RetryingWriter> writers) {
    return writers.stream().mapToInt(RetryingWriter::ackedCount).sum();
  }

  /** Waits (60 s at most) until the writers have {@code n} more posts acknowledged than now. */
  private static void awaitMoreAcks(List<RetryingWriter> writers, int n) throws InterruptedException {
    int target = acked(writers) + n;
    Waits.until(n + " more posts acknowledged", Duration.ofSeconds(60), () -> acked(writers) >= target);
  }
}
