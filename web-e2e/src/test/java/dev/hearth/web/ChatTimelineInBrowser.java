package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;

/**
 * The chat host elements (Hearth.Timeline, Hearth.Composer) in a real browser, on {@link WebTasksIT}'s
 * shared node: Ann and Bob with display names, a channel both are in, a channel of 120 messages and a
 * read-only one, set up over the API; then {@code ui-schemas/web/e2e/chat-timeline.test.mjs} drives
 * Chromium: Enter and Shift+Enter, live delivery with name, time and Markdown, edit and delete seen
 * live, scrolling up through history without the view jumping, the node's error next to the composer,
 * screenshots at 1280×800 and 390×844 in both themes and axe-core on each.
 */
final class ChatTimelineInBrowser {

  private final Path shots;
  final Browser.Job job;

  ChatTimelineInBrowser(TestNode node, Path shots) throws Exception {
    this.shots = shots;
    TwoMembers members = TwoMembers.of(node, "timeline", "Timeline");
    String ann = members.ann();
    String bob = members.bob();
    named(node, ann, "Ann Archer");
    named(node, bob, "Bob Baker");
    String chat = "/v1/projects/" + members.project() + "/chat/channels";
    String general = channel(node, chat, ann, bob, "general");
    String history = channel(node, chat, ann, bob, "history");
    for (int i = 1; i <= 120; i++) {
      node.rest.post(chat + "/" + history + "/messages", i % 2 == 0 ? bob : ann,
          new JsonObject().put("text", String.format("History %03d", i))).ok();
    }
    String readOnly = channel(node, chat, ann, bob, "announcements");
    node.rest.call("PATCH", chat + "/" + readOnly, ann, new JsonObject().put("readOnly", true)).ok();
    job = Browser.Job.script("chat-timeline", "e2e/chat-timeline.test.mjs", members.env(node, Map.of(
        "HEARTH_CHANNEL", general, "HEARTH_HISTORY", history, "HEARTH_READ_ONLY", readOnly,
        "HEARTH_SCREENSHOTS", shots.toString())));
  }

  /** Two members chat through the timeline and composer. */
  void check(Browser.Result run) {
    assertThat(run.exitCode()).as("e2e/chat-timeline.test.mjs failed:%n%s", run.output()).isZero();
    for (String size : new String[] {"desktop", "phone"}) {
      for (String scheme : new String[] {"light", "dark"}) {
        assertThat(shots.resolve("chat-timeline-" + size + "-" + scheme + ".png")).isNotEmptyFile();
      }
    }
  }

  private static void named(TestNode node, String token, String name) throws Exception {
    node.rest.call("PATCH", "/v1/me/profile", token, new JsonObject().put("displayName", name)).ok();
  }

  /** A public channel Ann creates and Bob joins. */
  private static String channel(TestNode node, String chat, String ann, String bob, String name) throws Exception {
    String id = node.rest.post(chat, ann, new JsonObject().put("name", name).put("visibility", "PUBLIC")).ok().getString("id");
    node.rest.post(chat + "/" + id + "/join", bob, new JsonObject()).ok();
    return id;
  }
}
