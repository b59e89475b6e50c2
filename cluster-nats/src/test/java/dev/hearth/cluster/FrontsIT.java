package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.config.RunFiles;
import dev.hearth.testkit.TestRealtime;
import dev.hearth.testkit.TestRest;
import dev.hearth.testkit.Waits;
import dev.hearth.testkit.nats.NatsServerProcess;
import dev.hearth.testkit.nats.NatsTopology;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fronts fan out from their own replica (docs/cluster.md "Fronts"): three {@code hearth serve} JVMs on
 * three clustered NATS servers; pa owns chat, pb and pc own nothing and follow chat's replicated log
 * into their own copies. WebSocket clients on pb and pc hear every message posted through either
 * front (each forwarded to pa) live, in order, exactly once, with the same sequences. pb is killed
 * (kill -9); its client resumes on pc from its last sequence and gets exactly what it missed. Reads on
 * a front come from its copy: they answer with pa frozen (SIGSTOP). Also measures a front's CPU time
 * per 1,000 deliveries.
 *
 * <p>The processes share the cluster's kernel store (pa owns it): the client that moves to pc resumes
 * there with the token pb issued.
 */
class FrontsIT {

  private static final int SUBSCRIBERS = 100;
  private static final int BURST = 100;

  @TempDir Path dir;

