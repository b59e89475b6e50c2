package dev.hearth.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.chat.v1.ChatProto;
import dev.hearth.testkit.ModuleNode.User;
import dev.hearth.testkit.ModuleNode;
import dev.hearth.testkit.TestRealtime;
import dev.hearth.testkit.Waits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-app notification list (docs/notifications.md#the-in-app-list) on a node with chat and the
 * default notification settings (no email, no push): what is listed and for whom, newest first in
 * pages, marking read one or all, the unread count, the live {@code notifications/user/<id>} topic,
 * and that nobody reads, marks or follows another user's list.
 */
class NoticeListIT {

  @TempDir
  static Path dir;
  static ModuleNode n;
  static User ann;
  static String project;
  static String general;

  @BeforeAll
  static void start() throws Exception {
    n = ModuleNode.start(dir.resolve("node"), "hearth-module-chat", ChatProto.getDescriptor());
    ann = n.signUp("ann@example.com");
    project = n.project(ann, "Ops");
    general = n.node.rest.post("/v1/projects/" + project + "/chat/channels", ann.token(),
        new JsonObject().put("name", "general").put("visibility", "PUBLIC")).ok().getString("id");
  }

  @AfterAll
  static void stop() {
    if (n != null) n.close();
  }

  private static User member(String name) throws Exception {
    User u = n.signUp(name + "@example.com");
    n.invite(ann, project, u);
    return u;
  }

  private static JsonObject post(User as, String text, User... mentioned) throws Exception {
    JsonArray ids = new JsonArray();
    for (User m : mentioned) ids.add(m.id());
    return n.node.rest.post("/v1/projects/" + project + "/chat/channels/" + general + "/messages", as.token(),
        new JsonObject().put("text", text).put("mentionUserIds", ids)).ok();
  }

  private static JsonObject list(User u, String query) throws Exception {
    return n.node.rest.get("/v1/me/notices" + query, u.token()).ok();
  }

  private static List<JsonObject> notices(JsonObject page) {
    return page.getJsonArray("notices", new JsonArray()).stream().map(o -> (JsonObject) o).toList();
  }

  @Test
  void a_mention_is_listed_live_while_connected_and_marked_read_one_and_all() throws Exception {
    User bob = member("bob");
    try (TestRealtime rt = TestRealtime.connect(n.node, bob.token())) {
      rt.subscribe("notifications/user/" + bob.id(), null);
      JsonObject m = post(ann, "the deploy key is hunter2, @bob", bob);
      JsonObject event = rt.next(f -> "notice".equals(f.getString("event")), 20);
      assertThat(event.getJsonObject("data").getBoolean("read")).isFalse();
      JsonObject page = list(bob, "");
      assertThat(page.getInteger("unreadCount")).isEqualTo(1);
      JsonObject notice = notices(page).get(0);
      assertThat(notice.getString("noticeId")).isEqualTo(event.getJsonObject("data").getString("noticeId"));
      assertThat(notice.getString("kind")).isEqualTo("mention");
      assertThat(notice.getString("messageId")).isEqualTo(m.getString("id"));
      assertThat(notice.getString("channelId")).isEqualTo(general);
      assertThat(notice.getString("channelName")).isEqualTo("general");
      assertThat(notice.getString("authorName")).isEqualTo("ann");
      assertThat(notice.getString("projectName")).isEqualTo("Ops");
      assertThat(notice.encode()).doesNotContain("hunter2");

      JsonObject marked = n.node.rest.post("/v1/me/notices/read", bob.token(),
          new JsonObject().put("noticeIds", new JsonArray().add(notice.getString("noticeId")))).ok();
      assertThat(marked.getInteger("unreadCount", 0)).isZero();
      assertThat(rt.next(f -> "notice".equals(f.getString("event"))
          && f.getJsonObject("data").getBoolean("read"), 20)).isNotNull();
    }
    n.node.rest.post("/v1/projects/" + project + "/chat/channels/" + general + "/join", bob.token(), new JsonObject()).ok();
    post(ann, "one @bob", bob);
    post(ann, "two @bob", bob);
    post(bob, "my own @bob", bob);
    JsonObject three = post(ann, "three @bob", bob);
    Waits.until("bob's unread count at 3", Duration.ofSeconds(30), () -> list(bob, "").getInteger("unreadCount", 0) == 3);
    JsonObject first = list(bob, "?pageSize=2");
    assertThat(notices(first)).hasSize(2);
    assertThat(notices(first).get(0).getString("messageId")).as("newest first").isEqualTo(three.getString("id"));
    JsonObject second = list(bob, "?pageSize=2&pageToken=" + first.getString("nextPageToken"));
    assertThat(notices(second)).hasSize(2);
    assertThat(second.getString("nextPageToken", "")).isEmpty();
    assertThat(notices(second).get(1).getBoolean("read", false)).as("the oldest, read").isTrue();
    JsonObject all = n.node.rest.post("/v1/me/notices/read", bob.token(), new JsonObject().put("all", true)).ok();
    assertThat(all.getInteger("unreadCount", 0)).isZero();
    assertThat(notices(list(bob, ""))).hasSize(4).allMatch(x -> x.getBoolean("read", false));
  }

  @Test
  void reading_a_channel_in_chat_marks_its_notices_read_up_to_the_marker_and_no_others() throws Exception {
    User erin = member("erin");
    String random = n.node.rest.post("/v1/projects/" + project + "/chat/channels", ann.token(),
        new JsonObject().put("name", "random").put("visibility", "PUBLIC")).ok().getString("id");
    for (String c : List.of(general, random)) {
      n.node.rest.post("/v1/projects/" + project + "/chat/channels/" + c + "/join", erin.token(), new JsonObject()).ok();
    }
    JsonObject first = post(ann, "first @erin", erin);
    JsonObject second = post(ann, "second @erin", erin);
    JsonObject elsewhere = n.node.rest.post("/v1/projects/" + project + "/chat/channels/" + random + "/messages", ann.token(),
        new JsonObject().put("text", "elsewhere @erin").put("mentionUserIds", new JsonArray().add(erin.id()))).ok();
    JsonObject later = post(ann, "later @erin", erin);
    Waits.until("erin's unread count at 4", Duration.ofSeconds(30), () -> list(erin, "").getInteger("unreadCount", 0) == 4);

    try (TestRealtime rt = TestRealtime.connect(n.node, erin.token())) {
      rt.subscribe("notifications/user/" + erin.id(), null);
      // Erin reads #general up to the second message, as the web shell does when she opens it.
      n.node.rest.post("/v1/projects/" + project + "/chat/channels/" + general + "/read", erin.token(),
          new JsonObject().put("messageId", second.getString("id"))).ok();
      Waits.until("erin's unread count at 2", Duration.ofSeconds(30), () -> list(erin, "").getInteger("unreadCount", 0) == 2);
      // The bell follows live: the notices made read are announced.
      assertThat(rt.next(f -> "notice".equals(f.getString("event")) && f.getJsonObject("data").getBoolean("read"), 20))
          .isNotNull();
    }
    Map<String, Boolean> read = new HashMap<>();
    notices(list(erin, "")).forEach(x -> read.put(x.getString("messageId"), x.getBoolean("read", false)));
    assertThat(read).containsEntry(first.getString("id"), true).containsEntry(second.getString("id"), true)
        .as("after the marker, and another channel's, stay unread")
        .containsEntry(later.getString("id"), false).containsEntry(elsewhere.getString("id"), false);
  }

  @Test
  void level_none_lists_nothing_and_nobody_reads_marks_or_follows_another_users_list() throws Exception {
    User carol = member("carol");
    User dave = member("dave");
    n.node.rest.call("PATCH", "/v1/me/settings", dave.token(),
        new JsonObject().put("notifications", new JsonObject().put("chat", "none"))).ok();
    post(ann, "hello @carol @dave", carol, dave);
    Waits.until("carol's unread count at 1", Duration.ofSeconds(30), () -> list(carol, "").getInteger("unreadCount", 0) == 1);
    post(ann, "again @carol", carol);
    Waits.until("carol's unread count at 2", Duration.ofSeconds(30), () -> list(carol, "").getInteger("unreadCount", 0) == 2);
    assertThat(notices(list(dave, ""))).as("level none").isEmpty();
    String carols = notices(list(carol, "")).get(0).getString("noticeId");
    var other = n.node.rest.post("/v1/me/notices/read", dave.token(), new JsonObject().put("noticeIds", new JsonArray().add(carols)));
    assertThat(other.status()).isEqualTo(404);
    assertThat(list(carol, "").getInteger("unreadCount")).isEqualTo(2);
    var empty = n.node.rest.post("/v1/me/notices/read", dave.token(), new JsonObject());
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.body().toString()).contains("notice_ids");
    assertThat(n.node.rest.get("/v1/me/notices?pageSize=500", carol.token()).status()).isEqualTo(400);
    try (TestRealtime rt = TestRealtime.connect(n.node, dave.token())) {
      JsonObject refused = rt.request(new JsonObject().put("type", "subscribe").put("topic", "notifications/user/" + carol.id()));
      assertThat(refused.getString("code")).isEqualTo("NOT_FOUND");
    }
  }
}
