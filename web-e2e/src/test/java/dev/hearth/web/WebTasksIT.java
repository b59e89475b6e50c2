package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.testing.ModuleJars;
import dev.hearth.kernel.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tasks of WEB-CLIENT.md in a browser, through the UI alone: ONE node, started empty with the
 * chat, survey and video modules, and every {@code ui-schemas/web/e2e/tasks-*.test.mjs} script run
 * against it, two at a time (each script makes its own people and orgs, so they share the node
 * safely). The scripts write what they made to {@code target/tasks-*.json}; this test reads the
 * results back from the node.
 */
class WebTasksIT {

  /** Scripts run at once: two cores, and each script drives up to four browser contexts. */
  static final int CONCURRENCY = 2;
  static final long TIMEOUT_SECONDS = 300;

  @TempDir Path tmp;

  @Test
  void everyTaskScriptPasses_andTheNodeHoldsWhatTheBrowsersDid() throws Exception {
    Path shots = Path.of("target", "screenshots").toAbsolutePath();
    try (TestNode node = TestNode.start(tmp)) {
      node.installModule(Browser.chatJar());
      node.installModule(ModuleJars.built(Path.of("..", "module-survey", "target"), "hearth-module-survey"));
      node.installModule(ModuleJars.built(Path.of("..", "module-video", "target"), "hearth-module-video"));
      List<String> scripts;
      try (Stream<Path> files = Files.list(Browser.WEB.resolve("e2e"))) {
        scripts = files.map(f -> f.getFileName().toString())
            .filter(n -> n.startsWith("tasks-") && n.endsWith(".test.mjs")).sorted().map(n -> "e2e/" + n).toList();
      }
      assertThat(scripts).contains("e2e/tasks-onboarding.test.mjs");

      Browser.Result run = Browser.runScripts(scripts, CONCURRENCY, TIMEOUT_SECONDS, Map.of(
          "HEARTH_URL", "http://127.0.0.1:" + node.port(), "HEARTH_SCREENSHOTS", shots.toString()));
      assertThat(run.exitCode()).as("the task scripts failed:%n%s", run.output()).isZero();

      onboardingIsOnTheNode(node, new JsonObject(Files.readString(shots.resolve("../tasks-onboarding.json"))));
      messagesAreOnTheNode(node, new JsonObject(Files.readString(shots.resolve("../tasks-chat-messages.json"))));
    }
  }

  /** Ann's project has exactly Ann and Bob, both admins; Carol, removed, is refused by the node itself. */
  private static void onboardingIsOnTheNode(TestNode node, JsonObject made) throws Exception {
    String ann = logIn(node, "ann.onboarding@tasks.test", "Ann-password-1");
    String carol = logIn(node, made.getString("carol"), "Carol-password-1");
    String launch = made.getString("launch");
    List<String> roles = node.rest.get("/v1/projects/" + launch + "/members", ann).ok().getJsonArray("members").stream()
        .map(m -> ((JsonObject) m).getString("displayName") + "=" + ((JsonObject) m).getString("role")).sorted().toList();
    assertThat(roles).containsExactly("Ann=project-admin", "Bob=project-admin");
    assertThat(node.rest.get("/v1/projects/" + launch, carol).status()).isEqualTo(403);
    List<String> orgs = node.rest.get("/v1/orgs", ann).ok().getJsonArray("orgs").stream()
        .map(o -> ((JsonObject) o).getString("name")).sorted().toList();
    assertThat(orgs).containsExactly("Acme", "Beta");
    assertThat(node.rest.get("/v1/projects/" + made.getString("research"), ann).ok().getString("name")).isEqualTo("Research");
    JsonObject unread = node.rest.get("/v1/projects/" + launch + "/chat/unread",
        logIn(node, made.getString("bob"), "Bob-password-1")).ok();
    assertThat(unread.getJsonArray("channels").getJsonObject(0).getString("unread")).isEqualTo("2");
  }

  /**
   * The chat-messages script's channel holds what its browsers did: one pin (the kickoff, with Bob's
   * rocket, Ann's taken back, and two replies), and the mention of Bob carried by id.
   */
  private static void messagesAreOnTheNode(TestNode node, JsonObject made) throws Exception {
    String ann = logIn(node, "ann.chat-messages@tasks.test", "Ann-password-1");
    String bob = logIn(node, "bob.chat-messages@tasks.test", "Bob-password-1");
    String channel = "/v1/projects/" + made.getString("project") + "/chat/channels/" + made.getString("channel");
    JsonArray pins = node.rest.get(channel + "/pins", ann).ok().getJsonArray("messages");
    assertThat(pins.size()).isEqualTo(1);
    JsonObject kickoff = pins.getJsonObject(0);
    assertThat(kickoff.getString("text")).startsWith("**Kickoff**");
    assertThat(kickoff.getInteger("replyCount")).isEqualTo(2);
    String bobId = node.rest.get("/v1/me", bob).ok().getJsonObject("profile").getString("userId");
    JsonArray reactions = kickoff.getJsonArray("reactions");
    assertThat(reactions.size()).isEqualTo(1);
    assertThat(reactions.getJsonObject(0).getString("emoji")).isEqualTo("🚀");
    assertThat(reactions.getJsonObject(0).getJsonArray("userIds").getList()).containsExactly(bobId);
    JsonObject mention = node.rest.get(channel + "/messages", ann).ok().getJsonArray("messages").stream()
        .map(JsonObject.class::cast).filter(m -> m.getString("text", "").contains("can you review")).findFirst().orElseThrow();
    assertThat(mention.getJsonArray("mentionUserIds").getList()).containsExactly(bobId);
  }

  private static String logIn(TestNode node, String email, String password) throws Exception {
    return node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", email).put("password", password))
        .ok().getString("accessToken");
  }
}
