package dev.hearth.kernel.notifications;

import io.vertx.core.json.JsonObject;

/**
 * Something a user missed and may be told of: a mention of them or a direct message to them, as the
 * module routed it to their user topic ({@code <module>/user/<userId>}, type {@code mention} or
 * {@code direct}). {@code text} is empty unless the project's org allows text in notifications.
 *
 * @param atMillis when the message was posted
 * @param notedAtMillis when the node recorded it, by the node's clock: digest delays count from here
 */
record Notice(String userId, String module, String kind, String projectId, String channelId, String channelName,
    String authorId, String messageId, long atMillis, long notedAtMillis, String text) {

  static final String MENTION = "mention";
  static final String DIRECT = "direct";

  Notice withoutText() {
    return new Notice(userId, module, kind, projectId, channelId, channelName, authorId, messageId, atMillis,
        notedAtMillis, "");
  }

  JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("module", module).put("kind", kind).put("projectId", projectId)
        .put("channelId", channelId).put("channelName", channelName).put("authorId", authorId)
        .put("messageId", messageId).put("atMillis", atMillis).put("notedAtMillis", notedAtMillis).put("text", text);
  }

  static Notice fromJson(JsonObject j) {
    return new Notice(j.getString("userId", ""), j.getString("module", ""), j.getString("kind", MENTION),
        j.getString("projectId", ""), j.getString("channelId", ""), j.getString("channelName", ""),
        j.getString("authorId", ""), j.getString("messageId", ""), j.getLong("atMillis", 0L), j.getLong("notedAtMillis", 0L),
        j.getString("text", ""));
  }
}
