package dev.hearth.chat;

import dev.hearth.kernel.testing.TestNode;
import dev.hearth.kernel.testing.TestRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A test node with the built chat jar and webhook settings of the test's, and short REST calls for webhook tests. */
final class WebhookNode implements AutoCloseable {

  final TestNode node;

  WebhookNode(Path dir, JsonObject webhooks) {
    node = TestNode.start(dir, o -> o.setWebhooks(webhooks));
    try {
      node.installModule(ChatNode.builtJar());
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  ChatNode.User signUp(String email) throws Exception {
    JsonObject s = node.rest.post("/v1/auth/sign-up", null,
        new JsonObject().put("email", email).put("password", "a-long-password-1")).ok();
    return new ChatNode.User(s.getString("userId"), s.getString("accessToken"));
  }

  String org(ChatNode.User owner, String name) throws Exception {
    return node.rest.post("/v1/orgs", owner.token(), new JsonObject().put("name", name)).ok().getString("id");
  }

  String project(ChatNode.User orgAdmin, String org, String name) throws Exception {
    return node.rest.post("/v1/orgs/" + org + "/projects", orgAdmin.token(), new JsonObject().put("name", name)).ok()
        .getString("id");
  }

  /** Gives {@code user} {@code role} (project-user or project-admin) in the project through an invite. */
  void invite(ChatNode.User admin, String project, ChatNode.User user, String role) throws Exception {
    String code = node.rest.post("/v1/projects/" + project + "/invites", admin.token(),
        new JsonObject().put("role", role).put("maxUses", 1)).ok().getString("code");
    node.rest.post("/v1/invites/redeem", user.token(), new JsonObject().put("code", code)).ok();
  }

  String channel(ChatNode.User user, String project, String name) throws Exception {
    return node.rest.post("/v1/projects/" + project + "/chat/channels", user.token(),
        new JsonObject().put("name", name).put("visibility", "PUBLIC")).ok().getString("id");
  }

  String post(ChatNode.User user, String project, String channel, String text) throws Exception {
    return node.rest.post("/v1/projects/" + project + "/chat/channels/" + channel + "/messages", user.token(),
        new JsonObject().put("text", text)).ok().getString("id");
  }

  TestRest.Response createProjectHook(ChatNode.User as, String project, String url, String... topics) throws Exception {
    return node.rest.post("/v1/projects/" + project + "/webhooks", as.token(),
        new JsonObject().put("endpoint", url).put("topics", new JsonArray(java.util.List.of((Object[]) topics))));
  }

  TestRest.Response createOrgHook(ChatNode.User as, String org, String url, String... topics) throws Exception {
    return node.rest.post("/v1/orgs/" + org + "/webhooks", as.token(),
        new JsonObject().put("endpoint", url).put("topics", new JsonArray(java.util.List.of((Object[]) topics))));
  }

  JsonObject hook(ChatNode.User as, String id) throws Exception {
    return node.rest.get("/v1/webhooks/" + id, as.token()).ok();
  }

  static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      Thread.sleep(50);
    }
  }

  /**
   * Waits for the message {@code marker} (posted after whatever the test expects) to reach
   * {@code receiver}, then returns the ids of the messages delivered before it. A hook's deliveries
   * follow the change log, so a repeat or a leaked event would be among them: absence is proven by a
   * later event arriving, not by waiting a while.
   */
  static List<String> idsBefore(WebhookReceiver receiver, String marker) throws InterruptedException {
    await("the marker message " + marker, Duration.ofSeconds(20), () -> WebhookDeliveryIT.messageIds(receiver).contains(marker));
    List<String> ids = WebhookDeliveryIT.messageIds(receiver);
    return ids.subList(0, ids.indexOf(marker));
  }

  @Override
  public void close() {
    node.close();
  }
}