  @Test
  void clientsOnTwoFrontsHearEveryMessageOnce_andAClientOfAKilledFrontResumesOnTheOther() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (NatsTopology nats = NatsTopology.clustered(dir.resolve("nats"), 3)) {
      JsonObject owner = new JsonObject()
          .put("natsUrls", new JsonArray(nats.servers().stream().map(NatsServerProcess::url).toList()))
          .put("kernel", "shared").put("owns", new JsonArray().add("chat").add("kernel")).put("leaseTtlMillis", 5000).put("renewMillis", 500)
          .put("marginMillis", 1000);
      JsonObject front = owner.copy().put("owns", new JsonArray());
      // Every process may deliver to the test's receiver on 127.0.0.1; only the kernel store's owner does.
      JsonObject sections = new JsonObject().put("webhooks", new JsonObject().put("allowPrivateAddresses", true));
      ClusterProcess a = new ClusterProcess(dir.resolve("a"), "pa", owner, null, sections);
      ClusterProcess b = null;
      ClusterProcess c = null;
      List<TestRealtime> clients = new ArrayList<>();
      WebhookReceiver receiver = WebhookReceiver.start();
      try {
        String alice = signUp(a, "alice@fronts.test");
        String org = a.rest.post("/v1/orgs", alice, new JsonObject().put("name", "Org")).ok().getString("id");
        String project = a.rest.post("/v1/orgs/" + org + "/projects", alice, new JsonObject().put("name", "P")).ok().getString("id");
        String channelId = a.rest.post("/v1/projects/" + project + "/chat/channels", alice,
            new JsonObject().put("name", "general").put("visibility", "PUBLIC")).ok().getString("id");
        String messages = "/v1/projects/" + project + "/chat/channels/" + channelId + "/messages";
        String topic = "chat/channel/" + channelId;

        // The fronts start with pa's keys and follow the cluster's kernel store.
        List<ClusterProcess> bc = ClusterProcess.together(
            () -> new ClusterProcess(dir.resolve("b"), "pb", front, a, sections),
            () -> new ClusterProcess(dir.resolve("c"), "pc", front, a, sections));
        b = bc.get(0);
        c = bc.get(1);

        // Placement: pa holds chat; pb and pc, which may never own it, follow it (replica lag 0).
        String rootB = a.sysAdminToken();
        awaitChatFollowed(b, rootB, "pa", "pb", "pc");

        String aliceA = logIn(a, "alice@fronts.test");
        String aliceB = logIn(b, "alice@fronts.test");
        String aliceC = logIn(c, "alice@fronts.test");
        TestRealtime onB = TestRealtime.connect(vertx, b.port(), aliceB);
        TestRealtime onC = TestRealtime.connect(vertx, c.port(), aliceC);
        clients.add(onB);
        clients.add(onC);
        onB.subscribe(topic, null);
        onC.subscribe(topic, null);
        // A webhook of the project, made through pb (a kernel write, forwarded to pa).
        b.rest.post("/v1/projects/" + project + "/webhooks", aliceB, new JsonObject().put("endpoint", receiver.url())
            .put("topics", new JsonArray().add("chat/channel/*"))).ok();

        // Posts through both fronts, each forwarded to pa: both clients hear each once, in order.
        List<String> sent = new ArrayList<>();
        sent.add(postUntilOwned(b, messages, aliceB, "m0").getString("id"));
        for (int i = 1; i < 20; i++) {
          ClusterProcess via = i % 2 == 0 ? b : c;
          sent.add(via.rest.post(messages, via == b ? aliceB : aliceC, new JsonObject().put("text", "m" + i)).ok().getString("id"));
        }
        String marker = c.rest.post(messages, aliceC, new JsonObject().put("text", "marker")).ok().getString("id");
        List<JsonObject> heardOnB = ClusterClients.eventsUpTo(onB, marker, 30);
        List<JsonObject> heardOnC = ClusterClients.eventsUpTo(onC, marker, 30);
        assertThat(ClusterClients.createdIds(heardOnB)).as("messages heard on pb, in order, once each").isEqualTo(plus(sent, marker));
        assertThat(ClusterClients.createdIds(heardOnC)).as("messages heard on pc, in order, once each").isEqualTo(plus(sent, marker));
        assertIncreasing(heardOnB);
        assertThat(seqs(heardOnC)).as("the store's sequences, the same on every front").isEqualTo(seqs(heardOnB));
        // The webhook gets each of them once: its lane runs on the kernel store's owner only, not on every front.
        Waits.until("the webhook got the 21 posts", Duration.ofSeconds(30),
            () -> receiver.messages().containsAll(plus(sent, marker)));
        assertThat(receiver.deliveriesByMessage()).as("deliveries per message").containsOnlyKeys(plus(sent, marker))
            .allSatisfy((id, deliveries) -> assertThat(deliveries).as("message %s", id).hasSize(1));

        // A front's fan-out work: SUBSCRIBERS more clients on pb, BURST messages posted on pa itself.
        List<TestRealtime> crowd = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
          TestRealtime rt = TestRealtime.connect(vertx, b.port(), aliceB);
          clients.add(rt);
          crowd.add(rt);
          rt.subscribe(topic, null);
        }
        long pidB = new RunFiles(b.dir().resolve("data")).read().orElseThrow().pid();
        List<String> burst = new ArrayList<>();
        long cpuBefore = cpuNanos(pidB);
        long wallBefore = System.nanoTime();
        for (int i = 0; i < BURST; i++) {
          burst.add(a.rest.post(messages, aliceA, new JsonObject().put("text", "burst " + i)).ok().getString("id"));
        }
        for (TestRealtime rt : crowd) assertThat(ClusterClients.createdIds(rt.events(topic, BURST))).isEqualTo(burst);
        long cpuBurst = cpuNanos(pidB) - cpuBefore;
        long wall = System.nanoTime() - wallBefore;
        Thread.sleep(Duration.ofNanos(wall).toMillis()); // not a wait for anything: pb's idle CPU over as long
        long cpuIdle = cpuNanos(pidB) - cpuBefore - cpuBurst;
        long deliveries = (long) BURST * (SUBSCRIBERS + 1);
        System.out.printf("FrontsIT: front pb, %d subscribers x %d messages = %d deliveries in %d ms: CPU %d ms"
                + " (idle over as long: %d ms) -> %.1f ms per 1,000 deliveries (%.1f without the idle share)%n",
            SUBSCRIBERS + 1, BURST, deliveries, wall / 1_000_000, cpuBurst / 1_000_000, cpuIdle / 1_000_000,
            cpuBurst / 1e6 / (deliveries / 1000.0), (cpuBurst - cpuIdle) / 1e6 / (deliveries / 1000.0));
        for (TestRealtime rt : crowd) {
          rt.close();
          clients.remove(rt);
        }
        String marker2 = b.rest.post(messages, aliceB, new JsonObject().put("text", "marker 2")).ok().getString("id");
        List<JsonObject> burstOnB = ClusterClients.eventsUpTo(onB, marker2, 30);
        assertThat(ClusterClients.createdIds(burstOnB)).isEqualTo(plus(burst, marker2));
        assertThat(ClusterClients.createdIds(ClusterClients.eventsUpTo(onC, marker2, 30))).isEqualTo(plus(burst, marker2));
        long lastOnB = lastSeq(burstOnB); // where pb's client is when its front dies

        // kill -9 pb; messages posted meanwhile through pc; pb's client comes back on pc from its last seq.
        b.signal("KILL");
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          missed.add(c.rest.post(messages, aliceC, new JsonObject().put("text", "while pb is down " + i)).ok().getString("id"));
        }
        TestRealtime back = TestRealtime.connect(vertx, c.port(), aliceB); // one kernel store: pb's token is good on pc
        clients.add(back);
        JsonObject resumed = back.subscribe(topic, lastOnB);
        assertThat(resumed.getLong("seq")).isEqualTo(lastOnB);
        String marker3 = c.rest.post(messages, aliceC, new JsonObject().put("text", "marker 3")).ok().getString("id");
        List<JsonObject> caughtUp = ClusterClients.eventsUpTo(back, marker3, 30);
        assertThat(ClusterClients.createdIds(caughtUp)).as("what pb's client missed, once each, in order").isEqualTo(plus(missed, marker3));
        assertThat(caughtUp).allSatisfy(e -> assertThat(e.getLong("seq")).isGreaterThan(lastOnB));
        assertIncreasing(caughtUp);
        List<JsonObject> onCAfter = ClusterClients.eventsUpTo(onC, marker3, 30);
        assertThat(ClusterClients.createdIds(onCAfter)).isEqualTo(plus(missed, marker3));
        assertThat(seqs(caughtUp)).isEqualTo(seqs(onCAfter));

