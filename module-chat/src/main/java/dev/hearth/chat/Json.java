package dev.hearth.chat;

import dev.hearth.chat.v1.Channel;
import dev.hearth.chat.v1.Message;
import dev.hearth.chat.v1.Reaction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Realtime event data, in the proto3 JSON shape REST clients already see (lowerCamelCase names).
 * Built by hand: the SDK does not provide protobuf-java-util's JsonFormat to modules.
 */
final class Json {

  private Json() {}

  static JsonObject message(Message m) {
    JsonArray reactions = new JsonArray();
    for (Reaction r : m.getReactionsList()) {
      reactions.add(new JsonObject().put("emoji", r.getEmoji()).put("userIds", new JsonArray(r.getUserIdsList())));
    }
    return new JsonObject()
        .put("id", m.getId())
        .put("channelId", m.getChannelId())
        .put("projectId", m.getProjectId())
        .put("authorId", m.getAuthorId())
        .put("text", m.getText())
        .put("threadRootId", m.getThreadRootId())
        .put("mentionUserIds", new JsonArray(m.getMentionUserIdsList()))
        .put("attachmentFileIds", new JsonArray(m.getAttachmentFileIdsList()))
        .put("reactions", reactions)
        .put("pinned", m.getPinned())
        .put("deleted", m.getDeleted())
        .put("createdAtMicros", Long.toString(m.getCreatedAtMicros()))
        .put("editedAtMicros", Long.toString(m.getEditedAtMicros()))
        .put("replyCount", m.getReplyCount())
        .put("revision", Long.toString(m.getRevision()))
        // The poster's own id for the post: lets its client match the event to the message it showed early.
        .put("clientMessageId", m.getClientMessageId())
        .put("fromBot", m.getFromBot())
        .put("cardJson", m.getCardJson());
  }

  static JsonObject channel(Channel c) {
    return new JsonObject()
        .put("id", c.getId())
        .put("projectId", c.getProjectId())
        .put("name", c.getName())
        .put("topic", c.getTopic())
        .put("visibility", c.getVisibility().name())
        .put("kind", c.getKind().name())
        .put("creatorId", c.getCreatorId())
        .put("readOnly", c.getReadOnly())
        .put("slowModeSeconds", c.getSlowModeSeconds())
        .put("archived", c.getArchived())
        .put("directMemberIds", new JsonArray(c.getDirectMemberIdsList()))
        .put("revision", Long.toString(c.getRevision()));
  }
}
