package dev.hearth.federation;

import static dev.hearth.federation.FederationIT.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.federation.testing.NatsTopology;
import dev.hearth.kernel.testing.MovableClock;
import dev.hearth.kernel.testing.TestRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expiries proven by moving each node's clock, not by sleeping: a link token is good for 24 hours
 * on the inviting node and on the accepting one; and with {@code autoAcceptShares} the accepting
 * org replicates an offered project without an admin's accept.
 */
class FederationExpiryIT {

  private static final Duration A_DAY_AND_A_MINUTE = Duration.ofHours(24).plusMinutes(1);

  @TempDir Path dir;

  @Test
  void linkTokensExpireAfterADayOnEitherSide_andAutoAcceptSharesAcceptsAnOffer() throws Exception {
    MovableClock clockA = new MovableClock();
    MovableClock clockB = new MovableClock();
    try (NatsTopology nats = NatsTopology.twoLinked(dir.resolve("nats"));
         FedNode a = new FedNode(dir.resolve("a"), "a", nats.server("a").url(), new JsonObject(), clockA);
         FedNode b = new FedNode(dir.resolve("b"), "b", nats.server("b").url(),
             new JsonObject().put("autoAcceptShares", true), clockB)) {
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
    }
  }
}
