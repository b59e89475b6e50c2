package dev.hearth.chat;

import dev.hearth.chat.v1.GetPresenceRequest;
import dev.hearth.chat.v1.GetPresenceResponse;
import dev.hearth.chat.v1.PresenceStatus;
import dev.hearth.chat.v1.SetPresenceRequest;
import dev.hearth.chat.v1.SetPresenceResponse;
import dev.hearth.chat.v1.SetTypingRequest;
import dev.hearth.chat.v1.SetTypingResponse;
import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.realtime.Realtime;
import dev.hearth.module.store.Entry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presence and typing: ephemeral, in this node's memory only, never in the store or its log.
 * A user's status is what they chose (idle, do-not-disturb, invisible as offline) or else follows
 * their realtime connections: online from their first connection, offline after their last.
 * Changes are announced on {@code chat/project/<id>} of every project where the user is in a channel.
 */
final class Presence {

  static final int MAX_USERS = 100;

  private final ChatStore db;
  private final ChannelAccess access;
  private final Realtime realtime;
  static final long TYPING_EVERY_MILLIS = 2000;
  static final int MAX_TYPING_ENTRIES = 10_000;

  private final Map<String, PresenceStatus> chosen = new ConcurrentHashMap<>();
  private final Map<String, Long> lastTyping = new ConcurrentHashMap<>();

  Presence(ChatStore db, ChannelAccess access, Realtime realtime) {
    this.db = db;
    this.access = access;
    this.realtime = realtime;
    realtime.onPresence(this::connection);
  }

  private void connection(String userId, boolean connected) {
    if (connected) {
      chosen.compute(userId, (u, s) -> s == PresenceStatus.IDLE || s == PresenceStatus.DND ? s : PresenceStatus.ONLINE);
    } else {
      chosen.remove(userId);
    }
    announce(userId);
  }

  PresenceStatus status(String userId) {
    PresenceStatus s = chosen.get(userId);
    if (s != null) return s;
    return realtime.connected(userId) ? PresenceStatus.ONLINE : PresenceStatus.OFFLINE;
  }

  Future<SetPresenceResponse> set(Call call, SetPresenceRequest r) {
    PresenceStatus s = r.getStatus();
    if (s == PresenceStatus.PRESENCE_UNSPECIFIED || s == PresenceStatus.UNRECOGNIZED) {
      throw ModuleException.badField("status", "must be ONLINE, IDLE, DND or OFFLINE");
    }
    chosen.put(call.userId(), s);
    announce(call.userId());
    return Future.succeededFuture(SetPresenceResponse.newBuilder().setStatus(s).build());
  }

  Future<GetPresenceResponse> get(Call call, GetPresenceRequest r) {
    List<String> ids = Fields.ids("user_ids", r.getUserIdsList(), MAX_USERS);
    GetPresenceResponse.Builder out = GetPresenceResponse.newBuilder();
    for (String u : ids) {
      // Presence is shared within a project only: other users are left out, not reported offline.
      if (!access.isProjectUser(u, r.getProjectId())) continue;
      out.addUsersBuilder().setUserId(u).setStatus(status(u));
    }
    return Future.succeededFuture(out.build());
  }

  Future<SetTypingResponse> typing(Call call, SetTypingRequest r) {
    var c = access.joined(Reads.COMMITTED, call.caller(), r.getProjectId(), r.getChannelId());
    // SetTyping is no write (no write rate limit), so it is thinned here: one event per user and
    // channel per TYPING_EVERY_MILLIS is all a "... is typing" line needs.
    long now = System.currentTimeMillis();
    String key = ChatStore.pair(c.getId(), call.userId());
    Long last = lastTyping.get(key);
    if (last != null && now - last < TYPING_EVERY_MILLIS) return Future.succeededFuture(SetTypingResponse.getDefaultInstance());
    lastTyping.put(key, now);
    if (lastTyping.size() > MAX_TYPING_ENTRIES) lastTyping.values().removeIf(t -> now - t >= TYPING_EVERY_MILLIS);
    realtime.publish(ChatTopics.channelTopic(c.getId()), "typing", new JsonObject().put("userId", call.userId()));
    return Future.succeededFuture(SetTypingResponse.getDefaultInstance());
  }

  private void announce(String userId) {
    JsonObject data = new JsonObject().put("userId", userId).put("status", status(userId).name());
    for (Entry<String> e : db.userProjects.scanPrefix(userId + "/", 1000, false)) {
      realtime.publish(ChatTopics.projectTopic(e.value()), "presence", data);
    }
  }
}
