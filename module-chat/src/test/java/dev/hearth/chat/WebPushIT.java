package dev.hearth.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.chat.v1.ChatProto;
import dev.hearth.testkit.ModuleNode.User;
import dev.hearth.testkit.ModuleNode;
import dev.hearth.testkit.TestRealtime;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Web Push of missed mentions and direct messages (docs/notifications.md#web-push), end to end:
 * chat on a real node, its notification service, and a push service run by the test
 * ({@link PushReceiver}) that checks each message's VAPID JWT against the node's published key and
 * decrypts it with the device's own private key and auth secret. One node for the class, restarted
 * in place by one test. Absence is proven by a control device's push in the same round.
 */
class WebPushIT {

  @TempDir
  static Path dir;
  static ModuleNode n;
  static PushReceiver push;
  static User ann;
  static String org;
  static String project;
  static String general;

  @BeforeAll
  static void start() throws Exception {
    n = node();
    ann = n.signUp("ann@example.com");
    org = n.node.rest.post("/v1/orgs", ann.token(), new JsonObject().put("name", "Acme")).ok().getString("id");
    project = n.node.rest.post("/v1/orgs/" + org + "/projects", ann.token(), new JsonObject().put("name", "Ops")).ok()
        .getString("id");
    general = n.node.rest.post("/v1/projects/" + project + "/chat/channels", ann.token(),
        new JsonObject().put("name", "general").put("visibility", "PUBLIC")).ok().getString("id");
    push = new PushReceiver(n.node.rest.get("/v1/me/push/key", ann.token()).ok().getString("vapidPublicKey"));
  }

  private static ModuleNode node() {
    JsonObject notifications = new JsonObject().put("push", new JsonObject().put("enabled", true)
        .put("subject", "mailto:ops@example.test").put("ttlSeconds", 3600).put("attempts", 20).put("retryMillis", 100));
    return ModuleNode.start(dir.resolve("node"), "hearth-module-chat", List.of(ChatProto.getDescriptor()), o -> o.setNotifications(notifications)
        .setWebhooks(new JsonObject().put("allowPrivateAddresses", true)));
  }

  @AfterAll
  static void stop() {
    if (n != null) n.close();
    if (push != null) push.close();
  }

  /** A project-user of the test's project with one push device registered (never connected to realtime: "away"). */
  private static User member(String name) throws Exception {
    User u = n.signUp(name + "@example.com");
    n.invite(ann, project, u);
    PushReceiver.Device d = push.device(name);
    JsonObject registered = n.node.rest.post("/v1/me/push/devices", u.token(), new JsonObject().put("endpoint", d.endpoint())
        .put("p256dh", d.p256dh()).put("auth", d.authSecret()).put("label", name + "'s browser")).ok();
    assertThat(registered.getString("pushService")).isEqualTo("127.0.0.1");
    return u;
  }

  private static JsonObject post(User as, String channel, String text, User... mentioned) throws Exception {
    JsonArray ids = new JsonArray();
    for (User m : mentioned) ids.add(m.id());
    return n.node.rest.post("/v1/projects/" + project + "/chat/channels/" + channel + "/messages", as.token(),
        new JsonObject().put("text", text).put("mentionUserIds", ids)).ok();
  }

  private static void await(String what, Callable<Boolean> done) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!done.call()) {
      if (System.nanoTime() > end) throw new AssertionError("timed out after 30 s waiting for " + what + "; " + push.errors);
      Thread.sleep(50);
    }
  }

  /** Lets retries and a few send rounds pass (the sender looks every 100 ms here). */
  private static void settle() throws InterruptedException {
    Thread.sleep(1_500);
  }

  @Test
  void a_mention_while_away_is_one_push_that_the_device_decrypts_to_the_documented_payload_without_text() throws Exception {
    User bob = member("bob");
    JsonObject m = post(ann, general, "the deploy key is hunter2, @bob", bob);
    await("bob's push", () -> push.delivered("bob").size() == 1);
    JsonObject p = push.delivered("bob").get(0);
    long at = Long.parseLong(m.getValue("createdAtMicros").toString()) / 1000;
    assertThat(p).isEqualTo(new JsonObject().put("v", 1).put("kind", "mention").put("module", "chat")
        .put("projectId", project).put("channelId", general).put("messageId", m.getString("id")).put("atMillis", at)
        .put("title", "ann mentioned you in #general").put("body", "In Ops. Open Hearth to read it.")
        .put("url", "#/p/" + project + "/chat/channel?channelId=" + general + "&message=" + m.getString("id")));
    PushReceiver.Received r = push.received.stream().filter(x -> x.device().equals("bob")).findFirst().orElseThrow();
    assertThat(r.claims()).containsEntry("sub", "mailto:ops@example.test");
    assertThat(r.headers()).containsEntry("ttl", "3600").containsEntry("urgency", "high");
    settle();
    assertThat(push.delivered("bob")).as("sent once").hasSize(1);
    assertThat(push.errors).isEmpty();
  }

  @Test
  void the_text_is_in_the_payload_only_when_the_org_allows_it_and_a_direct_message_is_pushed_in_the_users_language()
      throws Exception {
    User carol = member("carol");
    n.node.rest.call("PATCH", "/v1/me/settings", carol.token(), new JsonObject().put("language", "ru")).ok();
    n.node.rest.call("PUT", "/v1/orgs/" + org + "/flags/notifications.text", ann.token(),
        new JsonObject().put("enabled", true)).ok();
    try {
      String dm = n.node.rest.post("/v1/projects/" + project + "/chat/directs", ann.token(),
          new JsonObject().put("userIds", new JsonArray().add(carol.id()))).ok().getString("id");
      post(ann, dm, "обед в час?");
      await("carol's push", () -> push.delivered("carol").size() == 1);
      JsonObject p = push.delivered("carol").get(0);
      assertThat(p.getString("kind")).isEqualTo("direct");
      assertThat(p.getString("title")).isEqualTo("ann написал(а) вам личное сообщение");
      assertThat(p.getString("body")).isEqualTo("обед в час?");
      assertThat(p.getString("text")).isEqualTo("обед в час?");
    } finally {
      n.node.rest.call("DELETE", "/v1/orgs/" + org + "/flags/notifications.text", ann.token(), null);
    }
  }

  @Test
  void level_none_quiet_hours_and_an_open_connection_suppress_the_push_that_an_away_member_gets() throws Exception {
    User dave = member("dave");
    User erin = member("erin");
    User frank = member("frank");
    User grace = member("grace");
    n.node.rest.call("PATCH", "/v1/me/settings", dave.token(),
        new JsonObject().put("notifications", new JsonObject().put("chat", "none"))).ok();
    Instant now = Instant.now();
    DateTimeFormatter hm = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    n.node.rest.call("PATCH", "/v1/me/settings", erin.token(), new JsonObject()
        .put("quietHoursStart", hm.format(now.minus(Duration.ofHours(1))))
        .put("quietHoursEnd", hm.format(now.plus(Duration.ofHours(1)))).put("timeZone", "UTC")).ok();
    try (TestRealtime online = TestRealtime.connect(n.node, grace.token())) {
      post(ann, general, "standup in five", dave, erin, frank, grace);
      await("frank's push", () -> push.delivered("frank").size() == 1);
      settle();
    }
    assertThat(push.attempts("dave")).as("level none").isZero();
    assertThat(push.attempts("erin")).as("quiet hours").isZero();
    assertThat(push.attempts("grace")).as("connected").isZero();
    assertThat(push.delivered("frank")).hasSize(1);
  }

  @Test
  void a_device_the_push_service_says_is_gone_is_removed_and_gets_nothing_more() throws Exception {
    User hank = member("hank");
    push.answer("hank", 410);
    post(ann, general, "ping @hank", hank);
    await("hank's device removed", () ->
        n.node.rest.get("/v1/me/push/devices", hank.token()).ok().getJsonArray("devices", new JsonArray()).isEmpty());
    post(ann, general, "ping again @hank", hank);
    settle();
    assertThat(push.attempts("hank")).as("one attempt, then no device").isEqualTo(1);
  }

  @Test
  void a_device_is_the_callers_own_and_its_keys_are_checked_by_field() throws Exception {
    User ivy = member("ivy");
    User jack = n.signUp("jack@example.com");
    String ivysDevice = n.node.rest.get("/v1/me/push/devices", ivy.token()).ok().getJsonArray("devices")
        .getJsonObject(0).getString("deviceId");
    assertThat(n.node.rest.get("/v1/me/push/devices", jack.token()).ok().getJsonArray("devices", new JsonArray())).isEmpty();
    var other = n.node.rest.call("DELETE", "/v1/me/push/devices/" + ivysDevice, jack.token(), null);
    assertThat(other.status()).isEqualTo(404);
    PushReceiver.Device d = push.device("jack");
    var bad = n.node.rest.post("/v1/me/push/devices", jack.token(), new JsonObject().put("endpoint", d.endpoint())
        .put("p256dh", d.authSecret()).put("auth", d.authSecret()));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().toString()).contains("p256dh").doesNotContain("Exception");
    var noEndpoint = n.node.rest.post("/v1/me/push/devices", jack.token(), new JsonObject().put("endpoint", "ftp://x")
        .put("p256dh", d.p256dh()).put("auth", d.authSecret()));
    assertThat(noEndpoint.status()).isEqualTo(400);
    assertThat(noEndpoint.body().toString()).contains("endpoint");
    assertThat(n.node.rest.call("DELETE", "/v1/me/push/devices/" + ivysDevice, ivy.token(), null).status()).isEqualTo(200);
    assertThat(n.node.rest.get("/v1/me/push/devices", ivy.token()).ok().getJsonArray("devices", new JsonArray())).isEmpty();
  }

  @Test
  void a_restart_between_mention_and_push_loses_none_and_repeats_none() throws Exception {
    User kim = member("kim");
    push.answer("kim", 503); // the push service is down: the first notice stays pending, retried
    JsonObject first = post(ann, general, "first, before the restart", kim);
    await("a refused attempt", () -> push.attempts("kim") >= 1);
    // Not waited for: read before the node stops, or after it starts again from the stored position.
    JsonObject second = post(ann, general, "second, as the node stops", kim);
    n.close();
    push.answer("kim", 201);
    n = node();
    JsonObject third = post(ann, general, "third, after the restart", kim);
    await("kim's three pushes", () -> push.delivered("kim").size() >= 3);
    settle();
    List<String> ids = push.delivered("kim").stream().map(p -> p.getString("messageId")).sorted().toList();
    assertThat(ids).containsExactlyElementsOf(
        List.of(first.getString("id"), second.getString("id"), third.getString("id")).stream().sorted().toList());
    n.close();
    n = node();
    settle();
    assertThat(push.delivered("kim")).as("nothing sent again after another restart").hasSize(3);
    assertThat(push.errors).isEmpty();
  }
}
