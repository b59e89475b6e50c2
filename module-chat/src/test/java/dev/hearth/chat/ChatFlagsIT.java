package dev.hearth.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.chat.v1.Channel;
import dev.hearth.chat.v1.ChatProto;
import dev.hearth.chat.v1.CreateChannelRequest;
import dev.hearth.chat.v1.EditMessageRequest;
import dev.hearth.chat.v1.Message;
import dev.hearth.chat.v1.PostMessageRequest;
import dev.hearth.chat.v1.Visibility;
import dev.hearth.testkit.ModuleNode;
import dev.hearth.testkit.ModuleNode.User;
import dev.hearth.testkit.TestGrpc;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat's own flag ({@code chat.edit}, declared through {@code ModuleContext.flags()}) and its module
 * switch ({@code module.chat}), flipped through the kernel's flags API by the org's and the project's
 * admins: each flip changes what the very next chat call does, with no restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatFlagsIT {

  @TempDir static Path dir;
  ModuleNode chat;
  User ann;
  User bob;
  String org;
  String project;
  Channel general;

  @BeforeAll
  void start() throws Exception {
    chat = ModuleNode.start(dir, "hearth-module-chat", ChatProto.getDescriptor());
    ann = chat.signUp("ann@flags.test");
    bob = chat.signUp("bob@flags.test");
    org = chat.node.rest.post("/v1/orgs", ann.token(), new JsonObject().put("name", "Flags org")).ok().getString("id");
    project = chat.node.rest.post("/v1/orgs/" + org + "/projects", ann.token(), new JsonObject().put("name", "F"))
        .ok().getString("id");
    chat.invite(ann, project, bob);
    general = chat.call("CreateChannel", CreateChannelRequest.newBuilder().setProjectId(project).setName("general")
        .setVisibility(Visibility.PUBLIC).build(), Channel.getDefaultInstance(), ann);
  }

  @AfterAll
  void stop() {
    if (chat != null) chat.close();
  }

  private Message post(String text) {
    return chat.call("PostMessage", PostMessageRequest.newBuilder().setProjectId(project).setChannelId(general.getId())
        .setText(text).build(), Message.getDefaultInstance(), ann);
  }

  private EditMessageRequest edit(Message m, String text) {
    return EditMessageRequest.newBuilder().setProjectId(project).setChannelId(general.getId()).setMessageId(m.getId())
        .setText(text).build();
  }

  private JsonObject put(String path, boolean enabled) throws Exception {
    return chat.node.rest.call("PUT", path, ann.token(), new JsonObject().put("enabled", enabled)).ok();
  }

  @Test
  void editFlag_resolvesProjectOverOrgOverDefault_andEachFlipActsOnTheNextEdit() throws Exception {
    Message m = post("first");
    assertThat(chat.call("EditMessage", edit(m, "edited"), Message.getDefaultInstance(), ann).getText()).isEqualTo("edited");
    JsonObject listed = chat.node.rest.get("/v1/projects/" + project + "/flags", bob.token()).ok();
    assertThat(listed.encode()).contains("chat.edit").contains("members may edit their own messages");

    // The project's admin turns editing off: the next edit is refused, naming the flag.
    JsonObject off = put("/v1/projects/" + project + "/flags/chat.edit", false);
    assertThat(off.getString("source")).isEqualTo("PROJECT");
    TestGrpc.Failure refused = chat.fails(GrpcStatus.FAILED_PRECONDITION, "EditMessage", edit(m, "again"), ann);
    assertThat(refused.getMessage()).contains("chat.edit");

    // Cleared at the project, off at the org: still off, now from the org.
    chat.node.rest.call("DELETE", "/v1/projects/" + project + "/flags/chat.edit", ann.token(), null).ok();
    put("/v1/orgs/" + org + "/flags/chat.edit", false);
    JsonObject got = chat.node.rest.get("/v1/projects/" + project + "/flags/chat.edit", bob.token()).ok();
    assertThat(got.getBoolean("enabled")).isFalse();
    assertThat(got.getString("source")).isEqualTo("ORG");
    chat.fails(GrpcStatus.FAILED_PRECONDITION, "EditMessage", edit(m, "again"), ann);

    // The project says on: the project wins over its org.
    put("/v1/projects/" + project + "/flags/chat.edit", true);
    assertThat(chat.call("EditMessage", edit(m, "back on"), Message.getDefaultInstance(), ann).getText()).isEqualTo("back on");

    // A project-user may read flags but not set them.
    assertThat(chat.node.rest.call("PUT", "/v1/projects/" + project + "/flags/chat.edit", bob.token(),
        new JsonObject().put("enabled", false)).status()).isEqualTo(403);
    chat.node.rest.call("DELETE", "/v1/orgs/" + org + "/flags/chat.edit", ann.token(), null).ok();
    chat.node.rest.call("DELETE", "/v1/projects/" + project + "/flags/chat.edit", ann.token(), null).ok();
  }

  @Test
  void moduleFlag_isTheModuleSwitch_offStopsTheNextChatCall() throws Exception {
    post("before");
    JsonObject off = put("/v1/projects/" + project + "/flags/module.chat", false);
    assertThat(off.getBoolean("enabled")).isFalse();
    try {
      chat.fails(GrpcStatus.FAILED_PRECONDITION, "PostMessage", PostMessageRequest.newBuilder().setProjectId(project)
          .setChannelId(general.getId()).setText("during").build(), ann);
      JsonObject modules = chat.node.rest.get("/v1/projects/" + project + "/modules", bob.token()).ok();
      assertThat(modules.encode()).contains("\"enabled\":false");
      // A module has no node value: it is stopped for the whole node instead.
      assertThat(chat.node.rest.call("PUT", "/v1/flags/module.chat", ann.token(), new JsonObject().put("enabled", false))
          .status()).isEqualTo(403);
    } finally {
      chat.node.rest.call("DELETE", "/v1/projects/" + project + "/flags/module.chat", ann.token(), null).ok();
    }
    assertThat(post("after").getText()).isEqualTo("after");
  }

  @Test
  void chatErrors_followTheCallersLanguage_moduleKeysAndNodeKeysAlike() throws Exception {
    String base = "/v1/projects/" + project + "/chat/channels/" + general.getId() + "/messages";
    Map<String, String> ru = Map.of("accept-language", "ru");
    var empty = chat.node.rest.call("POST", base, ann.token(), new JsonObject().put("text", " "), ru);
    assertThat(empty.code()).isEqualTo("INVALID_ARGUMENT");
    assertThat(empty.body().getString("message")).isEqualTo("text: пустое сообщение; нужен текст или вложение");
    assertThat(chat.node.rest.call("POST", base, ann.token(), new JsonObject().put("text", " "), Map.of())
        .body().getString("message")).startsWith("text: is empty");

    Message m = post("to edit");
    put("/v1/projects/" + project + "/flags/chat.edit", false);
    try {
      var off = chat.node.rest.call("PATCH", base + "/" + m.getId(), ann.token(), new JsonObject().put("text", "x"), ru);
      assertThat(off.code()).isEqualTo("FAILED_PRECONDITION");
      assertThat(off.body().getString("message")).isEqualTo("редактирование сообщений выключено в этом проекте (флаг chat.edit)");
      // bob's own setting (English) wins over his browser's Russian.
      chat.node.rest.call("PATCH", "/v1/me/settings", bob.token(), new JsonObject().put("language", "en")).ok();
      var bobs = chat.node.rest.call("PATCH", base + "/" + m.getId(), bob.token(), new JsonObject().put("text", "x"), ru);
      assertThat(bobs.body().getString("message")).startsWith("editing messages is turned off");
    } finally {
      chat.node.rest.call("DELETE", "/v1/projects/" + project + "/flags/chat.edit", ann.token(), null).ok();
    }
    var notAuthor = chat.node.rest.call("PATCH", base + "/" + m.getId(), ann.token(), new JsonObject().put("text", "ok"), ru);
    assertThat(notAuthor.status()).isEqualTo(200);
    // Off for the project through the module switch: the kernel's message, in Russian.
    put("/v1/projects/" + project + "/flags/module.chat", false);
    try {
      var offModule = chat.node.rest.call("POST", base, ann.token(), new JsonObject().put("text", "x"), ru);
      assertThat(offModule.body().getString("message")).isEqualTo("модуль chat выключен в этом проекте");
    } finally {
      chat.node.rest.call("DELETE", "/v1/projects/" + project + "/flags/module.chat", ann.token(), null).ok();
    }
  }
}
