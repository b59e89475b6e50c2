package dev.hearth.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.hearth.chat.v1.PostMessageRequest;
import dev.hearth.federation.crypto.Envelopes;
import dev.hearth.federation.v1.CdcEvent;
import dev.hearth.federation.v1.CdcPayload;
import dev.hearth.federation.v1.Envelope;
import dev.hearth.federation.v1.EnvelopeHeader;
import dev.hearth.federation.v1.LinkRecord;
import dev.hearth.federation.v1.LinkToken;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Caller;
import dev.hearth.testkit.TestRealtime;
import dev.hearth.testkit.nats.NatsTopology;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Two orgs on two nodes, each with its own nats-server (B's a leaf of A's): acme on node a owns
 * project P and shares it with globex on node b. Users of both chat in P, live, each on their own node.
 */
class FederationIT {

  @TempDir Path dir;
  Linked fed;
  NatsTopology nats;
  FedNode a;
  FedNode b;
  FedNode.User alice;
  FedNode.User bob;
  String acme;
  String globex;
  String project;
  String linkId;

  @BeforeEach
  void link() throws Exception {
    fed = new Linked(dir, new JsonObject());
    nats = fed.nats;
    a = fed.a;
    b = fed.b;
    alice = fed.alice;
    bob = fed.bob;
    acme = fed.acme;
    globex = fed.globex;
    project = fed.project;
    linkId = fed.linkId;
  }

  @AfterEach
  void close() {
    if (fed != null) fed.close();
  }

  private void bobJoins() throws Exception {
    fed.bobJoins();
  }

  @Test
  void usersOnBothNodesChatInASharedChannel_live_bothWays() throws Exception {
    String channel = a.channel(alice, project, "general");
    a.postMessage(alice, project, channel, "before the share was accepted? no: after", "a-1");
    bobJoins();
    // Bob reads P on his node: the channel and alice's message were replicated.
    eventually(() -> b.messages(bob, project, channel).size() == 1);
    b.post("/v1/projects/" + project + "/chat/channels/" + channel + "/join", bob, new JsonObject());

    try (TestRealtime onB = TestRealtime.connect(b.node, bob.token());
         TestRealtime onA = TestRealtime.connect(a.node, alice.token())) {
      onB.subscribe("chat/channel/" + channel, null);
      onA.subscribe("chat/channel/" + channel, null);
      a.postMessage(alice, project, channel, "hello from acme", "a-2");
      JsonObject live = onB.next(f -> "event".equals(f.getString("type")) && f.encode().contains("hello from acme"), 10);
      assertThat(live).isNotNull();
      // Bob writes on his node: it goes to acme's node, which owns P, and comes back to both.
      JsonObject posted = b.postMessage(bob, project, channel, "hello from globex", "b-1");
      assertThat(posted.getString("authorId")).isEqualTo(bob.id());
      assertThat(onA.next(f -> "event".equals(f.getString("type")) && f.encode().contains("hello from globex"), 10)).isNotNull();
      assertThat(onB.next(f -> "event".equals(f.getString("type")) && f.encode().contains("hello from globex"), 10)).isNotNull();
    }
    // Bob finds the project on his node, although it is not in any of his orgs.
    JsonObject listed = b.get("/v1/federation/shared-projects", bob).getJsonArray("projects").getJsonObject(0);
    assertThat(listed.getString("projectId")).isEqualTo(project);
    assertThat(listed.getString("ownerOrgName")).isEqualTo("acme");
    FedNode.User dave = b.signUp("dave@globex.test", "Dave");
    assertThat(b.get("/v1/federation/shared-projects", dave).getJsonArray("projects", new JsonArray())).isEmpty();
    // Dave is in no linked org of b: he cannot join through globex's link, even with a valid code.
    String code = a.post("/v1/projects/" + project + "/invites", alice, new JsonObject().put("role", "project-user")).getString("code");
    var refused = b.call("POST", "/v1/federation/join-project", dave, new JsonObject().put("code", code));
    assertThat(refused.status()).isEqualTo(412);
    // Search on b's replica: blind-index terms recomputed with b's own keys.
    eventually(() -> b.get("/v1/projects/" + project + "/chat/search?query=hello%20acme", bob).encode().contains("hello from acme"));
    JsonArray onA = a.messages(alice, project, channel);
    eventually(() -> b.messages(bob, project, channel).equals(a.messages(alice, project, channel)));
    assertThat(onA).hasSize(3);
    // Members: bob shows as name@org on acme's node, alice as name@org on globex's.
    String membersOnA = a.get("/v1/projects/" + project + "/members", alice).encode();
    assertThat(membersOnA).contains("Bob@globex");
    eventually(() -> b.get("/v1/projects/" + project + "/members", bob).encode().contains("Alice@acme"));
    // Same content on both nodes, store by store.
    fed.converged("chat");
    fed.converged("kernel");
    // The link's status on the replica's side: how far behind, how much is waiting.
    eventually(() -> b.get(fed.linkPathOnB(), bob).getJsonArray("shares").getJsonObject(0).getString("pendingEvents", "0").equals("0"));
    JsonObject share = b.get(fed.linkPathOnB(), bob).getJsonArray("shares").getJsonObject(0);
    assertThat(share.getDouble("lagSeconds", 0.0)).isBetween(0.0, 10.0);
    assertThat(share.getJsonObject("applied").getString("chat")).isNotEmpty();
    // The same on /metrics: b's lag behind a on this link, a's events all published.
    String onB = metrics(b);
    assertThat(onB).containsPattern("hearth_federation_replication_lag_seconds\\{link=\"" + linkId + "\"} [0-9.E-]+");
    eventually(() -> metrics(a).contains("hearth_federation_publish_lag_events{store=\"chat\"} 0.0"));
  }

