package dev.hearth.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.testing.TestNode;
import dev.hearth.kernel.testing.TestRealtime;
import dev.hearth.ui.CardValidator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bots and incoming webhooks (docs/bots.md) on one node with chat: a hook's post reaches a member
 * live, marked as a bot's; a Slack payload's attachments become a card the CardValidator passes;
 * revoked and unknown URLs are 404 and write nothing; the per-hook limit is 429 with Retry-After;
 * a bot and a hook of project A can neither read nor write project B.
 */
class BotsIT {

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final int HOOK_POSTS_PER_MINUTE = 5;

  @TempDir static Path dir;
  static TestNode node;
  static ChatNode.User ann;
  static String projectA;
  static String channelA;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dir, TestNode.testIdentity().put("incomingHookPostsPerMinute", HOOK_POSTS_PER_MINUTE));
    node.installModule(ChatNode.builtJar());
    ann = signUp("ann@example.com");
    projectA = project(ann, "Alpha");
    channelA = channel(ann, projectA, "builds");
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void a_hook_posts_as_its_bot_live_to_a_member_and_slack_attachments_become_a_valid_card() throws Exception {
    ChatNode.User bob = signUp("bob@example.com");
    invite(ann, projectA, bob);
    node.rest.post(messages(projectA, channelA).replace("/messages", "/join"), bob.token(), new JsonObject()).ok();
    String bot = bot(ann, projectA, "CI");
    String path = hook(ann, projectA, channelA, bot);
    try (TestRealtime live = TestRealtime.connect(node, bob.token())) {
      live.subscribe("chat/channel/" + channelA, null);
      assertThat(send(path, "{\"text\":\"build 41 is green\"}").statusCode()).isEqualTo(200);
      JsonObject event = live.events("chat/channel/" + channelA, 1).get(0);
      assertThat(event.getString("event")).isEqualTo("message.created");
      JsonObject data = event.getJsonObject("data");
      assertThat(data.getString("text")).isEqualTo("build 41 is green");
      assertThat(data.getString("authorId")).isEqualTo(bot);
      assertThat(data.getBoolean("fromBot")).isTrue();
    }

    String slack = new JsonObject().put("username", "Jenkins").put("icon_url", "https://ci.example.com/icon.png")
        .put("channel", "#ignored").put("attachments", new JsonArray().add(new JsonObject()
            .put("fallback", "Build 42 failed").put("color", "danger").put("pretext", "Nightly")
            .put("author_name", "jenkins").put("title", "Build 42").put("title_link", "https://ci.example.com/42")
            .put("text", "2 tests failed").put("fields", new JsonArray()
                .add(new JsonObject().put("title", "Branch").put("value", "main").put("short", true))
                .add(new JsonObject().put("title", "Took").put("value", "4 min").put("short", true)))
            .put("image_url", "https://ci.example.com/graph.png").put("footer", "ci.example.com"))).encode();
    assertThat(send(path, slack).statusCode()).isEqualTo(200);
    JsonObject last = latest(ann, projectA, channelA);
    assertThat(last.getString("text")).isEqualTo("Build 42 failed");
    assertThat(last.getBoolean("fromBot")).isTrue();
    String card = last.getString("cardJson");
    CardValidator.validate("the posted card", card.getBytes(StandardCharsets.UTF_8)); // throws when invalid
    assertThat(card).contains("\"FactSet\"", "\"Branch\"", "[Build 42](https://ci.example.com/42)", "\"attention\"",
        "https://ci.example.com/graph.png", "Jenkins", "ci.example.com", "Nightly");
    // A person's message is not a bot's.
    JsonObject own = node.rest.post(messages(projectA, channelA), ann.token(), new JsonObject().put("text", "thanks")).ok();
    assertThat(own.getBoolean("fromBot", false)).isFalse();
  }

  @Test
  void unknown_and_revoked_urls_are_404_and_write_nothing_and_bad_bodies_are_400() throws Exception {
    String bot = bot(ann, projectA, "Alerts");
    JsonObject created = node.rest.post("/v1/projects/" + projectA + "/incoming-hooks", ann.token(),
        new JsonObject().put("channelId", channelA).put("botId", bot).put("description", "alerts")).ok();
    String path = created.getString("path");
    String hookId = created.getJsonObject("hook").getString("id");
    assertThat(node.rest.get("/v1/projects/" + projectA + "/incoming-hooks", ann.token()).ok().encode())
        .contains(hookId).doesNotContain(path.substring("/hooks/".length()));
    int before = count(ann, projectA, channelA);

    assertThat(send("/hooks/not-a-hook-secret", "{\"text\":\"x\"}").statusCode()).isEqualTo(404);
    HttpResponse<String> bad = send(path, "{\"text\": 'single quotes'}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(send(path, "{}").body()).contains("text");
    assertThat(send(path, "{\"attachments\":[{\"title\":\"x\",\"image_url\":\"javascript:alert(1)\"}]}").body())
        .contains("image_url");
    assertThat(send(path, "{\"card\":{\"type\":\"AdaptiveCard\",\"version\":\"1.5\",\"body\":[{\"type\":\"Nope\"}]}}")
        .statusCode()).isEqualTo(400);
    assertThat(send(path, "{\"text\":\"" + "x".repeat(70_000) + "\"}").statusCode()).isEqualTo(413);

    assertThat(node.rest.call("DELETE", "/v1/projects/" + projectA + "/incoming-hooks/" + hookId, ann.token(), null).status())
        .isEqualTo(200);
    assertThat(send(path, "{\"text\":\"after revoke\"}").statusCode()).isEqualTo(404);
    assertThat(count(ann, projectA, channelA)).isEqualTo(before);
  }

  @Test
  void a_hook_past_its_rate_is_429_with_retry_after() throws Exception {
    String path = hook(ann, projectA, channelA, bot(ann, projectA, "Chatty"));
    for (int i = 0; i < HOOK_POSTS_PER_MINUTE; i++) {
      assertThat(send(path, "{\"text\":\"n" + i + "\"}").statusCode()).isEqualTo(200);
    }
    HttpResponse<String> limited = send(path, "{\"text\":\"one too many\"}");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 60L);
    assertThat(latest(ann, projectA, channelA).getString("text")).isEqualTo("n" + (HOOK_POSTS_PER_MINUTE - 1));
  }

  @Test
  void a_bot_and_a_hook_of_one_project_can_never_reach_another() throws Exception {
    ChatNode.User zed = signUp("zed@example.com");
    String projectB = project(zed, "Beta");
    String channelB = channel(zed, projectB, "secret");
    node.rest.post(messages(projectB, channelB), zed.token(), new JsonObject().put("text", "B only")).ok();
    String bot = bot(ann, projectA, "Reader");
    String token = node.rest.post("/v1/projects/" + projectA + "/bots/" + bot + "/tokens", ann.token(),
        new JsonObject().put("name", "script")).ok().getString("secret");

    // The bot works in its own project …
    JsonObject mine = node.rest.post(messages(projectA, channelA).replace("/messages", "/join"), token, new JsonObject()).ok();
    assertThat(mine.getString("id")).isEqualTo(channelA);
    assertThat(node.rest.post(messages(projectA, channelA), token, new JsonObject().put("text", "from a script")).ok()
        .getBoolean("fromBot")).isTrue();
    // … and nowhere else, nor may it step out: no org, no invite, no token of its own.
    assertThat(node.rest.get(messages(projectB, channelB), token).status()).isEqualTo(403);
    assertThat(node.rest.post(messages(projectB, channelB), token, new JsonObject().put("text", "x")).status()).isEqualTo(403);
    assertThat(node.rest.get("/v1/projects/" + projectB + "/chat/channels", token).status()).isEqualTo(403);
    assertThat(node.rest.post("/v1/orgs", token, new JsonObject().put("name", "Bot org")).status()).isEqualTo(403);
    assertThat(node.rest.post("/v1/me/api-tokens", token, new JsonObject().put("name", "more")).status()).isEqualTo(403);
    // A hook of A cannot name B's channel, nor B's bot; A's admin cannot manage B's bots.
    assertThat(node.rest.post("/v1/projects/" + projectA + "/incoming-hooks", ann.token(),
        new JsonObject().put("channelId", channelB).put("botId", bot)).status()).isEqualTo(404);
    String botB = bot(zed, projectB, "B's bot");
    assertThat(node.rest.post("/v1/projects/" + projectA + "/incoming-hooks", ann.token(),
        new JsonObject().put("channelId", channelA).put("botId", botB)).status()).isEqualTo(404);
    assertThat(node.rest.get("/v1/projects/" + projectB + "/bots", ann.token()).status()).isEqualTo(403);
    assertThat(node.rest.post("/v1/projects/" + projectA + "/bots/" + botB + "/tokens", ann.token(),
        new JsonObject().put("name", "steal")).status()).isEqualTo(404);
    // A revoked token is refused at once.
    String tokenId = node.rest.get("/v1/projects/" + projectA + "/bots/" + bot + "/tokens", ann.token()).ok()
        .getJsonArray("tokens").getJsonObject(0).getString("id");
    node.rest.call("DELETE", "/v1/projects/" + projectA + "/bots/" + bot + "/tokens/" + tokenId, ann.token(), null).ok();
    assertThat(node.rest.get(messages(projectA, channelA), token).status()).isEqualTo(401);
  }

  // --- helpers

  static HttpResponse<String> send(String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.node.port() + path))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static ChatNode.User signUp(String email) throws Exception {
    JsonObject s = node.rest.post("/v1/auth/sign-up", null,
        new JsonObject().put("email", email).put("password", "a-long-password-1")).ok();
    return new ChatNode.User(s.getString("userId"), s.getString("accessToken"));
  }

  static String project(ChatNode.User owner, String name) throws Exception {
    String org = node.rest.post("/v1/orgs", owner.token(), new JsonObject().put("name", name + " org")).ok().getString("id");
    return node.rest.post("/v1/orgs/" + org + "/projects", owner.token(), new JsonObject().put("name", name)).ok().getString("id");
  }

  static void invite(ChatNode.User admin, String project, ChatNode.User user) throws Exception {
    String code = node.rest.post("/v1/projects/" + project + "/invites", admin.token(),
        new JsonObject().put("role", "project-user").put("maxUses", 1)).ok().getString("code");
    node.rest.post("/v1/invites/redeem", user.token(), new JsonObject().put("code", code)).ok();
  }

  static String channel(ChatNode.User user, String project, String name) throws Exception {
    return node.rest.post("/v1/projects/" + project + "/chat/channels", user.token(),
        new JsonObject().put("name", name).put("visibility", "PUBLIC")).ok().getString("id");
  }

  static String messages(String project, String channel) {
    return "/v1/projects/" + project + "/chat/channels/" + channel + "/messages";
  }

  static String bot(ChatNode.User admin, String project, String name) throws Exception {
    return node.rest.post("/v1/projects/" + project + "/bots", admin.token(), new JsonObject().put("displayName", name))
        .ok().getString("id");
  }

  static String hook(ChatNode.User admin, String project, String channel, String bot) throws Exception {
    return node.rest.post("/v1/projects/" + project + "/incoming-hooks", admin.token(),
        new JsonObject().put("channelId", channel).put("botId", bot)).ok().getString("path");
  }

  static JsonObject latest(ChatNode.User as, String project, String channel) throws Exception {
    JsonArray list = node.rest.get(messages(project, channel) + "?limit=1", as.token()).ok().getJsonArray("messages");
    return list.getJsonObject(list.size() - 1);
  }

  static int count(ChatNode.User as, String project, String channel) throws Exception {
    return node.rest.get(messages(project, channel) + "?limit=100", as.token()).ok().getJsonArray("messages").size();
  }
}
