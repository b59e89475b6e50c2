package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web shell in a real browser: a node with the chat module, two members of one project and a
 * channel set up over the API, then the Playwright scripts of {@code ui-schemas/web/e2e/chat.test.mjs} (run as
 * {@code npm run e2e -- e2e/chat.test.mjs}) drive Chromium against it: live chat between two browser contexts, an error
 * shown on the card, the chat page's load time, and screenshots of the page and the error at 1280×800 and
 * 390×844 in light and dark (tasks-kit's capture, with axe) in {@code target/screenshots}. The scripts' output is printed; the test fails when they do.
 */
class ChatInBrowserIT {

  @TempDir Path tmp;

  @Test
  void twoMembersChatLiveInTheShell_errorsShowOnTheCard_andThePageLoadsInBothThemes() throws Exception {
    try (TestNode node = TestNode.start(tmp)) {
      node.installModule(Browser.chatJar());
      TwoMembers members = TwoMembers.of(node, "Launch");
      String ann = members.ann();
      String bob = members.bob();
      String project = members.project();
      String channel = node.rest.post("/v1/projects/" + project + "/chat/channels", ann,
          new JsonObject().put("name", "general").put("topic", "Launch plans").put("visibility", "PUBLIC"))
          .ok().getString("id");
      node.rest.post("/v1/projects/" + project + "/chat/channels/" + channel + "/join", bob, new JsonObject()).ok();

      Path shots = Path.of("target", "screenshots").toAbsolutePath();
      Browser.Result run = Browser.runE2e("e2e/chat.test.mjs", members.env(node, Map.of(
          "HEARTH_CHANNEL", channel, "HEARTH_SCREENSHOTS", shots.toString())));

      assertThat(run.exitCode()).as("npm run e2e failed:%n%s", run.output()).isZero();
      assertThat(run.output()).contains("TIMING chat-page-load-ms=", "TIMING chat-live-delivery-ms=");
      Browser.assertCaptured(shots, "chat-live", "chat-error");
      assertThat(Files.size(shots.resolve("chat-live-desktop-dark.png"))).isGreaterThan(5_000);
    }
  }
}
