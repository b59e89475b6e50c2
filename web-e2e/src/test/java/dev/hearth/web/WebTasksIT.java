package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.testing.ModuleJars;
import dev.hearth.kernel.testing.TestNode;
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
  static final long TIMEOUT_SECONDS = 480;

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
      assertThat(scripts).contains("e2e/tasks-onboarding.test.mjs", "e2e/tasks-chat-channels.test.mjs");
      // -Dhearth.tasks=<part of a name>: only those scripts (while working on one); their read-backs only.
      String only = System.getProperty("hearth.tasks", "");
      scripts = scripts.stream().filter(n -> n.contains(only)).toList();

      Browser.Result run = Browser.runScripts(scripts, CONCURRENCY, TIMEOUT_SECONDS, Map.of(
          "HEARTH_URL", "http://127.0.0.1:" + node.port(), "HEARTH_SCREENSHOTS", shots.toString()));
      assertThat(run.exitCode()).as("the task scripts failed:%n%s", run.output()).isZero();

      if (scripts.contains("e2e/tasks-onboarding.test.mjs")) {
        onboardingIsOnTheNode(node, new JsonObject(Files.readString(shots.resolve("../tasks-onboarding.json"))));
      }
      if (scripts.contains("e2e/tasks-chat-channels.test.mjs")) {
        channelsAreOnTheNode(node, new JsonObject(Files.readString(shots.resolve("../tasks-chat-channels.json"))));
      }
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
   * Bob left #random; #secret is private with Ann, Bob and Carol; the conversations are DIRECT with
   * exactly their people; Bob read everything Ann wrote to him.
   */
  private static void channelsAreOnTheNode(TestNode node, JsonObject made) throws Exception {
    String project = made.getString("project");
    String ann = logIn(node, made.getString("ann"), "Ann-password-1");
    String bob = logIn(node, made.getString("bob"), "Bob-password-1");
    String chat = "/v1/projects/" + project + "/chat/channels/";
    JsonObject secret = node.rest.get(chat + made.getString("secret"), ann).ok();
    assertThat(secret.getString("visibility")).isEqualTo("PRIVATE");
    assertThat(node.rest.get(chat + made.getString("secret") + "/members", ann).ok().getJsonArray("members")).hasSize(3);
    List<String> randomMembers = node.rest.get(chat + made.getString("random") + "/members", ann).ok().getJsonArray("members")
        .stream().map(m -> ((JsonObject) m).getString("userId")).toList();
    assertThat(randomMembers).hasSize(1);
    JsonObject group = node.rest.get(chat + made.getString("group"), bob).ok();
    assertThat(group.getString("kind")).isEqualTo("DIRECT");
    assertThat(group.getJsonArray("directMemberIds")).hasSize(3);
    JsonObject unread = node.rest.get("/v1/projects/" + project + "/chat/unread", bob).ok();
    String direct = made.getString("bobDirect");
    assertThat(unread.getJsonArray("channels").stream().map(c -> (JsonObject) c)
        .filter(c -> c.getString("channelId").equals(direct)).map(c -> c.getString("unread")).toList()).containsExactly("0");
  }

  private static String logIn(TestNode node, String email, String password) throws Exception {
    return node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", email).put("password", password))
        .ok().getString("accessToken");
  }
}
