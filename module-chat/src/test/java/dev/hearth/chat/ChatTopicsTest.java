package dev.hearth.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.MessageLite;
import dev.hearth.chat.v1.Channel;
import dev.hearth.chat.v1.Membership;
import dev.hearth.chat.v1.Message;
import dev.hearth.chat.v1.ReadMarker;
import dev.hearth.chat.v1.Visibility;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.realtime.TopicEvent;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** Routing is a pure function of the change event: what a live client saw, a resuming one sees again. */
class ChatTopicsTest {

  private final ChatTopics topics = new ChatTopics(null, null, null);

  private static ChangeEvent put(String collection, String key, MessageLite value) {
    return new ChangeEvent(7, "chat", collection, key, ChangeEvent.Op.PUT, value.toByteArray(), "u1", 1);
  }

  @Test
  void aNewMessage_goesToItsChannel_andItsMentionsToTheirUsers() {
    Message m = Message.newBuilder().setId("m1").setChannelId("c1").setProjectId("p1").setAuthorId("u1")
        .setText("hi").addMentionUserIds("u2").build();
    List<TopicEvent> out = topics.route(put(ChatStore.MESSAGES, "c1/m/m1", m));
    assertThat(out).extracting(TopicEvent::topic, TopicEvent::type)
        .containsExactly(Tuple.tuple("chat/channel/c1", "message.created"),
            Tuple.tuple("chat/user/u2", "mention"));
    assertThat(out.get(0).data().getString("text")).isEqualTo("hi");
    assertThat(topics.route(put(ChatStore.MESSAGES, "c1/m/m1", m))).isEqualTo(out);
  }

  @Test
  void aDirectMessage_tellsItsOtherMembers_once_evenWhenItAlsoMentionsThem() {
    Message m = Message.newBuilder().setId("m1").setChannelId("c1").setProjectId("p1").setAuthorId("u1")
        .setText("psst").addDirectRecipientIds("u2").addDirectRecipientIds("u3").addMentionUserIds("u3")
        .setCreatedAtMicros(42).build();
    List<TopicEvent> out = topics.route(put(ChatStore.MESSAGES, "c1/m/m1", m));
    assertThat(out).extracting(TopicEvent::topic, TopicEvent::type)
        .containsExactly(Tuple.tuple("chat/channel/c1", "message.created"),
            Tuple.tuple("chat/user/u3", "mention"),
            Tuple.tuple("chat/user/u2", "direct"));
    assertThat(out.get(2).data().getString("authorId")).isEqualTo("u1");
    assertThat(out.get(2).data().getLong("atMicros")).isEqualTo(42L);
    assertThat(topics.route(put(ChatStore.MESSAGES, "c1/m/m1", m.toBuilder().setRevision(1).build())))
        .extracting(TopicEvent::type).containsExactly("message.updated");
  }

  @Test
  void aChangedMessage_isAnUpdate_andATombstoneADeletion() {
    Message m = Message.newBuilder().setId("m1").setChannelId("c1").setRevision(2).addMentionUserIds("u2").build();
    assertThat(topics.route(put(ChatStore.MESSAGES, "c1/m/m1", m))).extracting(TopicEvent::type).containsExactly("message.updated");
    assertThat(topics.route(put(ChatStore.MESSAGES, "c1/m/m1", m.toBuilder().setDeleted(true).build())))
        .extracting(TopicEvent::type).containsExactly("message.deleted");
  }

  @Test
  void privateChannels_stayOffTheProjectTopic() {
    Channel pub = Channel.newBuilder().setId("c1").setProjectId("p1").setVisibility(Visibility.PUBLIC).build();
    assertThat(topics.route(put(ChatStore.CHANNELS, "c1", pub))).extracting(TopicEvent::topic, TopicEvent::type)
        .containsExactly(Tuple.tuple("chat/project/p1", "channel.created"));
    Channel priv = pub.toBuilder().setVisibility(Visibility.PRIVATE).setRevision(1).build();
    assertThat(topics.route(put(ChatStore.CHANNELS, "c1", priv))).extracting(TopicEvent::topic).containsExactly("chat/channel/c1");
  }

  @Test
  void membersAndReadMarkers_goToTheirChannelAndUser() {
    Membership m = Membership.newBuilder().setChannelId("c1").setProjectId("p1").setUserId("u2").setPrivateChannel(true).build();
    assertThat(topics.route(put(ChatStore.MEMBERS, "c1/u2", m))).extracting(TopicEvent::topic, TopicEvent::type).containsExactly(
        Tuple.tuple("chat/channel/c1", "member.joined"),
        Tuple.tuple("chat/user/u2", "channel.added"));
    ChangeEvent left = new ChangeEvent(8, "chat", ChatStore.MEMBERS, "c1/u2", ChangeEvent.Op.DELETE, null, "u2", 2);
    assertThat(topics.route(left)).singleElement().satisfies(e -> assertThat(e.data().getString("userId")).isEqualTo("u2"));
    ReadMarker r = ReadMarker.newBuilder().setChannelId("c1").setUserId("u2").setMessageId("m1").build();
    assertThat(topics.route(put(ChatStore.READS, "c1/u2", r))).extracting(TopicEvent::topic).containsExactly("chat/user/u2");
  }

  @Test
  void otherCollectionsAndGarbage_publishNothing_andNeverThrow() {
    assertThat(topics.route(put("last_posts", "c1/u1", Channel.getDefaultInstance()))).isEmpty();
    ChangeEvent garbage = new ChangeEvent(9, "chat", ChatStore.MESSAGES, "c1/m/x", ChangeEvent.Op.PUT, new byte[] {(byte) 0xff, 1}, "u1", 3);
    assertThat(topics.route(garbage)).isEmpty();
  }
}
