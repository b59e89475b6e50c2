package dev.hearth.chat;

import dev.hearth.testkit.ModuleNode.User;
import dev.hearth.testkit.ModuleNode;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRest;
import dev.hearth.testkit.Waits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A test node with the built chat jar and webhook settings of the test's, and short REST calls for webhook tests. */
final class WebhookNode implements AutoCloseable {

  final ModuleNode module;
  final TestNode node;

  WebhookNode(Path dir, JsonObject webhooks) {
    module = ModuleNode.start(dir, "hearth-module-chat", List.of(), o -> o.setWebhooks(webhooks));
    node = module.node;
  }

  User signUp(String email) throws Exception {
    return module.signUp(email);
  }

  String org(User owner, String name) throws Exception {
    return node.rest.post("/v1/orgs", owner.token(), new JsonObject().put("name", name)).ok().getString("id");
  }

  String project(User orgAdmin, String org, String name) throws Exception {
    return node.rest.post("/v1/orgs/" + org + "/projects", orgAdmin.token(), new JsonObject().put("name", name)).ok()
        .getString("id");
  }

  /** Gives {@code user} {@code role} (project-user or project-admin) in the project through an invite. */
  void invite(User admin, String project, User user, String role) throws Exception {
    String code = node.rest.post("/v1/projects/" + project + "/invites", admin.token(),
        new JsonObject().put("role", role).put("maxUses", 1)).ok().getString("code");
    node.rest.post("/v1/invites/redeem", user.token(), new JsonObject().put("code", code)).ok();
  }

  String channel(User user, String project, String name) throws Exception {
    return node.rest.post("/v1/projects/" + project + "/chat/channels", user.token(),
        new JsonObject().put("name", name).put("visibility", "PUBLIC")).ok().getString("id");
  }

  String post(User user, String project, String channel, String text) throws Exception {
    return node.rest.post("/v1/projects/" + project + "/chat/channels/" + channel + "/messages", user.token(),
        new JsonObject().put("text", text)).ok().getString("id");
  }

  TestRest.Response createProjectHook(User as, String project, String url, String... topics) throws Exception {
    return node.rest.post("/v1/projects/" + project + "/webhooks", as.token(),
        new JsonObject().put("endpoint", url).put("topics", new JsonArray(List.of((Object[]) topics))));
  }

  TestRest.Response createOrgHook(User as, String org, String url, String... topics) throws Exception {
    return node.rest.post("/v1/orgs/" + org + "/webhooks", as.token(),
        new JsonObject().put("endpoint", url).put("topics", new JsonArray(List.of((Object[]) topics))));
  }

  JsonObject hook(User as, String id) throws Exception {
    return node.rest.get("/v1/webhooks/" + id, as.token()).ok();
  }

  /**
   * Waits for the message {@code marker} (posted after whatever the test expects) to reach
   * {@code receiver}, then returns the ids of the messages delivered before it. A hook's deliveries
   * follow the change log, so a repeat or a leaked event would be among them: absence is proven by a
   * later event arriving, not by waiting a while.
   */
  static List<String> idsBefore(WebhookReceiver receiver, String marker) throws InterruptedException {
    Waits.until("the marker message " + marker, Duration.ofSeconds(20), () -> WebhookDeliveryIT.messageIds(receiver).contains(marker));
    List<String> ids = WebhookDeliveryIT.messageIds(receiver);
    return ids.subList(0, ids.indexOf(marker));
  }

  @Override
  public void close() {
    node.close();
  }
}
