package dev.hearth.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.federation.testing.NatsTopology;
import dev.hearth.kernel.testing.TestRealtime;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two orgs on two nodes, each with its own nats-server (B's a leaf of A's): acme on node a owns
 * project P and shares it with globex on node b. Users of both chat in P, live, each on their own node.
 */
class FederationIT {

  @TempDir Path dir;
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
    nats = NatsTopology.twoLinked(dir.resolve("nats"));
    a = new FedNode(dir.resolve("a"), "a", nats.server("a").url());
    b = new FedNode(dir.resolve("b"), "b", nats.server("b").url());
    alice = a.signUp("alice@acme.test", "Alice");
    bob = b.signUp("bob@globex.test", "Bob");
    acme = a.org(alice, "acme");
    globex = b.org(bob, "globex");
    project = a.project(alice, acme, "launch");
    String token = a.post("/v1/orgs/" + acme + "/federation/invites", alice, new JsonObject()).getString("token");
    linkId = b.post("/v1/orgs/" + globex + "/federation/links", bob, new JsonObject().put("token", token)).getString("id");
    a.post("/v1/orgs/" + acme + "/federation/links/" + linkId + "/shares", alice, new JsonObject().put("projectId", project));
    eventually(() -> b.get("/v1/orgs/" + globex + "/federation/links/" + linkId, bob).getJsonArray("shares").size() == 1);
    b.post("/v1/orgs/" + globex + "/federation/links/" + linkId + "/shares/" + project + "/accept", bob, new JsonObject());
  }

  @AfterEach
  void close() {
    if (b != null) b.close();
    if (a != null) a.close();
    if (nats != null) nats.close();
  }

  /** Bob joins P with an invite code from acme's admin, on his own node. */
  private void bobJoins() throws Exception {
    String code = a.post("/v1/projects/" + project + "/invites", alice, new JsonObject().put("role", "project-user"))
        .getString("code");
    JsonObject joined = b.post("/v1/federation/join-project", bob, new JsonObject().put("code", code));
    assertThat(joined.getString("projectId")).isEqualTo(project);
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
    JsonArray onA = a.messages(alice, project, channel);
    eventually(() -> b.messages(bob, project, channel).equals(a.messages(alice, project, channel)));
    assertThat(onA).hasSize(3);
    // Members: bob shows as name@org on acme's node, alice as name@org on globex's.
    String membersOnA = a.get("/v1/projects/" + project + "/members", alice).encode();
    assertThat(membersOnA).contains("Bob@globex");
    eventually(() -> b.get("/v1/projects/" + project + "/members", bob).encode().contains("Alice@acme"));
    // Same content on both nodes, store by store.
    for (String store : new String[] {"chat", "kernel"}) {
      eventually(() -> a.digest(alice, project, store).getString("sha256").equals(b.digest(bob, project, store).getString("sha256")));
    }
  }

  static void eventually(Callable<Boolean> check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
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
    throw new AssertionError("not so within 20 s" + (last == null ? "" : ": " + last), last);
  }
}
