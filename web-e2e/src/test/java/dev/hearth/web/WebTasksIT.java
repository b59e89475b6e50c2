package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.testing.ModuleJars;
import dev.hearth.kernel.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
  /** The scripts' run, all of them; the test's own limit (above failsafe's 5 min default) leaves room to stop them. */
  static final long TIMEOUT_SECONDS = 540;

  @TempDir Path tmp;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
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
      videoIsOnTheNode(node, new JsonObject(Files.readString(shots.resolve("../tasks-video.json"))));
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

  /** Task 23: the lobby's room and #general's call are two open rooms of Ann's project, the second keyed by the channel. */
  private static void videoIsOnTheNode(TestNode node, JsonObject made) throws Exception {
    String ann = logIn(node, "ann.video@tasks.test", "Ann-password-1");
    String me = node.rest.get("/v1/me", ann).ok().getJsonObject("profile").getString("userId");
    Map<String, JsonObject> rooms = new HashMap<>();
    node.rest.get("/v1/projects/" + made.getString("project") + "/video/rooms", ann).ok().getJsonArray("rooms")
        .forEach(r -> rooms.put(((JsonObject) r).getString("id"), (JsonObject) r));
    assertThat(rooms.get(made.getString("lobbyRoom")).getString("name")).isEqualTo("Standup");
    JsonObject call = rooms.get(made.getString("channelRoom"));
    assertThat(call.getString("key")).isEqualTo("chat/" + made.getString("general"));
    assertThat(call.getString("name")).isEqualTo("# general");
    assertThat(call.getString("creatorId")).isEqualTo(me);
  }

  private static String logIn(TestNode node, String email, String password) throws Exception {
    return node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", email).put("password", password))
        .ok().getString("accessToken");
  }
}
