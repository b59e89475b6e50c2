package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.hearth.cluster.v1.ForwardedAnswer;
import dev.hearth.cluster.v1.ForwardedCall;
import dev.hearth.testkit.TestRealtime;
import dev.hearth.testkit.TestRest;
import dev.hearth.testkit.nats.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fronts forward writes to the store's owner: two {@code hearth serve} JVMs on one nats-server, pa
 * owns chat, pb owns nothing and only serves clients. A message posted through pb is written by pa
 * (a WebSocket client on pa sees it live); pa admits the caller again by its own data (a caller pb
 * admitted but pa does not is refused), a call without the cluster's MAC is refused, and with no
 * owner pb answers 503 with Retry-After.
 *
 * <p>This test keeps each process's own kernel store ({@code kernel: local}, ClusterProcess's default),
 * pb starting with a copy of pa's: its point is that the owner admits a forwarded caller by its own
 * identity and tenancy data, which only shows when the two processes' data differ (an invite pb alone
 * knows, a sys-admin pa does not know). With the cluster's one kernel store they differ only for the
 * replication delay. The shared kernel store is exercised by KernelStoreIT, FrontsIT, FilesClusterIT and
 * ChatFailoverIT.
 */
class ForwardingIT {

  @TempDir Path dir;

  @Test
  void aWriteThroughAFrontRunsOnTheOwner_whichAdmitsTheCallerAgain() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (NatsServerProcess nats = NatsServerProcess.builder(dir.resolve("nats"), "fwd").start()) {
      JsonObject owner = new JsonObject().put("natsUrls", nats.url()).put("owns", new JsonArray().add("chat"))
          .put("leaseTtlMillis", 2000).put("renewMillis", 400).put("marginMillis", 400);
      JsonObject front = owner.copy().put("owns", new JsonArray());
      ClusterProcess a = new ClusterProcess(dir.resolve("a"), "pa", owner);
      ClusterProcess b = null;
      try {
        String alice = signUp(a, "alice@fwd.test");
        signUp(a, "mallory@fwd.test"); // known to both processes, no role in alice's project
        String org = a.rest.post("/v1/orgs", alice, new JsonObject().put("name", "Org")).ok().getString("id");
        String project = a.rest.post("/v1/orgs/" + org + "/projects", alice, new JsonObject().put("name", "P")).ok().getString("id");
        String channelId = a.rest.post("/v1/projects/" + project + "/chat/channels", alice,
            new JsonObject().put("name", "general").put("visibility", "PUBLIC")).ok().getString("id");
        String messages = "/v1/projects/" + project + "/chat/channels/" + channelId + "/messages";

        // The stand-in for the replicated kernel store: pb starts with pa's (and pa's keys).
        a.stop();
        copyTree(dir.resolve("a/data/stores/kernel"), dir.resolve("b/data/stores/kernel"));
        b = ClusterProcess.together(() -> new ClusterProcess(dir.resolve("b"), "pb", front, a), () -> {
          a.restart();
          return a;
        }).get(0);
        String aliceOnA = logIn(a, "alice@fwd.test");
        String rootOfB = awaitOwner(b, "pa"); // a sys-admin made on pb alone

        // Alice logs in through pb and posts there; pa, the owner, writes it; its WebSocket client sees it live.
        String aliceOnB = logIn(b, "alice@fwd.test");
        try (TestRealtime live = TestRealtime.connect(vertx, a.port(), aliceOnA)) {
          String topic = "chat/channel/" + channelId;
          live.subscribe(topic, null);
          JsonObject posted = postUntilOwned(b, messages, aliceOnB, "hello through pb");
          assertThat(posted.getString("text")).isEqualTo("hello through pb");
          JsonObject event = live.events(topic, 1).get(0);
          assertThat(event.getJsonObject("data").getString("id")).isEqualTo(posted.getString("id"));

          // pb admits mallory (a project-user there, by an invite pb alone knows); pa does not.
          String code = b.rest.post("/v1/projects/" + project + "/invites", aliceOnB,
              new JsonObject().put("role", "project-user").put("maxUses", 1)).ok().getString("code");
          String malloryOnB = logIn(b, "mallory@fwd.test");
          b.rest.post("/v1/invites/redeem", malloryOnB, new JsonObject().put("code", code)).ok();
          TestRest.Response refused = b.rest.call("POST", messages, malloryOnB, new JsonObject().put("text", "sneaky"));
          assertThat(refused.status()).as("pa re-checks mallory's role: %s", refused).isEqualTo(403);
          // pb's sys-admin passes pb's guard; pa, which does not know that user, refuses it.
          TestRest.Response stranger = b.rest.call("POST", messages, rootOfB, new JsonObject().put("text", "as root of pb"));
          assertThat(stranger.status()).as("pa looks pb's caller up in its own data: %s", stranger).isEqualTo(401);

          // A call on pa's subject without the cluster's MAC, or with a wrong one, is refused.
          try (Connection nc = Nats.connect(nats.url())) {
            ForwardedCall forged = ForwardedCall.newBuilder().setCallId("forged").setSender("pb").setStore("chat")
                .setMethod("hearth.chat.v1.ChatService/PostMessage").setRequest(ByteString.EMPTY).setUserId("root")
                .setVia("SESSION").setExpiresAtMillis(System.currentTimeMillis() + 60_000).build();
            for (Headers h : List.of(new Headers(), new Headers().put(Forwarding.MAC_HEADER,
                Base64.getEncoder().encodeToString(new byte[37])))) {
              Message reply = nc.request(NatsMessage.builder().subject(Forwarding.SUBJECT + "pa").headers(h)
                  .data(forged.toByteArray()).build(), Duration.ofSeconds(10));
              assertThat(reply).as("pa answers a forged call").isNotNull();
              assertThat(ForwardedAnswer.parseFrom(reply.getData()).getErrorCode()).isEqualTo("PERMISSION_DENIED");
            }
          }
          // Nothing of the refused calls reached the channel: the next event is the next post.
          JsonObject marker = b.rest.post(messages, aliceOnB, new JsonObject().put("text", "marker")).ok();
          assertThat(live.framesBefore(f -> "event".equals(f.getString("type"))
              && marker.getString("id").equals(f.getJsonObject("data", new JsonObject()).getString("id")), 20))
              .noneMatch(f -> "event".equals(f.getString("type")));
        }
        assertThat(a.log()).contains("refused a forwarded call");

        // No owner (pa stopped: its lease released): pb answers 503 with Retry-After.
        a.stop();
        TestRest.Response none = b.rest.call("POST", messages, aliceOnB, new JsonObject().put("text", "nobody home"));
        assertThat(none.status()).as("%s", none).isEqualTo(503);
        assertThat(none.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(v).isNotBlank());
      } catch (AssertionError | Exception e) {
        System.out.println("---- log of pa\n" + a.log() + (b == null ? "" : "\n---- log of pb\n" + b.log()));
        throw e;
      } finally {
        a.close();
        if (b != null) b.close();
        vertx.close();
      }
    }
  }

  private static String signUp(ClusterProcess p, String email) throws Exception {
    return p.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", email)
        .put("password", "a-long-password-1").put("displayName", email)).ok().getString("accessToken");
  }

  /**
   * Posts through {@code p}, again while the answer is 503 (20 s at most): the restarted owner
   * takes writes once it has synced its store with the stream.
   */
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

  private static String logIn(ClusterProcess p, String email) throws Exception {
    return p.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", email).put("password", "a-long-password-1"))
        .ok().getString("accessToken");
  }

  /**
   * Waits (20 s at most) until {@code p} sees chat's lease held by {@code holder}.
   *
   * @return the token of a sys-admin made on {@code p} to read its status
   */
  private static String awaitOwner(ClusterProcess p, String holder) throws Exception {
    String root = p.sysAdminToken();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      for (Object o : p.rest.get("/v1/cluster/status", root).ok().getJsonArray("leases", new JsonArray())) {
        JsonObject lease = (JsonObject) o;
        if (lease.getString("store").equals("chat") && holder.equals(lease.getString("holder"))) return root;
      }
      assertThat(System.nanoTime()).as("chat owned by %s within 20 s", holder).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(target);
        else Files.copy(f, target);
      }
    }
  }
}
