package dev.hearth.video;

import dev.hearth.video.v1.Participant;
import dev.hearth.video.v1.Room;
import io.vertx.core.json.JsonObject;

/**
 * Realtime event data in the proto3 JSON shape REST clients already see (lowerCamelCase names,
 * int64 as strings). Built by hand: the SDK does not give modules protobuf-java-util's JsonFormat.
 */
final class Json {

  private Json() {}

  static JsonObject room(Room r) {
    return new JsonObject().put("id", r.getId()).put("projectId", r.getProjectId()).put("name", r.getName())
        .put("status", r.getStatus().name()).put("creatorId", r.getCreatorId())
        .put("revision", Long.toString(r.getRevision()));
  }

  static JsonObject participant(Participant p) {
    return new JsonObject().put("roomId", p.getRoomId()).put("projectId", p.getProjectId()).put("userId", p.getUserId())
        .put("displayName", p.getDisplayName()).put("joinedAtMicros", Long.toString(p.getJoinedAtMicros()))
        .put("audio", p.getAudio()).put("video", p.getVideo()).put("screen", p.getScreen())
        .put("handRaised", p.getHandRaised()).put("deafened", p.getDeafened()).put("mutedBy", p.getMutedBy())
        .put("revision", Long.toString(p.getRevision()));
  }
}