  private static String metrics(FedNode node) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + node.node.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void ownerRepublishesFromAnOlderCursor_replicaSkipsWhatItHas_nothingTwice() throws Exception {
    String channel = a.channel(alice, project, "general");
    bobJoins();
    for (int i = 0; i < 20; i++) a.postMessage(alice, project, channel, "m" + i, "a-" + i);
    fed.converged("chat");
    // As after a kill -9 of a between two cursor saves, only further back: a's publisher starts over
    // from the beginning of its log and groups the events into envelopes its own way.
    // A message written meanwhile lands in the same envelope as events b already has.
    a.fed().restartPublishers(() -> {
      try {
        Files.writeString(a.node.dir.resolve("data/federation/outbox/chat.json"), "{\"done\": 0, \"chain\": {}}");
        a.postMessage(alice, project, channel, "while the publisher was down", "a-20");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    eventually(() -> b.messages(bob, project, channel).size() == 21);
    // Anything republished late would reach b before a later message: write one and wait for it.
    a.postMessage(alice, project, channel, "marker", "a-21");
    eventually(() -> b.messages(bob, project, channel).size() >= 22);
    fed.converged("chat");
    assertThat(b.messages(bob, project, channel)).hasSize(22).isEqualTo(a.messages(alice, project, channel));
  }

  @Test
  void forgedEvents_areRejected_counted_andLeaveTheReplicaUnchanged() throws Exception {
    String channel = a.channel(alice, project, "general");
    bobJoins();
    a.postMessage(alice, project, channel, "genuine", "a-1");
    eventually(() -> b.digest(bob, project, "chat").getString("sha256").equals(a.digest(alice, project, "chat").getString("sha256")));
    String before = b.digest(bob, project, "chat").getString("sha256");
    long rejectedBefore = b.fed().rejected.get();
    String subject = "hearth.cdc.a." + project + ".chat";
    var scopeKey = a.fed().book.scopeKey(project);
    CdcPayload payload = CdcPayload.newBuilder().addEvents(CdcEvent.newBuilder().setSequence(1_000_000)
        .setCollection("channels").setKey(channel).setValue(ByteString.copyFromUtf8("forged"))).build();
    EnvelopeHeader header = EnvelopeHeader.newBuilder().setKind(EnvelopeHeader.Kind.CDC).setOrigin("a").setScope(project)
        .setStore("chat").setFirstSeq(1_000_000).setCount(1).setPrevScopeSeq(0).build();
    // 1. Signed with a key nobody pinned.
    Envelope unknownKey = Envelope.newBuilder().setHeader(header.toByteString())
        .setCiphertext(ByteString.copyFromUtf8("x"))
        .setSignature(ByteString.copyFrom(new byte[] {1, 9, 9, 9, 9, 5, 5, 5})).build();
    // 2. Node b's own key, claiming to be a.
    Envelope impostor = Envelopes.seal(header, payload.toByteArray(), scopeKey, b.fed().keys);
    // 3. a's genuine key, but a project the link does not share.
    Envelope outOfScope = Envelopes.seal(header.toBuilder().setScope("not-shared-project").build(), payload.toByteArray(),
        scopeKey, a.fed().keys);
    // 4. A genuine envelope, tampered with on the way.
    Envelope genuine = Envelopes.seal(header, payload.toByteArray(), scopeKey, a.fed().keys);
    byte[] ct = genuine.getCiphertext().toByteArray();
    ct[ct.length / 2] ^= 1;
    Envelope tampered = genuine.toBuilder().setCiphertext(ByteString.copyFrom(ct)).build();
    var federationLog = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Federation.class);
    var captured = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    captured.start();
    federationLog.addAppender(captured);
    try (@SuppressWarnings("try") Connection raw = Nats.connect(nats.server("a").url())) {
      for (Envelope e : List.of(unknownKey, impostor, outOfScope, tampered)) raw.publish(subject, e.toByteArray());
      raw.flush(Duration.ofSeconds(2));
    }
    // The stream takes plain publishes on its subjects, so the replicator reads all four.
    eventually(() -> b.fed().rejected.get() == rejectedBefore + 4);
    assertThat(b.get(fed.linkPathOnB(), bob).getString("rejected")).isEqualTo(String.valueOf(rejectedBefore + 4));
    federationLog.detachAppender(captured);
    // Logged at WARN, naming the reason, never the content.
    var warnings = captured.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
        .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("rejected change")).toList();
    assertThat(warnings).hasSize(4).noneMatch(m -> m.contains("forged"));
    assertThat(String.join("\n", warnings)).contains("which this link did not pin").contains("is not shared on this link")
        .contains("does not verify");
    assertThat(b.digest(bob, project, "chat").getString("sha256")).isEqualTo(before);
    // The chain goes on: the next genuine event is applied.
    a.postMessage(alice, project, channel, "still flowing", "a-2");
    eventually(() -> b.messages(bob, project, channel).size() == 2);
  }

  @Test
  void remoteUserWhoIsNotAMember_cannotWrite_evenWhenTheirNodeForwardsIt() throws Exception {
    String channel = a.channel(alice, project, "general");
    FedNode.User carol = b.signUp("carol@globex.test", "Carol");
    // Her own node refuses first: she holds no role in the replica of P.
    var local = b.call("POST", "/v1/projects/" + project + "/chat/channels/" + channel + "/messages", carol,
        new JsonObject().put("text", "let me in"));
    assertThat(local.status()).isEqualTo(403);
    // A node that forwards it anyway (a bug, or a node that lies): the owner checks the project role itself.
    var request = PostMessageRequest.newBuilder().setProjectId(project).setChannelId(channel)
        .setText("let me in").build();
    LinkRecord link = b.fed().book.get(linkId).orElseThrow();
    Throwable err = TestNodeAwait.failure(b.fed().mutations.send(link, project, "hearth.chat.v1.ChatService/PostMessage",
        request.toByteString(), new Caller(carol.id(), false, null, Caller.Via.SESSION)));
    assertThat(err).isInstanceOf(ModuleException.class).hasMessageContaining("not allowed");
    assertThat(((ModuleException) err).code()).isEqualTo(ModuleException.Code.PERMISSION_DENIED);
    assertThat(a.messages(alice, project, channel)).isEmpty();
  }

  @Test
  void unlink_stopsEventsAndWrites_inBothDirections() throws Exception {
    String channel = a.channel(alice, project, "general");
    bobJoins();
    b.post("/v1/projects/" + project + "/chat/channels/" + channel + "/join", bob, new JsonObject());
    b.postMessage(bob, project, channel, "before", "b-1");
    eventually(() -> b.messages(bob, project, channel).size() == 1);
    a.call("DELETE", "/v1/orgs/" + acme + "/federation/links/" + linkId, alice, null);
    eventually(() -> b.get("/v1/orgs/" + globex + "/federation/links", bob).getJsonArray("links", new JsonArray()).isEmpty());
    // a -> b: nothing more arrives. No later event can reach b to mark the end of a wait, so the proof
    // is that b's consumers on a's stream are gone before the write and a has published it: nothing
    // can deliver it to b afterwards.
    eventually(() -> a.fed().nc().jetStreamManagement().getConsumerNames("HEARTH_CDC_a").stream().noneMatch(c -> c.startsWith("fed-b-")));
    a.postMessage(alice, project, channel, "after the unlink", "a-9");
    eventually(() -> metrics(a).contains("hearth_federation_publish_lag_events{store=\"chat\"} 0.0"));
    assertThat(b.messages(bob, project, channel)).hasSize(1);
    // b -> a: the replica is read-only and nothing is forwarded.
    var refused = b.call("POST", "/v1/projects/" + project + "/chat/channels/" + channel + "/messages", bob,
        new JsonObject().put("text", "after").put("clientMessageId", "b-2"));
    assertThat(refused.status()).isEqualTo(412);
    assertThat(refused.body().getString("code")).isEqualTo("FAILED_PRECONDITION");
    assertThat(a.messages(alice, project, channel)).hasSize(2);
    // a deleted the consumers b had on its streams.
    var jsm = a.fed().nc().jetStreamManagement();
    assertThat(jsm.getConsumerNames("HEARTH_CDC_a")).noneMatch(c -> c.startsWith("fed-b-"));
  }

  @Test
  void unlinkFromThePeersSide_stopsTheOwnerToo() throws Exception {
    String channel = a.channel(alice, project, "general");
    bobJoins();
    eventually(() -> b.messages(bob, project, channel).isEmpty());
    b.call("DELETE", fed.linkPathOnB(), bob, null);
    eventually(() -> a.get("/v1/orgs/" + acme + "/federation/links", alice).getJsonArray("links", new JsonArray()).isEmpty());
    // As above: b's consumers gone before the write, the write published, so nothing can bring it to b.
    eventually(() -> a.fed().nc().jetStreamManagement().getConsumerNames("HEARTH_CDC_a").stream().noneMatch(c -> c.startsWith("fed-b-")));
    a.postMessage(alice, project, channel, "after the unlink", "a-1");
    eventually(() -> metrics(a).contains("hearth_federation_publish_lag_events{store=\"chat\"} 0.0"));
    assertThat(b.messages(bob, project, channel)).isEmpty();
    assertThat(b.call("POST", "/v1/projects/" + project + "/chat/channels/" + channel + "/messages", bob,
        new JsonObject().put("text", "after")).status()).isEqualTo(412);
    eventually(() -> a.fed().nc().jetStreamManagement().getConsumerNames("HEARTH_CDC_a").stream().noneMatch(c -> c.startsWith("fed-b-")));
  }

  @Test
  void linkTokens_workOnce_andAForeignFingerprintIsRefused() throws Exception {
    String token = a.post("/v1/orgs/" + acme + "/federation/invites", alice, new JsonObject()).getString("linkToken");
    // A token whose fingerprint is not the inviting node's (a token edited, or a node impersonated): refused, nothing linked.
    LinkToken t = LinkToken.parseFrom(Base64.getUrlDecoder().decode(token));
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
        t.toBuilder().setFingerprint("00".repeat(32)).build().toByteArray());
    var refused = b.call("POST", "/v1/orgs/" + globex + "/federation/links", bob, new JsonObject().put("linkToken", forged));
    assertThat(refused.status()).isEqualTo(412);
    assertThat(refused.body().getString("message")).contains("fingerprint");
    assertThat(b.get("/v1/orgs/" + globex + "/federation/links", bob).getJsonArray("links")).hasSize(1);
    // The secret was spent by that attempt: the genuine token cannot be used again either.
    var reused = b.call("POST", "/v1/orgs/" + globex + "/federation/links", bob, new JsonObject().put("linkToken", token));
    assertThat(reused.status()).isEqualTo(400);
    assertThat(reused.body().getString("message")).contains("unknown, used or expired");
    var garbage = b.call("POST", "/v1/orgs/" + globex + "/federation/links", bob, new JsonObject().put("linkToken", "nope"));
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(garbage.body().getString("message")).contains("linkToken");
    // Only org-admins make links.
    FedNode.User carol = b.signUp("carol@globex.test", "Carol");
    assertThat(b.call("POST", "/v1/orgs/" + globex + "/federation/links", carol, new JsonObject().put("linkToken", token))
        .status()).isEqualTo(403);
  }

  static void eventually(Callable<Boolean> check) throws Exception {
    eventually(Duration.ofSeconds(20), check);
  }

  /** Waits until {@code check} holds, at most {@code timeout}. */
  static void eventually(Duration timeout, Callable<Boolean> check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (Boolean.TRUE.equals(check.call())) return;
        last = null;
      } catch (Exception | AssertionError e) {
        last = e;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not so within " + timeout.toSeconds() + " s" + (last == null ? "" : ": " + last), last);
  }
}
