package dev.hearth.federation;

import static dev.hearth.federation.FederationIT.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.federation.testing.NatsTopology;
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
    String token = a.post("/v1/orgs/" + acme + "/federation/invites", alice, new JsonObject()).getString("linkToken");
    linkId = b.post("/v1/orgs/" + globex + "/federation/links", bob, new JsonObject().put("linkToken", token)).getString("id");
    a.post("/v1/orgs/" + acme + "/federation/links/" + linkId + "/shares", alice, new JsonObject().put("projectId", project));
    eventually(() -> b.get(linkPathOnB(), bob).getJsonArray("shares").size() == 1);
    b.post(linkPathOnB() + "/shares/" + project + "/accept", bob, new JsonObject());
  }

  String linkPathOnB() {
    return "/v1/orgs/" + globex + "/federation/links/" + linkId;
  }

  /** Bob joins the project with an invite code from acme's admin, on his own node. */
  void bobJoins() throws Exception {
    String code = a.post("/v1/projects/" + project + "/invites", alice, new JsonObject().put("role", "project-user"))
        .getString("code");
    JsonObject joined = b.post("/v1/federation/join-project", bob, new JsonObject().put("code", code));
    assertThat(joined.getString("projectId")).isEqualTo(project);
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
