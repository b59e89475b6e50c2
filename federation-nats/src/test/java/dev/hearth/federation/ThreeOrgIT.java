package dev.hearth.federation;

import static dev.hearth.federation.FederationIT.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.federation.cdc.CdcPublisher;
import dev.hearth.federation.crypto.Envelopes;
import dev.hearth.federation.crypto.ForgedEnvelopeException;
import dev.hearth.federation.v1.Envelope;
import dev.hearth.testkit.nats.NatsTopology;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three orgs, each node with its own nats-server, all leaves of a JetStream-less hub: acme (a)
 * shares one project with globex (b) and initech (c). Removing the link to initech leaves globex
 * working, and the project's scope key is rotated so initech cannot open what acme writes next even
 * though it can still reach acme's stream through the hub.
 */
class ThreeOrgIT {

  @TempDir Path dir;

  @Test
  void unlinkingOneOfTwoPeers_leavesTheOtherWorking_andTheRemovedOneCannotReadNewEvents() throws Exception {
    try (NatsTopology nats = NatsTopology.hubAndLeaves(dir.resolve("nats"), 3);
         FedNode a = new FedNode(dir.resolve("a"), "a", nats.server("a").url());
         FedNode b = new FedNode(dir.resolve("b"), "b", nats.server("b").url());
         FedNode c = new FedNode(dir.resolve("c"), "c", nats.server("c").url())) {
      FedNode.User alice = a.signUp("alice@acme.test", "Alice");
      FedNode.User bob = b.signUp("bob@globex.test", "Bob");
      FedNode.User carol = c.signUp("carol@initech.test", "Carol");
      String acme = a.org(alice, "acme");
      String project = a.project(alice, acme, "launch");
      String toB = Linked.linkAndShare(a, alice, acme, b, bob, b.org(bob, "globex"), project);
      String toC = Linked.linkAndShare(a, alice, acme, c, carol, c.org(carol, "initech"), project);
      Linked.join(a, alice, b, bob, project);
      Linked.join(a, alice, c, carol, project);
      String channel = a.channel(alice, project, "general");
      a.postMessage(alice, project, channel, "to both", "a-1");
      eventually(() -> b.messages(bob, project, channel).size() == 1 && c.messages(carol, project, channel).size() == 1);
      var oldKeyOfC = c.fed().book.scopeKey(project);

      a.call("DELETE", "/v1/orgs/" + acme + "/federation/links/" + toC, alice, null);
      // c's consumers on a's stream are gone before the next write: nothing can deliver it to c
      // afterwards (no later event can reach c to mark the end of a wait).
      eventually(() -> a.fed().nc().jetStreamManagement().getConsumerNames(CdcPublisher.streamName("a")).stream()
          .noneMatch(name -> name.startsWith("fed-c-")));
      a.postMessage(alice, project, channel, "only for globex", "a-2");
      eventually(() -> b.messages(bob, project, channel).size() == 2);
      // c hears of the unlink on a's control stream: until then it still forwards a write to a, which no
      // longer answers it (UNAVAILABLE after the forward timeout; a fresh-clone CI run saw 503 here).
      eventually(() -> c.fed().book.replicaLinkOf(project).isEmpty());
      var refused = c.call("POST", "/v1/projects/" + project + "/chat/channels/" + channel + "/messages", carol,
          new JsonObject().put("text", "anyone?"));
      assertThat(refused.status()).isEqualTo(412); // a read-only copy: no link to the owner any more
      assertThat(c.messages(carol, project, channel)).hasSize(1);
      assertThat(a.messages(alice, project, channel)).hasSize(2);

      // What a published last sits in its stream, reachable from c's server through the hub; c's key
      // does not open it, b's (rotated) one does.
      try (@SuppressWarnings("try") Connection onC = Nats.connect(nats.server("c").url())) {
        var jsm = onC.jetStreamManagement(PeerPull.domain("a"));
        String stream = CdcPublisher.streamName("a");
        long last = jsm.getStreamInfo(stream).getStreamState().getLastSequence();
        Envelope latest = Envelope.parseFrom(jsm.getMessage(stream, last).getData());
        var acmeKeys = b.fed().book.peerKeys(b.fed().book.get(toB).orElseThrow());
        assertThatThrownBy(() -> Envelopes.open(latest, acmeKeys, Set.of(project), p -> oldKeyOfC))
            .isInstanceOfSatisfying(ForgedEnvelopeException.class,
                e -> assertThat(e.reason()).isEqualTo(ForgedEnvelopeException.Reason.UNDECRYPTABLE));
        assertThat(Envelopes.open(latest, acmeKeys, Set.of(project), p -> b.fed().book.scopeKey(project)).payload()).isNotEmpty();
      }
      FederationIT.eventually(() -> a.digest(alice, project, "chat").getString("sha256")
          .equals(b.digest(bob, project, "chat").getString("sha256")));
    }
  }
}
