package dev.hearth.chat;

import dev.hearth.api.v1.Level;
import dev.hearth.chat.v1.Channel;
import dev.hearth.chat.v1.Membership;
import dev.hearth.chat.v1.Message;
import dev.hearth.chat.v1.ReadMarker;
import dev.hearth.chat.v1.Visibility;
import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.realtime.TopicEvent;
import dev.hearth.module.realtime.Topics;
import dev.hearth.module.store.Codec;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The chat topics:
 * <ul>
 *   <li>{@code chat/channel/<channelId>}: message.created/updated/deleted, channel.updated,
 *       member.joined/left, and ephemeral typing; members, or any project user for a public channel;</li>
 *   <li>{@code chat/project/<projectId>}: public channels created/updated/archived, ephemeral presence;
 *       project users;</li>
 *   <li>{@code chat/user/<userId>}: read.updated, channel.added (a private channel or DM), mention,
 *       direct (a new message in a DM of theirs, from someone else); that user only.</li>
 * </ul>
 * {@link #route} reads nothing but the event: every stored value carries its channel and project ids,
 * and a revision that tells a creation from an update, so a replay routes exactly as the live event did.
 * The one exception is the channel's name on mention and direct events, read as it is when routed: the
 * node's notifications (docs/notifications.md) name the channel, and they follow this routing.
 */
final class ChatTopics implements Topics {

  static String channelTopic(String channelId) {
    return "chat/channel/" + channelId;
  }

  static String projectTopic(String projectId) {
    return "chat/project/" + projectId;
  }

  static String userTopic(String userId) {
    return "chat/user/" + userId;
  }

  private final ChatStore db;
  private final ChannelAccess access;
  private final Authorization authorization;

  ChatTopics(ChatStore db, ChannelAccess access, Authorization authorization) {
    this.db = db;
    this.access = access;
    this.authorization = authorization;
  }

  @Override
  public void authorize(Caller caller, String topic) {
    String[] parts = topic.split("/", -1);
    if (parts.length != 3 || !parts[0].equals("chat")) {
      throw ModuleException.invalidArgument("topic: '" + topic + "' is not chat/{channel,project,user}/<id>");
    }
    if (!caller.authenticated()) throw new ModuleException(ModuleException.Code.UNAUTHENTICATED, "sign in to subscribe");
    String id = parts[2];
    switch (parts[1]) {
      case "channel" -> {
        Channel c = db.channels.get(Fields.id("topic", id)).orElseThrow(() -> ChannelAccess.notFound(id));
        if (c.getVisibility() == Visibility.PUBLIC) {
          authorization.require(caller, Level.PROJECT_USER, c.getProjectId());
        } else if (access.membership(Reads.COMMITTED, c.getId(), caller.userId()).isEmpty()) {
          throw ChannelAccess.notFound(id);
        } else {
          // Channel membership outlives project membership; leaving the project must end the feed too.
          authorization.require(caller, Level.PROJECT_USER, c.getProjectId());
        }
      }
      case "project" -> authorization.require(caller, Level.PROJECT_USER, Fields.id("topic", id));
      case "user" -> {
        if (!id.equals(caller.userId())) {
          throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "a user topic is for that user only");
        }
      }
      default -> throw ModuleException.notFound("topic " + topic + " not found");
    }
  }

  @Override
  public List<TopicEvent> route(ChangeEvent e) {
    List<TopicEvent> out = new ArrayList<>();
    try {
      switch (e.collection()) {
        case ChatStore.MESSAGES -> { if (e.op() == ChangeEvent.Op.PUT) message(e.value(Codec.of(Message.parser())), e, out); }
        case ChatStore.CHANNELS -> { if (e.op() == ChangeEvent.Op.PUT) channel(e.value(Codec.of(Channel.parser())), out); }
        case ChatStore.MEMBERS -> member(e, out);
        case ChatStore.READS -> {
          if (e.op() == ChangeEvent.Op.PUT) {
            ReadMarker r = e.value(Codec.of(ReadMarker.parser()));
            out.add(new TopicEvent(userTopic(r.getUserId()), "read.updated",
                new JsonObject().put("channelId", r.getChannelId()).put("messageId", r.getMessageId())));
          }
        }
        default -> { }
      }
    } catch (RuntimeException ignored) {
      // route must not throw; a value that does not parse publishes nothing.
      return List.of();
    }
    return out;
  }

  private void message(Message m, ChangeEvent e, List<TopicEvent> out) {
    String type = m.getDeleted() ? "message.deleted" : m.getRevision() == 0 ? "message.created" : "message.updated";
    out.add(new TopicEvent(channelTopic(m.getChannelId()), type, Json.message(m)));
    if (m.getRevision() != 0 || m.getDeleted()) return;
    if (m.getMentionUserIdsCount() == 0 && m.getDirectRecipientIdsCount() == 0) return;
    String channelName = channelName(m.getChannelId());
    for (String u : m.getMentionUserIdsList()) {
      out.add(new TopicEvent(userTopic(u), "mention", notice(m, channelName)));
    }
    for (String u : m.getDirectRecipientIdsList()) {
      // A DM that also mentions the reader is one notice, the mention.
      if (!m.getMentionUserIdsList().contains(u)) out.add(new TopicEvent(userTopic(u), "direct", notice(m, channelName)));
    }
  }

  /**
   * What a user is told of a mention or a direct message, on their own topic: the node's
   * notifications read these fields (docs/notifications.md), and decide whether {@code text} leaves.
   */
  private static JsonObject notice(Message m, String channelName) {
    return new JsonObject().put("channelId", m.getChannelId()).put("channelName", channelName)
        .put("projectId", m.getProjectId()).put("messageId", m.getId()).put("authorId", m.getAuthorId())
        .put("text", m.getText()).put("atMicros", m.getCreatedAtMicros());
  }

  private String channelName(String channelId) {
    if (db == null) return ""; // routing alone (unit tests)
    try {
      return db.channels.get(channelId).map(Channel::getName).orElse("");
    } catch (RuntimeException unreadable) {
      return "";
    }
  }

  private static void channel(Channel c, List<TopicEvent> out) {
    if (c.getRevision() > 0) out.add(new TopicEvent(channelTopic(c.getId()), "channel.updated", Json.channel(c)));
    if (c.getVisibility() == Visibility.PUBLIC) {
      String type = c.getRevision() == 0 ? "channel.created" : c.getArchived() ? "channel.archived" : "channel.updated";
      out.add(new TopicEvent(projectTopic(c.getProjectId()), type, Json.channel(c)));
    }
  }

  private static void member(ChangeEvent e, List<TopicEvent> out) {
    String[] ids = e.key().split("/", 2);
    if (e.op() == ChangeEvent.Op.DELETE) {
      out.add(new TopicEvent(channelTopic(ids[0]), "member.left", new JsonObject().put("channelId", ids[0]).put("userId", ids[1])));
      return;
    }
    Membership m = e.value(Codec.of(Membership.parser()));
    out.add(new TopicEvent(channelTopic(m.getChannelId()), "member.joined",
        new JsonObject().put("channelId", m.getChannelId()).put("userId", m.getUserId())));
    if (m.getPrivateChannel()) {
      out.add(new TopicEvent(userTopic(m.getUserId()), "channel.added",
          new JsonObject().put("channelId", m.getChannelId()).put("projectId", m.getProjectId())));
    }
  }
}
