package dev.hearth.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.chat.ChatNode.User;
import dev.hearth.chat.v1.Channel;
import dev.hearth.chat.v1.CreateChannelRequest;
import dev.hearth.chat.v1.EditMessageRequest;
import dev.hearth.chat.v1.Message;
import dev.hearth.chat.v1.PostMessageRequest;
import dev.hearth.chat.v1.SearchMessagesRequest;
import dev.hearth.chat.v1.SearchMessagesResponse;
import dev.hearth.chat.v1.Visibility;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a chat session, the node's data directory holds no message text, channel name or email in clear. */
class ChatAtRestIT {

  @TempDir Path tmp;

  @Test
  void afterASession_noFileHoldsTextNamesOrEmailsInClear() throws Exception {
    String email = "quillon.marsh@rest.test";
    String name = "Verdigrischannel";
    String topic = "Obsidiantopic";
    String text = "Pellucidity of the marmalade";
    String edited = "Crepuscular saxophones";
    try (ChatNode chat = new ChatNode(tmp)) {
      User user = chat.signUp(email);
      String project = chat.project(user, "Rest");
      Channel c = chat.call("CreateChannel", CreateChannelRequest.newBuilder().setProjectId(project).setName(name)
          .setTopic(topic).setVisibility(Visibility.PUBLIC).build(), Channel.getDefaultInstance(), user);
      Message m = chat.call("PostMessage", PostMessageRequest.newBuilder().setProjectId(project).setChannelId(c.getId())
          .setText(text).build(), Message.getDefaultInstance(), user);
      chat.call("PostMessage", PostMessageRequest.newBuilder().setProjectId(project).setChannelId(c.getId())
          .setText(text + " again").setThreadRootId(m.getId()).build(), Message.getDefaultInstance(), user);
      chat.call("EditMessage", EditMessageRequest.newBuilder().setProjectId(project).setChannelId(c.getId())
          .setMessageId(m.getId()).setText(edited).build(), Message.getDefaultInstance(), user);
      assertThat(chat.call("SearchMessages", SearchMessagesRequest.newBuilder().setProjectId(project).setQuery("saxophones")
          .build(), SearchMessagesResponse.getDefaultInstance(), user).getMessagesCount()).isEqualTo(1);
    }
    List<String> needles = List.of(email, name, topic, text, edited, "pellucidity", "marmalade", "saxophones");
    List<String> found = new ArrayList<>();
    int scanned = 0;
    try (Stream<Path> files = Files.walk(tmp.resolve("data"))) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        scanned++;
        byte[] bytes = Files.readAllBytes(p);
        for (String n : needles) {
          if (indexOf(bytes, n.getBytes(StandardCharsets.UTF_8)) >= 0) found.add(n + " in " + tmp.relativize(p));
        }
      }
    }
    assertThat(scanned).as("files scanned").isGreaterThan(3);
    assertThat(found).isEmpty();
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return i;
    }
    return -1;
  }
}
