package dev.hearth.federation;

import static dev.hearth.federation.FederationIT.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.nats.NatsTopology;
import dev.hearth.testkit.MovableClock;
import dev.hearth.testkit.TestRest;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expiries proven by moving each node's clock, not by sleeping: a link token is good for 24 hours
 * on the inviting node and on the accepting one; with {@code autoAcceptShares} the accepting org
 * replicates an offered project without an admin's accept; and a remote user's write queued for the
 * owner longer than {@code requestExpiryHours} (24 h) is refused there, while a younger one is
 * applied, and a writer still waiting is told it expired.
 */
class FederationExpiryIT {

  private static final Duration A_DAY_AND_A_MINUTE = Duration.ofHours(24).plusMinutes(1);
  /**
   * How long b's writers wait for the owner before they are told their write is queued: 3 s, not
   * FedNode's 10 s, since the writers queued while the owner's NATS server is down wait it out in full.
   */
  private static final int FORWARD_TIMEOUT_SECONDS = 3;

  @TempDir Path dir;

  @Test
  void linkTokensExpireAfterADayOnEitherSide_autoAcceptSharesAcceptsAnOffer_andQueuedWritesExpire() throws Exception {
    MovableClock clockA = new MovableClock();
    MovableClock clockB = new MovableClock();
    try (NatsTopology nats = NatsTopology.twoLinked(dir.resolve("nats"));
         FedNode a = new FedNode(dir.resolve("a"), "a", nats.server("a").url(), new JsonObject(), clockA);
         FedNode b = new FedNode(dir.resolve("b"), "b", nats.server("b").url(),
             new JsonObject().put("autoAcceptShares", true).put("forwardTimeoutSeconds", FORWARD_TIMEOUT_SECONDS), clockB)) {
      FedNode.User alice = a.signUp("alice@acme.test", "Alice");
      FedNode.User bob = b.signUp("bob@globex.test", "Bob");
      String acme = a.org(alice, "acme");
      String globex = b.org(bob, "globex");
      String project = a.project(alice, acme, "launch");
      String links = "/v1/orgs/" + globex + "/federation/links";

      // The inviting node reckons the secret's age by its own clock: a day and a minute on, it is refused,
      // with the one answer a guesser also gets, and it is not spent.
      String first = a.post("/v1/orgs/" + acme + "/federation/invites", alice, new JsonObject()).getString("linkToken");
      clockA.setOffset(A_DAY_AND_A_MINUTE);
      TestRest.Response late = b.call("POST", links, bob, new JsonObject().put("linkToken", first));
      assertThat(late.status()).as(late.body().encode()).isEqualTo(400);
      assertThat(late.body().getString("message")).contains("unknown, used or expired");
      assertThat(b.get(links, bob).getJsonArray("links", new JsonArray())).isEmpty();

      // 23 hours and 59 minutes on, the same token still links the orgs.
      clockA.setOffset(Duration.ofHours(24).minusMinutes(1));
      String linkId = b.post(links, bob, new JsonObject().put("linkToken", first)).getString("id");
      assertThat(b.get(links, bob).getJsonArray("links")).hasSize(1);

      // autoAcceptShares on b: alice offers the project and b replicates it with no accept from bob.
      clockA.setOffset(Duration.ZERO);
      alice = a.logIn("alice@acme.test");
      a.post("/v1/orgs/" + acme + "/federation/links/" + linkId + "/shares", alice, new JsonObject().put("projectId", project));
      String onB = links + "/" + linkId;
      FedNode.User bobNow = bob;
      eventually(() -> {
        JsonArray shares = b.get(onB, bobNow).getJsonArray("shares", new JsonArray());
        return shares.size() == 1 && "SHARED".equals(shares.getJsonObject(0).getString("state"));
      });
      String onA = "/v1/orgs/" + acme + "/federation/links/" + linkId;
      FedNode.User aliceNow = alice;
      eventually(() -> "SHARED".equals(a.get(onA, aliceNow).getJsonArray("shares").getJsonObject(0).getString("state")));

      // The accepting node checks the token's age by its clock too, before it asks the inviter.
      String second = a.post("/v1/orgs/" + acme + "/federation/invites", alice, new JsonObject()).getString("linkToken");
      clockB.setOffset(A_DAY_AND_A_MINUTE);
      bob = b.logIn("bob@globex.test"); // his earlier token expired with the jump
      TestRest.Response expired = b.call("POST", links, bob, new JsonObject().put("linkToken", second));
      assertThat(expired.status()).as(expired.body().encode()).isEqualTo(400);
      assertThat(expired.body().getString("message")).contains("linkToken").contains("has expired");

      // requestExpiryHours (24 h): bob, on b, writes into the project a owns; his node stamps each write
      // with its own clock + 24 h, and the owner checks that stamp by its clock when it reads the write.
      clockB.setOffset(Duration.ZERO);
      bob = b.logIn("bob@globex.test");
      Linked.join(a, alice, b, bob, project);
      String channel = a.channel(alice, project, "general");
      String chat = "/v1/projects/" + project + "/chat/channels/" + channel;
      FedNode.User member = bob;
      eventually(() -> b.call("GET", chat, member, null).status() == 200);
      b.post(chat + "/join", bob, new JsonObject());
      String messages = chat + "/messages";
      FutureTask<String> oldWrite;
      FutureTask<String> youngWrite;

      // A writer still waiting is told: a's clock is a day and a minute ahead, so b's stamp has expired there.
      clockA.setOffset(A_DAY_AND_A_MINUTE);
      TestRest.Response tooOld = b.call("POST", messages, bob, new JsonObject().put("text", "late"));
      assertThat(tooOld.status()).as(tooOld.body().encode()).isEqualTo(412);
      assertThat(tooOld.body().getString("message")).contains("expired before the owner's node got it");
      clockA.setOffset(Duration.ZERO);

      // The owner's NATS server goes down: b's writes wait in b's stream, and their writers get UNAVAILABLE
      // naming the queued request and how long it stays valid. The two writers wait at the same time:
      // b's clock moves once "old" is in b's stream (so stamped), read from b's NATS server.
      nats.server("a").kill();
      try (@SuppressWarnings("try") Connection natsB = Nats.connect(nats.server("b").url())) {
        JetStreamManagement jsm = natsB.jetStreamManagement();
        long before = jsm.getStreamInfo("HEARTH_MUT_b").getStreamState().getMsgCount();
        oldWrite = queuedInBackground(b, bob, messages, "old");
        eventually(() -> jsm.getStreamInfo("HEARTH_MUT_b").getStreamState().getMsgCount() == before + 1);
        clockB.setOffset(Duration.ofHours(23));
        bob = b.logIn("bob@globex.test");
        youngWrite = queuedInBackground(b, bob, messages, "young");
      }
      String old = oldWrite.get(60, TimeUnit.SECONDS);
      String young = youngWrite.get(60, TimeUnit.SECONDS);
      // The owner is back a day and a minute after "old" was stamped, 1 h and a minute after "young".
      clockA.setOffset(A_DAY_AND_A_MINUTE);
      nats.server("a").restart();
      eventually(Duration.ofSeconds(90), () -> a.fed().mutations.answered("b", old).isPresent()
          && a.fed().mutations.answered("b", young).isPresent());
      assertThat(a.fed().mutations.answered("b", old).orElseThrow().getErrorCode()).isEqualTo("FAILED_PRECONDITION");
      assertThat(a.fed().mutations.answered("b", young).orElseThrow().getErrorCode()).isEmpty();

      // Absence by a later marker: a write made now is answered by the owner, and then both nodes hold
      // "young" and the marker once each, and neither "old" nor "late".
      b.post(messages, bob, new JsonObject().put("text", "marker"));
      alice = a.logIn("alice@acme.test");
      assertThat(texts(a.messages(alice, project, channel))).containsOnlyOnce("young", "marker").doesNotContain("old", "late");
      FedNode.User reader = bob;
      eventually(() -> texts(b.messages(reader, project, channel)).contains("marker"));
      assertThat(texts(b.messages(bob, project, channel))).containsOnlyOnce("young", "marker").doesNotContain("old", "late");
    }
  }

  /** {@link #queued} on a thread of its own, started. */
  private static FutureTask<String> queuedInBackground(FedNode b, FedNode.User bob, String messages, String text) {
    FutureTask<String> task = new FutureTask<>(() -> queued(b, bob, messages, text));
    new Thread(task, "write-" + text).start();
    return task;
  }

  /** Posts {@code text} on b while the owner cannot be reached; returns the id of the queued request. */
  private static String queued(FedNode b, FedNode.User bob, String messages, String text) throws Exception {
    TestRest.Response r = b.call("POST", messages, bob, new JsonObject().put("text", text));
    assertThat(r.status()).as(r.body().encode()).isEqualTo(503);
    String message = r.body().getString("message");
    assertThat(message).contains("within 24 h");
    Matcher m = Pattern.compile("queued as ([0-9a-f-]+) ").matcher(message);
    assertThat(m.find()).as(message).isTrue();
    return m.group(1);
  }

  private static List<String> texts(JsonArray messages) {
    List<String> texts = new ArrayList<>();
    for (Object m : messages) texts.add(((JsonObject) m).getString("text"));
    return texts;
  }
}
