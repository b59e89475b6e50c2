package dev.hearth.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.ModuleJars;
import dev.hearth.testkit.ModuleNode.User;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRealtime;
import dev.hearth.testkit.TestRest;
import dev.hearth.ui.CardValidator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  static User ann;
  static String projectA;
  static String channelA;
  static CommandEndpoint endpoint;
  static String rootToken;

  @BeforeAll
  static void start() throws Exception {
    // Slash commands call the test's endpoint on 127.0.0.1 over http: allowed only with private addresses on.
    // Shell hooks a sys-admin's command may run: one answers with what it read and how it was signed, one fails.
    Path hooks = Files.createDirectories(dir.resolve("hooks"));
    Files.writeString(hooks.resolve("lunch"), "#!/bin/sh\nbytes=$(wc -c)\nprintf '{\"response_type\":\"in_channel\","
        + "\"text\":\"lunch from the shell: %s bytes in, signed %s\"}' \"$bytes\" \"${HEARTH_SIGNATURE%%,*}\"\n");
    Files.writeString(hooks.resolve("broken"), "#!/bin/sh\ncat > /dev/null\necho 'not json'\nexit 3\n");
    for (String f : new String[] {"lunch", "broken"}) hooks.resolve(f).toFile().setExecutable(true);
    node = TestNode.start(dir, o -> o
        .setIdentity(TestNode.testIdentity().put("incomingHookPostsPerMinute", HOOK_POSTS_PER_MINUTE))
        .setWebhooks(new JsonObject().put("allowPrivateAddresses", true)
            .put("shellHooks", new JsonObject().put("dir", hooks.toString()))));
    endpoint = new CommandEndpoint();
    node.installModule(ModuleJars.built(Path.of("target"), "hearth-module-chat"));
    ann = signUp("ann@example.com");
    projectA = project(ann, "Alpha");
    channelA = channel(ann, projectA, "builds");
  }

  @AfterAll
  static void stop() {
    if (endpoint != null) endpoint.close();
    if (node != null) node.close();
  }

  @Test
  void a_hook_posts_as_its_bot_live_to_a_member_and_slack_attachments_become_a_valid_card() throws Exception {
    User bob = signUp("bob@example.com");
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
    User zed = signUp("zed@example.com");
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


  @Test
  void a_slash_commands_card_answer_is_posted_by_its_bot_live_and_the_call_is_signed() throws Exception {
    User cleo = member("cleo@example.com");
    String bot = bot(ann, projectA, "Weather");
    JsonObject created = command(ann, "weather", "/card", bot).ok();
    String secret = created.getString("secret");
    assertThat(secret).startsWith("whsec_");
    // Members see the project's commands (for the composer), never the URL or the secret.
    String listed = node.rest.get("/v1/projects/" + projectA + "/slash-commands", cleo.token()).ok().encode();
    assertThat(listed).contains("\"weather\"", "[city]").doesNotContain(endpoint.url("/card"), secret);

    try (TestRealtime live = TestRealtime.connect(node, ann.token())) {
      live.subscribe("chat/channel/" + channelA, null);
      JsonObject answer = run(cleo, channelA, "/weather  Berlin in May").ok();
      assertThat(answer.getString("responseType")).isEqualTo("in_channel");
      // (The bot's joining the channel comes first, as channel.updated.)
      JsonObject data = live.next(f -> "message.created".equals(f.getString("event")), 10).getJsonObject("data");
      assertThat(data.getString("id")).isEqualTo(answer.getString("messageId"));
      assertThat(data.getString("authorId")).isEqualTo(bot);
      assertThat(data.getBoolean("fromBot")).isTrue();
      assertThat(data.getString("text")).isEqualTo("Weather for Berlin in May");
      CardValidator.validate("the command's card", data.getString("cardJson").getBytes(StandardCharsets.UTF_8));
      assertThat(data.getString("cardJson")).contains("Sunny");
    }
    CommandEndpoint.Call call = endpoint.last("/card");
    assertThat(call.signedWith(secret)).as("Hearth-Signature over t.body with the command's secret").isTrue();
    assertThat(call.signedWith("whsec_another")).isFalse();
    assertThat(call.body().getString("command")).isEqualTo("/weather");
    assertThat(call.body().getString("text")).isEqualTo("Berlin in May");
    assertThat(call.body().getString("userId")).isEqualTo(cleo.id());
    assertThat(call.body().getString("channelId")).isEqualTo(channelA);
  }

  @Test
  void an_answer_for_the_caller_alone_and_every_failure_post_nothing() throws Exception {
    User dan = member("dan@example.com");
    String bot = bot(ann, projectA, "Helper");
    command(ann, "whoami", "/private", bot).ok();
    command(ann, "slow", "/slow", bot).ok();
    command(ann, "broken", "/broken", bot).ok();
    command(ann, "garbled", "/garbled", bot).ok();
    int before = count(ann, projectA, channelA);

    JsonObject mine = run(dan, channelA, "/whoami").ok();
    assertThat(mine.getString("responseType")).isEqualTo("ephemeral");
    assertThat(mine.getString("text")).isEqualTo("only you can see this");
    assertThat(mine.getString("messageId", "")).isEmpty();

    TestRest.Response slow = run(dan, channelA, "/slow");
    assertThat(slow.status()).isEqualTo(503);
    assertThat(slow.body().getString("message")).isEqualTo("/slow did not answer within 3.0 s; nothing was posted");
    TestRest.Response broken = run(dan, channelA, "/broken");
    assertThat(broken.status()).isEqualTo(503);
    assertThat(broken.body().getString("message")).contains("/broken answered HTTP 500");
    TestRest.Response garbled = run(dan, channelA, "/garbled");
    assertThat(garbled.status()).isEqualTo(503);
    assertThat(garbled.body().getString("message")).contains("/garbled answered something Hearth cannot show")
        .doesNotContain("Exception");
    TestRest.Response unknown = run(dan, channelA, "/nope now");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().getJsonObject("details").getString("field")).isEqualTo("text");
    assertThat(unknown.body().getString("message")).contains("no command /nope");

    // The slow endpoint's late answer (it answers after 4 s) must not show up either: wait for it to have
    // answered, then write a marker; the marker is the only message since.
    endpoint.awaitAnswered("/slow");
    node.rest.post(messages(projectA, channelA), ann.token(), new JsonObject().put("text", "marker after the failures")).ok();
    assertThat(count(ann, projectA, channelA)).isEqualTo(before + 1);
    assertThat(latest(ann, projectA, channelA).getString("text")).isEqualTo("marker after the failures");
  }

  @Test
  void commands_are_for_admins_to_make_members_of_the_channel_to_run_and_never_cross_projects() throws Exception {
    User eve = signUp("eve@example.com");
    invite(ann, projectA, eve); // in the project, not in #builds
    String bot = bot(ann, projectA, "Ops");
    command(ann, "deploy", "/card", bot).ok();
    TestRest.Response outsider = run(eve, channelA, "/deploy now");
    assertThat(outsider.status()).isEqualTo(403);
    assertThat(outsider.body().getString("message")).isEqualTo("join the channel to run commands in it");
    assertThat(node.rest.post("/v1/projects/" + projectA + "/slash-commands", eve.token(), new JsonObject()
        .put("name", "mine").put("url", endpoint.url("/card")).put("botId", bot)).status()).isEqualTo(403);
    // Bad input names its field.
    assertThat(command(ann, "Bad Name", "/card", bot).body().getJsonObject("details").getString("field")).isEqualTo("name");
    assertThat(node.rest.post("/v1/projects/" + projectA + "/slash-commands", ann.token(), new JsonObject()
        .put("name", "ftp").put("url", "ftp://example.com/x").put("botId", bot)).body()
        .getJsonObject("details").getString("field")).isEqualTo("url");
    assertThat(command(ann, "deploy", "/card", bot).status()).isEqualTo(409);

    User zoe = signUp("zoe@example.com");
    String projectB = project(zoe, "Gamma");
    String channelB = channel(zoe, projectB, "ops");
    String botB = bot(zoe, projectB, "B bot");
    // A's admin cannot answer with B's bot; B's command is not A's; A's command cannot be run in B's channel.
    assertThat(command(ann, "steal", "/card", botB).status()).isEqualTo(404);
    assertThat(node.rest.post("/v1/projects/" + projectB + "/slash-commands", zoe.token(), new JsonObject()
        .put("name", "bonly").put("url", endpoint.url("/card")).put("botId", botB)).ok()).isNotNull();
    assertThat(run(ann, channelA, "/bonly").status()).isEqualTo(400);
    assertThat(node.rest.post("/v1/projects/" + projectA + "/run-slash-command", ann.token(),
        new JsonObject().put("channelId", channelB).put("text", "/deploy")).status()).isIn(403, 404);
    assertThat(node.rest.post("/v1/projects/" + projectB + "/run-slash-command", ann.token(),
        new JsonObject().put("channelId", channelB).put("text", "/bonly")).status()).isEqualTo(403);
    // Deleted: gone for everyone.
    String id = node.rest.get("/v1/projects/" + projectA + "/slash-commands", ann.token()).ok().getJsonArray("commands")
        .stream().map(JsonObject.class::cast).filter(c -> c.getString("name").equals("deploy")).findFirst().orElseThrow()
        .getString("id");
    node.rest.call("DELETE", "/v1/projects/" + projectA + "/slash-commands/" + id, ann.token(), null).ok();
    assertThat(run(ann, channelA, "/deploy").status()).isEqualTo(400);
  }

  @Test
  void the_docs_curl_one_liner_posts_through_a_hook() throws Exception {
    // The line is read from docs/bots.md and run as written by bash, so the example cannot drift.
    String docs = Files.readString(Path.of("..", "docs", "bots.md"));
    Matcher sh = Pattern.compile("```sh\\n(curl [^\\n]*hooks[^\\n]*)\\n```").matcher(docs);
    assertThat(sh.find()).as("docs/bots.md has the curl one-liner").isTrue();
    String line = sh.group(1);
    String path = hook(ann, projectA, channelA, bot(ann, projectA, "Deploys"));
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", line).redirectErrorStream(true);
    pb.environment().put("HEARTH", "http://127.0.0.1:" + node.node.port());
    pb.environment().put("SECRET", path.substring("/hooks/".length()));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("curl exits 0: " + out).isZero();
    JsonObject last = latest(ann, projectA, channelA);
    assertThat(last.getString("text")).isEqualTo(new JsonObject(line.replaceFirst("^.* -d '(\\{.*\\})'$", "$1")).getString("text"));
    assertThat(last.getBoolean("fromBot")).isTrue();
  }

  @Test
  void a_deleted_projects_bot_token_hook_and_commands_are_gone_and_write_nothing() throws Exception {
    User owner = signUp("owner@example.com");
    String projectC = project(owner, "Doomed");
    String channelC = channel(owner, projectC, "general");
    String bot = bot(owner, projectC, "Doomed bot");
    String token = node.rest.post("/v1/projects/" + projectC + "/bots/" + bot + "/tokens", owner.token(),
        new JsonObject().put("name", "ci")).ok().getString("secret");
    String path = hook(owner, projectC, channelC, bot);
    node.rest.post("/v1/projects/" + projectC + "/slash-commands", owner.token(), new JsonObject().put("name", "doomed")
        .put("url", endpoint.url("/card")).put("botId", bot)).ok();
    // Both work before the project goes.
    assertThat(send(path, "{\"text\":\"still here\"}").statusCode()).isEqualTo(200);
    assertThat(node.rest.post(messages(projectC, channelC), token, new JsonObject().put("text", "me too")).status()).isEqualTo(200);

    String root = sysAdmin();
    String users = "/v1/admin/users?query=" + URLEncoder.encode("doomed bot", StandardCharsets.UTF_8);
    assertThat(node.rest.get(users, root).ok().encode()).contains(bot);
    assertThat(node.rest.get("/v1/projects/" + projectC + "/slash-commands", root).ok().encode()).contains("doomed");

    node.rest.call("DELETE", "/v1/projects/" + projectC, owner.token(), null).ok();
    long before = sequences(root);
    assertThat(node.rest.post(messages(projectC, channelC), token, new JsonObject().put("text", "after")).status()).isEqualTo(401);
    assertThat(node.rest.get("/v1/me", token).status()).isEqualTo(401);
    assertThat(send(path, "{\"text\":\"after delete\"}").statusCode()).isEqualTo(404);
    assertThat(sequences(root)).as("no store was written by the refused calls").isEqualTo(before);
    // Nothing of it is left: no bot account, no command.
    assertThat(node.rest.get(users, root).ok().encode()).doesNotContain(bot);
    assertThat(node.rest.get("/v1/projects/" + projectC + "/slash-commands", root).ok().encode()).doesNotContain("doomed");
  }

  @Test
  void a_sys_admins_command_may_be_answered_by_a_shell_hook_and_no_one_else_may_register_one() throws Exception {
    User fay = member("fay@example.com");
    String bot = bot(ann, projectA, "Shell");
    String commands = "/v1/projects/" + projectA + "/slash-commands";
    // A project admin may not: the hook runs on the node's machine.
    assertThat(node.rest.post(commands, ann.token(), new JsonObject().put("name", "lunch").put("shellHook", "lunch")
        .put("botId", bot)).status()).isEqualTo(403);
    String root = sysAdmin();
    TestRest.Response outside = node.rest.post(commands, root, new JsonObject().put("name", "lunch")
        .put("shellHook", "../lunch").put("botId", bot));
    assertThat(outside.status()).isEqualTo(400);
    assertThat(outside.body().getJsonObject("details").getString("field")).isEqualTo("shellHook");
    assertThat(node.rest.post(commands, root, new JsonObject().put("name", "lunch").put("shellHook", "lunch")
        .put("url", endpoint.url("/card")).put("botId", bot)).status()).isEqualTo(400);
    node.rest.post(commands, root, new JsonObject().put("name", "lunch").put("shellHook", "lunch").put("botId", bot)).ok();
    node.rest.post(commands, root, new JsonObject().put("name", "shellbroken").put("shellHook", "broken").put("botId", bot)).ok();

    JsonObject answer = run(fay, channelA, "/lunch pizza").ok();
    assertThat(answer.getString("responseType")).isEqualTo("in_channel");
    JsonObject last = latest(ann, projectA, channelA);
    assertThat(last.getString("id")).isEqualTo(answer.getString("messageId"));
    assertThat(last.getString("authorId")).isEqualTo(bot);
    assertThat(last.getString("text")).startsWith("lunch from the shell: ").contains("signed t=")
        .doesNotContain(" 0 bytes");
    TestRest.Response broken = run(fay, channelA, "/shellbroken");
    assertThat(broken.status()).isEqualTo(503);
    assertThat(broken.body().getString("message")).isEqualTo("/shellbroken exited with 3; nothing was posted");
    assertThat(latest(ann, projectA, channelA).getString("id")).isEqualTo(answer.getString("messageId"));
  }

  // --- helpers

  /** A sys-admin's token (made once): the test reads the node's store sequences with it. */
  static String sysAdmin() throws Exception {
    if (rootToken == null) {
      node.createSysAdmin("root@example.com", "a-long-password-1");
      rootToken = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@example.com")
          .put("password", "a-long-password-1")).ok().getString("accessToken");
    }
    return rootToken;
  }

  /** The sum of every store's last change-log sequence: unchanged when nothing was written. */
  static long sequences(String root) throws Exception {
    return node.rest.get("/v1/admin/stats", root).ok().getJsonArray("stores").stream().map(JsonObject.class::cast)
        .mapToLong(st -> Long.parseLong(st.getString("lastSequence", "0"))).sum();
  }


  /** A new member of project A who has joined #builds. */
  static User member(String email) throws Exception {
    User u = signUp(email);
    invite(ann, projectA, u);
    node.rest.post(messages(projectA, channelA).replace("/messages", "/join"), u.token(), new JsonObject()).ok();
    return u;
  }

  static TestRest.Response command(User admin, String name, String path, String bot) throws Exception {
    return node.rest.post("/v1/projects/" + projectA + "/slash-commands", admin.token(), new JsonObject().put("name", name)
        .put("url", endpoint.url(path)).put("botId", bot).put("description", "test").put("usageHint", "[city]"));
  }

  static TestRest.Response run(User who, String channel, String text) throws Exception {
    return node.rest.post("/v1/projects/" + projectA + "/run-slash-command", who.token(),
        new JsonObject().put("channelId", channel).put("text", text));
  }

  static HttpResponse<String> send(String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.node.port() + path))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static User signUp(String email) throws Exception {
    JsonObject s = node.rest.post("/v1/auth/sign-up", null,
        new JsonObject().put("email", email).put("password", "a-long-password-1")).ok();
    return new User(s.getString("userId"), s.getString("accessToken"));
  }

  static String project(User owner, String name) throws Exception {
    String org = node.rest.post("/v1/orgs", owner.token(), new JsonObject().put("name", name + " org")).ok().getString("id");
    return node.rest.post("/v1/orgs/" + org + "/projects", owner.token(), new JsonObject().put("name", name)).ok().getString("id");
  }

  static void invite(User admin, String project, User user) throws Exception {
    String code = node.rest.post("/v1/projects/" + project + "/invites", admin.token(),
        new JsonObject().put("role", "project-user").put("maxUses", 1)).ok().getString("code");
    node.rest.post("/v1/invites/redeem", user.token(), new JsonObject().put("code", code)).ok();
  }

  static String channel(User user, String project, String name) throws Exception {
    return node.rest.post("/v1/projects/" + project + "/chat/channels", user.token(),
        new JsonObject().put("name", name).put("visibility", "PUBLIC")).ok().getString("id");
  }

  static String messages(String project, String channel) {
    return "/v1/projects/" + project + "/chat/channels/" + channel + "/messages";
  }

  static String bot(User admin, String project, String name) throws Exception {
    return node.rest.post("/v1/projects/" + project + "/bots", admin.token(), new JsonObject().put("displayName", name))
        .ok().getString("id");
  }

  static String hook(User admin, String project, String channel, String bot) throws Exception {
    return node.rest.post("/v1/projects/" + project + "/incoming-hooks", admin.token(),
        new JsonObject().put("channelId", channel).put("botId", bot)).ok().getString("path");
  }

  static JsonObject latest(User as, String project, String channel) throws Exception {
    JsonArray list = node.rest.get(messages(project, channel) + "?limit=1", as.token()).ok().getJsonArray("messages");
    return list.getJsonObject(list.size() - 1);
  }

  static int count(User as, String project, String channel) throws Exception {
    return node.rest.get(messages(project, channel) + "?limit=100", as.token()).ok().getJsonArray("messages").size();
  }
}
