package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.nats.NatsTopology;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRealtime;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin console's federation section ({@code ui-schemas/web/e2e/federation.test.mjs}) against
 * two nodes of its own with federation on, each with its own {@code nats-server} (b's a leaf of a's,
 * as {@link NatsTopology#twoLinked} starts them): acme's admin on node a invites, globex's admin on
 * node b accepts, acme shares its project and globex accepts the share, all in their browsers. Only
 * the people, orgs and the project are made over the API. Afterwards the link is gone from both
 * nodes (the script removed it at the end). {@link WebTasksIT} runs it beside tasks-admin, which has
 * the shared node to itself: these nodes are not that one.
 */
final class FederationInBrowser implements AutoCloseable {

  private final NatsTopology nats;
  private TestNode a;
  private TestNode b;
  private String alice;
  private String bob;
  private String acme;
  private String globex;
  private final Path shots;
  final Browser.Job job;

  /** Starts both NATS servers and nodes under {@code dir}, and makes Alice's acme and Bob's globex. */
  FederationInBrowser(Path dir, Path shots) throws Exception {
    this.shots = shots;
    nats = NatsTopology.twoLinked(dir.resolve("nats"));
    try {
      a = federated(dir.resolve("a"), "a", nats.server("a").url());
      b = federated(dir.resolve("b"), "b", nats.server("b").url());
      job = setUp();
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  private Browser.Job setUp() throws Exception {
    alice = a.signUp("alice@acme.test", "alice-password-1");
    bob = b.signUp("bob@globex.test", "bob-password-1");
    acme = a.rest.post("/v1/orgs", alice, new JsonObject().put("name", "acme")).ok().getString("id");
    globex = b.rest.post("/v1/orgs", bob, new JsonObject().put("name", "globex")).ok().getString("id");
    a.rest.post("/v1/orgs/" + acme + "/projects", alice, new JsonObject().put("name", "Launch")).ok();
    b.rest.post("/v1/orgs/" + globex + "/projects", bob, new JsonObject().put("name", "Garden")).ok();

    // The org's federation topic is its admins': another user of the node is refused it (as not found).
    String carol = a.signUp("carol@acme.test", "carol-password-1");
    try (TestRealtime rt = TestRealtime.connect(a, carol)) {
      JsonObject refused = rt.request(new JsonObject().put("type", "subscribe").put("topic", "federation/org/" + acme));
      assertThat(refused.getString("type")).as(refused.encode()).isEqualTo("error");
      assertThat(refused.getString("code")).as(refused.encode()).isEqualTo("NOT_FOUND");
    }
    try (TestRealtime rt = TestRealtime.connect(a, alice)) {
      rt.subscribe("federation/org/" + acme, null);
    }
    return Browser.Job.script("federation", "e2e/federation.test.mjs", Map.of(
        "HEARTH_URL", "http://127.0.0.1:" + a.port(), "HEARTH_URL_B", "http://127.0.0.1:" + b.port(),
        "HEARTH_ALICE_EMAIL", "alice@acme.test", "HEARTH_ALICE_PASSWORD", "alice-password-1", "HEARTH_ALICE_ORG", acme,
        "HEARTH_BOB_EMAIL", "bob@globex.test", "HEARTH_BOB_PASSWORD", "bob-password-1", "HEARTH_BOB_ORG", globex,
        "HEARTH_SCREENSHOTS", shots.toString()));
  }

  /** Org admins on two nodes linked their orgs and shared a project in the console; the link is gone on both after. */
  void check(Browser.Result run) throws Exception {
    assertThat(run.exitCode()).as("e2e/federation.test.mjs failed:%n%s", run.output()).isZero();
    Matcher made = Pattern.compile("LINK (\\S+)").matcher(run.output());
    assertThat(made.find()).as(run.output()).isTrue();
    String link = made.group(1);

    // The script linked, shared, paused, resumed, unshared and finally removed the link: gone on both nodes.
    assertThat(run.output()).contains("LIVE federation link-paused requests=0");
    assertThat(a.rest.get("/v1/orgs/" + acme + "/federation/links/" + link, alice).status()).isEqualTo(404);
    assertThat(b.rest.get("/v1/orgs/" + globex + "/federation/links/" + link, bob).status()).isEqualTo(404);
    assertThat(a.rest.get("/v1/orgs/" + acme + "/federation/links", alice).ok().getJsonArray("links")).isEmpty();
    assertThat(b.rest.get("/v1/orgs/" + globex + "/federation/links", bob).ok().getJsonArray("links")).isEmpty();
    Browser.assertCaptured(shots, "admin-federation", "admin-federation-invite", "admin-federation-offered",
        "admin-federation-shared", "admin-federation-paused", "admin-federation-unshare-confirm",
        "admin-federation-remove-confirm", "admin-federation-removed");
  }

  /** Node b, node a, then the NATS servers. */
  @Override
  public void close() {
    try {
      if (b != null) b.close();
    } finally {
      try {
        if (a != null) a.close();
      } finally {
        nats.close();
      }
    }
  }

  /** A node with federation on, on its own nats-server, with short timeouts as the federation tests use. */
  private static TestNode federated(Path dir, String name, String natsUrl) {
    return TestNode.start(dir, o -> o.setFederation(new JsonObject().put("natsUrl", natsUrl).put("nodeId", name)
        .put("jsDomain", name).put("gapTimeoutSeconds", 3).put("forwardTimeoutSeconds", 10)));
  }
}
