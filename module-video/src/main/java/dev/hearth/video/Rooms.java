package dev.hearth.video;

import dev.hearth.api.v1.Level;
import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Ids;
import dev.hearth.module.store.Tx;
import dev.hearth.video.v1.CreateRoomRequest;
import dev.hearth.video.v1.ListRoomsRequest;
import dev.hearth.video.v1.ListRoomsResponse;
import dev.hearth.video.v1.Participant;
import dev.hearth.video.v1.Room;
import dev.hearth.video.v1.RoomMode;
import dev.hearth.video.v1.RoomRef;
import dev.hearth.video.v1.RoomStatus;
import dev.hearth.video.v1.RoomView;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A room's life (opened, closed) and reading rooms; who moderates a room. */
final class Rooms {

  static final int MAX_NAME = 100;
  static final int MAX_KEY = 200;
  /** A project lists at most this many open rooms; more would need paging. */
  static final int MAX_LISTED = 500;

  private final VideoStore db;
  private final Authorization authorization;
  private final VideoConfig config;

  Rooms(VideoStore db, Authorization authorization, VideoConfig config) {
    this.db = db;
    this.authorization = authorization;
    this.config = config;
  }

  Future<Room> create(Call call, CreateRoomRequest r) {
    String user = call.userId();
    String name = Fields.text("name", r.getName(), true, MAX_NAME);
    String key = Fields.key("key", r.getKey(), MAX_KEY);
    // Looking the key up and writing the new room are one transaction: two people starting a
    // channel's call at once end up in the same room.
    return db.store.write(user, r.getProjectId(), tx -> {
      String keyed = VideoStore.pair(r.getProjectId(), key);
      if (!key.isEmpty()) {
        Optional<Room> open = tx.get(db.roomKeys, keyed).flatMap(id -> tx.get(db.rooms, id))
            .filter(x -> x.getStatus() == RoomStatus.OPEN);
        if (open.isPresent()) return open.get();
      }
      Room room = Room.newBuilder().setId(Ids.next()).setProjectId(r.getProjectId()).setName(name).setKey(key)
          .setStatus(RoomStatus.OPEN).setCreatorId(user).setCreatedAtMicros(VideoStore.nowMicros()).build();
      tx.put(db.rooms, room.getId(), room);
      tx.put(db.projectRooms, VideoStore.pair(room.getProjectId(), room.getId()), room.getId());
      if (!key.isEmpty()) tx.put(db.roomKeys, keyed, room.getId());
      return room;
    });
  }

  Future<ListRoomsResponse> list(Call call, ListRoomsRequest r) {
    List<Room> out = new ArrayList<>();
    for (Entry<String> e : db.projectRooms.scanPrefix(VideoStore.prefix(r.getProjectId()), MAX_LISTED, true)) {
      db.rooms.get(e.value()).filter(x -> x.getStatus() == RoomStatus.OPEN)
          .ifPresent(x -> out.add(x.toBuilder().setParticipantCount(participants(x.getId()).size()).build()));
    }
    return Future.succeededFuture(ListRoomsResponse.newBuilder().addAllRooms(out).build());
  }

  Future<RoomView> get(Call call, RoomRef r) {
    Room room = inProject(r.getProjectId(), Fields.id("room_id", r.getRoomId()));
    List<Participant> ps = participants(room.getId());
    RoomView.Builder v = RoomView.newBuilder().setRoom(room.toBuilder().setParticipantCount(ps.size()))
        .addAllParticipants(ps).setMode(mode()).setMaxParticipants(config.maxParticipants())
        .setModerator(moderates(call.caller(), room));
    ps.stream().filter(p -> p.getUserId().equals(call.userId())).findFirst().ifPresent(me -> v.setJoined(true).setMe(me));
    return Future.succeededFuture(v.build());
  }

  Future<Room> close(Call call, RoomRef r) {
    String roomId = Fields.id("room_id", r.getRoomId());
    return db.store.write(call.userId(), r.getProjectId(), tx -> {
      Room room = inProject(tx, r.getProjectId(), roomId);
      requireModerator(call.caller(), room);
      if (room.getStatus() == RoomStatus.CLOSED) throw ModuleException.failedPrecondition("room " + roomId + " is already closed");
      for (Entry<Participant> p : db.participants(tx, roomId, Integer.MAX_VALUE)) {
        db.deleteParticipant(tx, roomId, p.value().getUserId());
      }
      Room closed = room.toBuilder().setStatus(RoomStatus.CLOSED).setClosedAtMicros(VideoStore.nowMicros())
          .setRevision(room.getRevision() + 1).build();
      tx.put(db.rooms, roomId, closed);
      if (!room.getKey().isEmpty()) tx.delete(db.roomKeys, VideoStore.pair(room.getProjectId(), room.getKey()));
      return closed;
    });
  }

  RoomMode mode() {
    return config.sfuMode() ? RoomMode.SFU : RoomMode.MESH;
  }

  /** The room's creator and the project's admins (and so org admins and sys-admins). */
  boolean moderates(Caller caller, Room room) {
    return room.getCreatorId().equals(caller.userId()) || authorization.allows(caller, Level.PROJECT_ADMIN, room.getProjectId());
  }

  void requireModerator(Caller caller, Room room) {
    if (!moderates(caller, room)) {
      throw new ModuleException(ModuleException.Code.PERMISSION_DENIED,
          "only the room's creator or a project admin may moderate room " + room.getId());
    }
  }

  /** Participants of a room, in the order they joined. */
  List<Participant> participants(String roomId) {
    List<Participant> out = new ArrayList<>();
    db.participants.scanPrefix(VideoStore.prefix(roomId), Integer.MAX_VALUE, false).forEach(e -> out.add(e.value()));
    out.sort(Comparator.comparingLong(Participant::getJoinedAtMicros));
    return out;
  }

  /** The room, checked to belong to the project: another project's room is NOT_FOUND, telling nothing. */
  Room inProject(String projectId, String roomId) {
    return db.rooms.get(roomId).filter(x -> x.getProjectId().equals(projectId)).orElseThrow(() -> notFound(roomId));
  }

  Room inProject(Tx tx, String projectId, String roomId) {
    return tx.get(db.rooms, roomId).filter(x -> x.getProjectId().equals(projectId)).orElseThrow(() -> notFound(roomId));
  }

  static ModuleException notFound(String roomId) {
    return ModuleException.notFound("room " + roomId + " not found");
  }
}
