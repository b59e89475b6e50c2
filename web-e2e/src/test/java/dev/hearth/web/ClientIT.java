package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TypeScript client ({@code clients/js}, docs/clients.md) against a real node with the chat
 * module: the package's Node tests ({@code npm run test:node}, {@code clients/js/test/node}) with {@code HEARTH_URL} pointing at it, and the
 * two examples of docs/clients.md as written there. Access tokens live 10 s here, so renewals
 * happen while the scripts run. Their output is printed; the test fails when they do.
 */
class ClientIT {

  static final String CHROMIUM = Browser.CHROMIUM;

  @TempDir static Path tmp;
  /** One node for both tests: the Node tests make their own people (an email unique to the run), the examples Demo. */
  static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start(tmp, new JsonObject().put("authAttemptsPerAddress", 100_000).put("accessTtlSeconds", 10));
    node.installModule(Browser.chatJar());
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void theNodeTests_signInCallFailRenewAndFollowChatAcrossKilledConnections() throws Exception {
    ClientScripts.Result run = ClientScripts.run(List.of("npm", "run", "--silent", "test:node"),
        Map.of("HEARTH_URL", url(node)), 240, List.of());
    assertThat(run.exitCode()).as("npm run test:node failed:%n%s", run.output()).isZero();
    assertThat(run.output()).contains("ℹ fail 0").doesNotContain("ℹ pass 0");
  }

  @Test
  void theExamplesOfTheDocsRun_inNodeAndInChromium() throws Exception {
    String token = node.signUp("demo@client.test", "demo-password-1");
    String org = node.rest.post("/v1/orgs", token, new JsonObject().put("name", "Demo org")).ok().getString("id");
    String project = node.rest.post("/v1/orgs/" + org + "/projects", token, new JsonObject().put("name", "Demo"))
        .ok().getString("id");
    node.rest.post("/v1/projects/" + project + "/chat/channels", token,
        new JsonObject().put("name", "general").put("visibility", "PUBLIC")).ok();
    Map<String, String> env = Map.of("HEARTH_URL", url(node), "HEARTH_EMAIL", "demo@client.test",
        "HEARTH_PASSWORD", "demo-password-1", "HEARTH_CHROMIUM", CHROMIUM);

    // It prints events until stopped: stopped once its own message came back and the empty one was refused.
    List<String> expected = List.of("refused: INVALID_ARGUMENT on text:", "message.created hello from Node v");
    ClientScripts.Result script = ClientScripts.run(List.of("node", "examples/node-chat.mjs"), env, 60, expected);
    assertThat(script.output()).contains(expected);

    if (!Files.isExecutable(Path.of(CHROMIUM))) {
      throw new IllegalStateException(CHROMIUM + " is missing: install Debian's chromium package (.ci/run does) "
          + "or point HEARTH_CHROMIUM at a Chromium");
    }
    ClientScripts.Result page = ClientScripts.run(List.of("node", "scripts/browser-example.mjs"), env, 120, List.of());
    assertThat(page.exitCode()).as("the browser example failed:%n%s", page.output()).isZero();
    assertThat(page.output()).contains("-- first load: stored session absent", "-- after a reload: stored session present",
        "[page] INVALID_ARGUMENT (name):");
    assertThat(page.output().split("message.created #", -1)).hasSize(3);
  }

  private static String url(TestNode node) {
    return "http://127.0.0.1:" + node.port();
  }
}