        // Reads on a front come from its own copy: pa frozen, pc still lists every message.
        a.signal("STOP");
        try {
          JsonArray listed = c.rest.get(messages + "?limit=100", aliceC).ok().getJsonArray("messages");
          List<String> ids = listed.stream().map(o -> ((JsonObject) o).getString("id")).toList();
          assertThat(ids).containsSubsequence(missed).contains(marker3).endsWith(marker3);
          assertThat(ids).containsAll(burst.subList(BURST - 50, BURST));
        } finally {
          a.signal("CONT");
        }
      } catch (AssertionError | Exception e) {
        System.out.println("---- log of pa\n" + a.log() + (b == null ? "" : "\n---- log of pb\n" + b.log())
            + (c == null ? "" : "\n---- log of pc\n" + c.log()));
        throw e;
      } finally {
        receiver.close();
        clients.forEach(TestRealtime::close);
        a.close();
        if (b != null) b.close();
        if (c != null) c.close();
        vertx.close();
      }
    }
  }

  private static List<String> plus(List<String> ids, String last) {
    List<String> out = new ArrayList<>(ids);
    out.add(last);
    return out;
  }

  private static List<Long> seqs(List<JsonObject> events) {
    return events.stream().map(e -> e.getLong("seq")).toList();
  }

  private static long lastSeq(List<JsonObject> events) {
    return events.isEmpty() ? -1 : events.get(events.size() - 1).getLong("seq");
  }

  private static void assertIncreasing(List<JsonObject> events) {
    List<Long> seqs = seqs(events);
    for (int i = 1; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).as("event %d's seq after the one before: %s", i, seqs).isGreaterThan(seqs.get(i - 1));
    }
  }

  /** The process's CPU time so far (user + system), as the OS counts it. */
  private static long cpuNanos(long pid) {
    return ProcessHandle.of(pid).orElseThrow().info().totalCpuDuration().orElseThrow().toNanos();
  }

  /** Waits (30 s at most) until {@code owner} holds chat and each front's placement shows chat followed, lag 0. */
  private static void awaitChatFollowed(ClusterProcess p, String root, String owner, String... fronts) throws Exception {
    Waits.until("chat owned by " + owner + " and followed by " + List.of(fronts) + " with lag 0", Duration.ofSeconds(30), () -> {
      JsonObject status = p.rest.get("/v1/cluster/status", root).ok();
      boolean owned = status.getJsonArray("leases", new JsonArray()).stream().map(JsonObject.class::cast)
          .anyMatch(l -> l.getString("store").equals("chat") && owner.equals(l.getString("holder")));
      long following = status.getJsonArray("processes", new JsonArray()).stream().map(JsonObject.class::cast)
          .filter(e -> List.of(fronts).contains(e.getString("processId")))
          .filter(e -> e.getJsonArray("owned", new JsonArray()).isEmpty())
          .filter(e -> e.getJsonArray("stores", new JsonArray()).stream().map(JsonObject.class::cast)
              .anyMatch(s -> s.getString("name").equals("chat") && "0".equals(String.valueOf(s.getValue("replicaLag")))))
          .count();
      return owned && following == fronts.length;
    });
  }

  private static String signUp(ClusterProcess p, String email) throws Exception {
    return p.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", email)
        .put("password", "a-long-password-1").put("displayName", email)).ok().getString("accessToken");
  }

  private static String logIn(ClusterProcess p, String email) throws Exception {
    return p.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", email).put("password", "a-long-password-1"))
        .ok().getString("accessToken");
  }

  /** Posts through {@code p}, again while the answer is 503 (20 s at most): the owner takes writes once synced. */
  private static JsonObject postUntilOwned(ClusterProcess p, String messages, String token, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      TestRest.Response r = p.rest.call("POST", messages, token, new JsonObject().put("text", text));
      if (r.status() == 200) return r.body();
      assertThat(r.status()).as("%s", r).isEqualTo(503);
      assertThat(System.nanoTime()).as("a forwarded post accepted within 20 s: %s", r).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
