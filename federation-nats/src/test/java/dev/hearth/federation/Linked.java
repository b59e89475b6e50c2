package dev.hearth.federation;

import static dev.hearth.federation.FederationIT.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.nats.NatsTopology;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * Two orgs on two nodes, each with its own nats-server (b's a leaf of a's): acme on node a owns
 * project {@link #project} and shares it with globex on node b, which accepted it.
 */
final class Linked implements AutoCloseable {

  final NatsTopology nats;
  final FedNode a;
  final FedNode b;
  final FedNode.User alice;
  final FedNode.User bob;
  final String acme;
  final String globex;
  final String project;
  final String linkId;

  Linked(Path dir, JsonObject federationA) throws Exception {
    nats = NatsTopology.twoLinked(dir.resolve("nats"));
    a = new FedNode(dir.resolve("a"), "a", nats.server("a").url(), federationA);
    b = new FedNode(dir.resolve("b"), "b", nats.server("b").url());
    alice = a.signUp("alice@acme.test", "Alice");
    bob = b.signUp("bob@globex.test", "Bob");
    acme = a.org(alice, "acme");
    globex = b.org(bob, "globex");
    project = a.project(alice, acme, "launch");
    linkId = linkAndShare(a, alice, acme, b, bob, globex, project);
  }

  /**
   * Links {@code ownerOrg} on {@code owner} with {@code peerOrg} on {@code peer} (invite, accept),
   * shares {@code project} and accepts the share; returns the link's id.
   */
  static String linkAndShare(FedNode owner, FedNode.User ownerAdmin, String ownerOrg, FedNode peer, FedNode.User peerAdmin,
      String peerOrg, String project) throws Exception {
    String token = owner.post("/v1/orgs/" + ownerOrg + "/federation/invites", ownerAdmin, new JsonObject()).getString("linkToken");
    String link = peer.post("/v1/orgs/" + peerOrg + "/federation/links", peerAdmin, new JsonObject().put("linkToken", token))
        .getString("id");
    owner.post("/v1/orgs/" + ownerOrg + "/federation/links/" + link + "/shares", ownerAdmin, new JsonObject().put("projectId", project));
    String onPeer = "/v1/orgs/" + peerOrg + "/federation/links/" + link;
    eventually(() -> peer.get(onPeer, peerAdmin).getJsonArray("shares").size() == 1);
    peer.post(onPeer + "/shares/" + project + "/accept", peerAdmin, new JsonObject());
    return link;
  }

  /** {@code user} of {@code peer} joins {@code project} of {@code owner} with an invite code from its admin. */
  static void join(FedNode owner, FedNode.User ownerAdmin, FedNode peer, FedNode.User user, String project) throws Exception {
    String code = owner.post("/v1/projects/" + project + "/invites", ownerAdmin, new JsonObject().put("role", "project-user"))
        .getString("code");
    JsonObject joined = peer.post("/v1/federation/join-project", user, new JsonObject().put("code", code));
    assertThat(joined.getString("projectId")).isEqualTo(project);
  }

  String linkPathOnB() {
    return "/v1/orgs/" + globex + "/federation/links/" + linkId;
  }

  /** Bob joins the project with an invite code from acme's admin, on his own node. */
  void bobJoins() throws Exception {
    join(a, alice, b, bob, project);
  }

  /** Waits until both nodes hold the same content of the project in {@code store}. */
  void converged(String store) throws Exception {
    eventually(() -> a.digest(alice, project, store).getString("sha256").equals(b.digest(bob, project, store).getString("sha256")));
  }

  @Override
  public void close() {
    try {
      b.close();
    } finally {
      try {
        a.close();
      } finally {
        nats.close();
      }
    }
  }
}
