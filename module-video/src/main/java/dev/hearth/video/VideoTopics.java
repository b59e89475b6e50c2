package dev.hearth.video;

import dev.hearth.api.v1.Level;
import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.realtime.TopicEvent;
import dev.hearth.module.realtime.Topics;
import dev.hearth.module.store.Codec;
import dev.hearth.video.v1.Participant;
import dev.hearth.video.v1.Room;
import dev.hearth.video.v1.RoomStatus;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The video topics:
 * <ul>
 *   <li>{@code video/rooms/<projectId>}: room.created, room.closed, and participant.joined/left (the
 *       counts changed); project users;</li>
 *   <li>{@code video/room/<roomId>}: participant.joined, participant.updated (media state),
 *       participant.left ({@code by}: who removed them, when not themselves), room.closed; users of
 *       the room's project;</li>
 *   <li>{@code video/signal/<roomId>/<userId>}: the ephemeral {@code signal} events to that user
 *       ({@link Signaling}); that user alone, while in the room (checked again on every realtime
 *       re-check, so someone removed stops hearing).</li>
 * </ul>
 * {@link #route} reads nothing but the event (the project of a deleted participant is the write's
 * scope), so a replay routes exactly as the live event did.
 */
final class VideoTopics implements Topics {

  static String roomsTopic(String projectId) {
    return "video/rooms/" + projectId;
  }

  static String roomTopic(String roomId) {
    return "video/room/" + roomId;
  }

  static String signalTopic(String roomId, String userId) {
    return "video/signal/" + roomId + "/" + userId;
  }

  private final VideoStore db;
  private final Authorization authorization;

  VideoTopics(VideoStore db, Authorization authorization) {
    this.db = db;
    this.authorization = authorization;
  }

  @Override
  public void authorize(Caller caller, String topic) {
    String[] parts = topic.split("/", -1);
    if (parts.length < 3 || !parts[0].equals("video")) {
      throw ModuleException.invalidArgument("topic: '" + Fields.abbreviate(topic) + "' is not video/{rooms,room,signal}/...");
    }
    if (!caller.authenticated()) throw new ModuleException(ModuleException.Code.UNAUTHENTICATED, "sign in to subscribe");
    switch (parts[1]) {
      case "rooms" -> {
        if (parts.length != 3) throw notFound(topic);
        authorization.require(caller, Level.PROJECT_USER, parts[2]);
      }
      case "room" -> {
        if (parts.length != 3) throw notFound(topic);
        readable(caller, parts[2]);
      }
      case "signal" -> {
        if (parts.length != 4) throw notFound(topic);
        Room room = readable(caller, parts[2]);
        if (!parts[3].equals(caller.userId())) {
          throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "signals to another user are theirs alone");
        }
        if (db.participants.get(VideoStore.pair(room.getId(), parts[3])).isEmpty()) {
          throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "join room " + room.getId() + " first");
        }
      }
      default -> throw notFound(topic);
    }
  }

  /** A room of a project the caller is in; NOT_FOUND otherwise, which does not tell that it exists. */
  private Room readable(Caller caller, String roomId) {
    Room room = db.rooms.get(Fields.id("topic", roomId)).orElseThrow(() -> Rooms.notFound(roomId));
    if (!authorization.allows(caller, Level.PROJECT_USER, room.getProjectId())) throw Rooms.notFound(roomId);
    return room;
  }

  private static ModuleException notFound(String topic) {
    return ModuleException.notFound("topic " + Fields.abbreviate(topic) + " not found");
  }

  @Override
  public List<TopicEvent> route(ChangeEvent e) {
    try {
      return switch (e.collection()) {
        case VideoStore.ROOMS -> e.op() == ChangeEvent.Op.PUT ? room(e.value(Codec.of(Room.parser()))) : List.of();
        case VideoStore.PARTICIPANTS -> participant(e);
        default -> List.of();
      };
    } catch (RuntimeException ignored) {
      // route must not throw; a value that does not parse publishes nothing.
      return List.of();
    }
  }

  private static List<TopicEvent> room(Room r) {
    JsonObject data = Json.room(r);
    if (r.getRevision() == 0) return List.of(new TopicEvent(roomsTopic(r.getProjectId()), "room.created", data));
    String type = r.getStatus() == RoomStatus.CLOSED ? "room.closed" : "room.updated";
    return List.of(new TopicEvent(roomsTopic(r.getProjectId()), type, data), new TopicEvent(roomTopic(r.getId()), type, data));
  }

  private static List<TopicEvent> participant(ChangeEvent e) {
    List<TopicEvent> out = new ArrayList<>();
    if (e.op() == ChangeEvent.Op.PUT) {
      Participant p = e.value(Codec.of(Participant.parser()));
      boolean joined = p.getRevision() == 0;
      out.add(new TopicEvent(roomTopic(p.getRoomId()), joined ? "participant.joined" : "participant.updated", Json.participant(p)));
      if (joined) {
        out.add(new TopicEvent(roomsTopic(p.getProjectId()), "participant.joined",
            new JsonObject().put("roomId", p.getRoomId()).put("userId", p.getUserId())));
      }
      return out;
    }
    int slash = e.key().indexOf('/');
    if (slash < 0) return out;
    String roomId = e.key().substring(0, slash);
    String userId = e.key().substring(slash + 1);
    JsonObject data = new JsonObject().put("roomId", roomId).put("userId", userId).put("by", e.actor());
    out.add(new TopicEvent(roomTopic(roomId), "participant.left", data));
    if (!e.scope().isEmpty()) out.add(new TopicEvent(roomsTopic(e.scope()), "participant.left", data.copy()));
    return out;
  }
}
