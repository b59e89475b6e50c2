package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The web shell in a real browser ({@code ui-schemas/web/e2e/chat.test.mjs}), on {@link WebTasksIT}'s
 * shared node: two members of one project and a channel set up over the API, then the script drives
 * Chromium: live chat between two browser contexts, an error shown on the card, the chat page's load
 * time, and screenshots of the page and the error at 1280×800 and 390×844 in light and dark
 * (tasks-kit's capture, with axe) in {@code target/screenshots}. The test fails when the script does.
 */
final class ChatInBrowser {

  private final Path shots;
  final Browser.Job job;

  /** Ann and Bob of chat.web.test in project Launch, both in #general. */
  ChatInBrowser(TestNode node, Path shots) throws Exception {
    this.shots = shots;
    TwoMembers members = TwoMembers.of(node, "chat", "Launch");
    String project = members.project();
    String channel = node.rest.post("/v1/projects/" + project + "/chat/channels", members.ann(),
        new JsonObject().put("name", "general").put("topic", "Launch plans").put("visibility", "PUBLIC"))
        .ok().getString("id");
    node.rest.post("/v1/projects/" + project + "/chat/channels/" + channel + "/join", members.bob(), new JsonObject()).ok();
    job = Browser.Job.script("chat", "e2e/chat.test.mjs", members.env(node, Map.of(
        "HEARTH_CHANNEL", channel, "HEARTH_SCREENSHOTS", shots.toString())));
  }

  /** Two members chat live in the shell, errors show on the card, and the page loads in both themes. */
  void check(Browser.Result run) throws Exception {
    assertThat(run.exitCode()).as("e2e/chat.test.mjs failed:%n%s", run.output()).isZero();
    assertThat(run.output()).contains("TIMING chat-page-load-ms=", "TIMING chat-live-delivery-ms=");
    Browser.assertCaptured(shots, "chat-live", "chat-error");
    assertThat(Files.size(shots.resolve("chat-live-desktop-dark.png"))).isGreaterThan(5_000);
  }
}
