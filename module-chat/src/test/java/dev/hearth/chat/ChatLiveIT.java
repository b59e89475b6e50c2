package dev.hearth.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.chat.v1.ChatProto;
import dev.hearth.testkit.ModuleJars;
import dev.hearth.testkit.ModuleNode.User;
import dev.hearth.chat.v1.Channel;
import dev.hearth.chat.v1.CreateChannelRequest;
import dev.hearth.chat.v1.DeleteMessageRequest;
import dev.hearth.chat.v1.EditMessageRequest;
import dev.hearth.chat.v1.JoinChannelRequest;
import dev.hearth.chat.v1.ListMessagesRequest;
import dev.hearth.chat.v1.ListMessagesResponse;
import dev.hearth.chat.v1.Message;
import dev.hearth.chat.v1.PostMessageRequest;
import dev.hearth.chat.v1.ReactRequest;
import dev.hearth.chat.v1.Visibility;
import dev.hearth.testkit.ModuleNode;
import dev.hearth.testkit.TestRealtime;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat as its users live it: people chatting over WebSocket while someone reads the history, a
 * user who goes away and resumes, and the module upgraded under connected clients.
 */
class ChatLiveIT {

  @TempDir Path dir;

  @Test
  void twoUsersChatOverWebSocket_aThirdReadsHistoryPageByPage_andAResumeMissesNothing() throws Exception {
    try (ModuleNode chat = ModuleNode.start(dir, "hearth-module-chat", ChatProto.getDescriptor())) {
      User ann = chat.signUp("ann@live.test");
      User bob = chat.signUp("bob@live.test");
      User carol = chat.signUp("carol@live.test");
      String project = chat.project(ann, "Live");
      chat.invite(ann, project, bob);
      chat.invite(ann, project, carol);
      Channel general = channel(chat, ann, project);
      join(chat, bob, general);
      join(chat, carol, general);
      String topic = "chat/channel/" + general.getId();

      TestRealtime annRt = TestRealtime.connect(chat.node, ann.token());
      TestRealtime bobRt = TestRealtime.connect(chat.node, bob.token());
      annRt.subscribe(topic, null);
      bobRt.subscribe(topic, null);
      List<String> said = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String text = "line " + i;
        post(chat, i % 2 == 0 ? ann : bob, general, text);
        said.add(text);
      }
      for (TestRealtime rt : List.of(annRt, bobRt)) {
        assertThat(rt.events(topic, 40)).extracting(f -> f.getJsonObject("data").getString("text"))
            .containsExactlyElementsOf(said);
      }

      // Carol reads the history backwards, seven at a time, while the others keep talking.
      List<String> read = new ArrayList<>();
      ListMessagesResponse page = page(chat, carol, general, "", 7);
      read.addAll(0, texts(page));
      for (int i = 0; i < 10; i++) post(chat, i % 2 == 0 ? ann : bob, general, "meanwhile " + i);
      while (!page.getOlderCursor().isEmpty()) {
        page = page(chat, carol, general, page.getOlderCursor(), 7);
        read.addAll(0, texts(page));
      }
      assertThat(read).containsExactlyElementsOf(said);
      long bobLast = bobRt.events(topic, 10).get(9).getLong("seq");
      annRt.events(topic, 10);

      // Bob goes away; the channel goes on: new messages, an edit, a reaction, a deletion.
      bobRt.close();
      List<Message> whileAway = new ArrayList<>();
      for (int i = 0; i < 15; i++) whileAway.add(post(chat, ann, general, "while you were away " + i));
      chat.call("EditMessage", EditMessageRequest.newBuilder().setProjectId(project).setChannelId(general.getId()).setMessageId(whileAway.get(0).getId())
          .setText("edited while away").build(), Message.getDefaultInstance(), ann);
      chat.call("React", ReactRequest.newBuilder().setProjectId(project).setChannelId(general.getId()).setMessageId(whileAway.get(1).getId())
          .setEmoji("👍").setAdd(true).build(), Message.getDefaultInstance(), carol);
      chat.call("DeleteMessage", DeleteMessageRequest.newBuilder().setProjectId(project).setChannelId(general.getId())
          .setMessageId(whileAway.get(2).getId()).build(), Message.getDefaultInstance(), ann);
      List<JsonObject> annSaw = annRt.events(topic, 18);

      try (TestRealtime back = TestRealtime.connect(chat.node, bob.token())) {
        back.subscribe(topic, bobLast);
        List<JsonObject> missed = back.events(topic, 18);
        // Every event Ann saw live, once each and in the same order, with the same content.
        assertThat(missed).extracting(f -> f.getLong("seq")).containsExactlyElementsOf(
            annSaw.stream().map(f -> f.getLong("seq")).toList());
        assertThat(missed).extracting(f -> f.getString("event")).containsExactlyElementsOf(
            annSaw.stream().map(f -> f.getString("event")).toList());
        assertThat(missed.get(15).getJsonObject("data").getString("text")).isEqualTo("edited while away");
        assertThat(missed.get(17).getString("event")).isEqualTo("message.deleted");
        // Then live ones, and nothing twice.
        Message live = post(chat, bob, general, "I'm back");
        assertThat(back.events(topic, 1).get(0).getJsonObject("data").getString("id")).isEqualTo(live.getId());
        assertThat(annRt.events(topic, 1).get(0).getJsonObject("data").getString("id")).isEqualTo(live.getId());
        // Nothing twice: a later marker message is the next event, with no event before it.
        Message marker = post(chat, bob, general, "marker");
        assertThat(back.framesBefore(f -> "event".equals(f.getString("type"))
            && marker.getId().equals(f.getJsonObject("data", new JsonObject()).getString("id")), 20))
            .noneMatch(f -> "event".equals(f.getString("type")));
      }
      annRt.close();
    }
  }

  @Test
  void chatIsStoppedUpgradedAndStartedWhileClientsAreConnected_andItsDataIsIntact() throws Exception {
    try (ModuleNode chat = ModuleNode.start(dir, "hearth-module-chat", ChatProto.getDescriptor())) {
      User ann = chat.signUp("ann@upgrade.test");
      String project = chat.project(ann, "Upgrade");
      chat.node.createSysAdmin("root@upgrade.test", "root-password-1");
      String root = chat.node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@upgrade.test")
          .put("password", "root-password-1")).ok().getString("accessToken");
      Channel general = channel(chat, ann, project);
      String topic = "chat/channel/" + general.getId();
      List<String> said = new ArrayList<>();
      try (TestRealtime rt = TestRealtime.connect(chat.node, ann.token())) {
        rt.subscribe(topic, null);
        for (int i = 0; i < 5; i++) said.add(post(chat, ann, general, "before the upgrade " + i).getText());
        long last = rt.events(topic, 5).get(4).getLong("seq");

        JsonObject stopped = chat.node.rest.post("/v1/modules/chat/stop", root, new JsonObject()).ok();
        assertThat(stopped.getString("state")).isEqualTo("STOPPED");
        JsonObject ended = rt.next("unsubscribed");
        assertThat(ended.getString("code")).isEqualTo("UNAVAILABLE");
        assertThat(ended.getLong("seq")).isEqualTo(last);
        // While it is down its API is gone, cleanly.
        assertThat(chat.node.rest.post("/v1/projects/" + project + "/chat/channels/" + general.getId() + "/messages",
            ann.token(), new JsonObject().put("text", "anyone?")).status()).isEqualTo(404);

        byte[] v2 = Files.readAllBytes(withVersion(ModuleJars.built(Path.of("target"), "hearth-module-chat"), "0.2.0", dir.resolve("chat-0.2.0.jar")));
        JsonObject upgraded = chat.node.rest.post("/v1/modules", root, new JsonObject()
            .put("archive", Base64.getEncoder().encodeToString(v2)).put("start", true)).ok();
        assertThat(upgraded.getString("version")).isEqualTo("0.2.0");
        assertThat(upgraded.getString("state")).isEqualTo("STARTED");

        // The same connection picks up where it stopped; the history is all there.
        rt.subscribe(topic, last);
        said.add(post(chat, ann, general, "after the upgrade").getText());
        assertThat(rt.events(topic, 1).get(0).getJsonObject("data").getString("text")).isEqualTo("after the upgrade");
        assertThat(texts(page(chat, ann, general, "", 50))).containsExactlyElementsOf(said);
        // Every change chat made for the project is scoped to it in the change log (federation and
        // per-project tools read it); views are the store's own and unscoped.
        var events = chat.node.stores().store("chat").readLog(0, 10_000).stream()
            .filter(e -> !e.collection().startsWith("kernel.")).toList();
        assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.scope()).as(e.toString()).isEqualTo(project));
      }
    }
  }

  /** A copy of {@code jar} whose manifest says {@code version}: the same module, as an upgrade. */
  private static Path withVersion(Path jar, String version, Path out) throws IOException {
    try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
      Manifest manifest = new Manifest(in.getManifest());
      manifest.getMainAttributes().putValue("Plugin-Version", version);
      try (JarOutputStream copy = new JarOutputStream(Files.newOutputStream(out), manifest)) {
        for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
          copy.putNextEntry(new JarEntry(e.getName()));
          ((InputStream) in).transferTo(copy);
          copy.closeEntry();
        }
      }
    }
    return out;
  }

  private static Channel channel(ModuleNode chat, User owner, String project) {
    return chat.call("CreateChannel", CreateChannelRequest.newBuilder().setProjectId(project).setName("general")
        .setVisibility(Visibility.PUBLIC).build(), Channel.getDefaultInstance(), owner);
  }

  private static void join(ModuleNode chat, User who, Channel c) {
    chat.call("JoinChannel", JoinChannelRequest.newBuilder().setProjectId(c.getProjectId()).setChannelId(c.getId())
        .build(), Channel.getDefaultInstance(), who);
  }

  private static Message post(ModuleNode chat, User as, Channel c, String text) {
    return chat.call("PostMessage", PostMessageRequest.newBuilder().setProjectId(c.getProjectId())
        .setChannelId(c.getId()).setText(text).build(), Message.getDefaultInstance(), as);
  }

  private static ListMessagesResponse page(ModuleNode chat, User as, Channel c, String before, int limit) {
    return chat.call("ListMessages", ListMessagesRequest.newBuilder().setProjectId(c.getProjectId())
        .setChannelId(c.getId()).setBefore(before).setLimit(limit).build(), ListMessagesResponse.getDefaultInstance(), as);
  }

  private static List<String> texts(ListMessagesResponse page) {
    return page.getMessagesList().stream().map(Message::getText).toList();
  }

}
