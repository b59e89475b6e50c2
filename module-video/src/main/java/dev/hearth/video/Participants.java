package dev.hearth.video;

import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Tx;
import dev.hearth.video.v1.IceServer;
import dev.hearth.video.v1.JoinRoomRequest;
import dev.hearth.video.v1.JoinRoomResponse;
import dev.hearth.video.v1.LeaveRoomResponse;
import dev.hearth.video.v1.Participant;
import dev.hearth.video.v1.ParticipantRef;
import dev.hearth.video.v1.RemoveParticipantResponse;
import dev.hearth.video.v1.Room;
import dev.hearth.video.v1.RoomRef;
import dev.hearth.video.v1.RoomStatus;
import dev.hearth.video.v1.SetMediaStateRequest;
import dev.hearth.video.v1.SfuAccess;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** Joining and leaving rooms, one's own media state, and the moderators' mute and remove. */
final class Participants {

  static final int MAX_DISPLAY_NAME = 64;

  private final VideoStore db;
  private final Rooms rooms;
  private final VideoConfig config;
  private final IceServers ice;
  private final SfuTokens sfu;

  Participants(VideoStore db, Rooms rooms, VideoConfig config) {
    this.db = db;
    this.rooms = rooms;
    this.config = config;
    this.ice = new IceServers(config);
    this.sfu = config.sfuMode() ? new SfuTokens(config.sfu()) : null;
  }

  /**
   * The room check, the size limit and the write are one transaction: a store runs its
   * transactions one at a time, so two joins racing for the last place cannot both get it.
   */
  Future<JoinRoomResponse> join(Call call, JoinRoomRequest r) {
    String user = call.userId();
    String roomId = Fields.id("room_id", r.getRoomId());
    String name = Fields.text("display_name", r.getDisplayName(), false, MAX_DISPLAY_NAME);
    String shown = name.isEmpty() ? user : name;
    return db.store.write(user, r.getProjectId(), tx -> {
      Room room = rooms.inProject(tx, r.getProjectId(), roomId);
      if (room.getStatus() != RoomStatus.OPEN) throw ModuleException.failedPrecondition("room " + roomId + " is closed");
      if (tx.get(db.removed, VideoStore.pair(roomId, user)).isPresent()) {
        throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "a moderator removed you from room " + roomId);
      }
      int max = config.maxParticipants();
      List<Participant> others = db.participants(tx, roomId, max + 1).stream().map(Entry::value)
          .filter(p -> !p.getUserId().equals(user)).sorted(Comparator.comparingLong(Participant::getJoinedAtMicros)).toList();
      if (others.size() >= max) {
        throw new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED, "room " + roomId + " is full: "
            + (config.sfuMode() ? "rooms" : "mesh rooms") + " take at most " + max + " participants")
            .detail("maxParticipants", Integer.toString(max));
      }
      // Joining again (a reload, a second tab) starts over: a new join time makes this client the
      // newer side, which sends the offers, so the others drop their old connection to it.
      Participant me = Participant.newBuilder().setRoomId(roomId).setProjectId(room.getProjectId()).setUserId(user)
          .setDisplayName(shown).setJoinedAtMicros(Math.max(VideoStore.nowMicros(), newest(others) + 1))
          .setAudio(r.getAudio()).setVideo(r.getVideo()).build();
      tx.put(db.participants, VideoStore.pair(roomId, user), me);
      tx.put(db.userRooms, VideoStore.pair(user, roomId), roomId);
      return JoinRoomResponse.newBuilder().setParticipant(me).addAllOthers(others).setMode(rooms.mode())
          .setSignalTopic(VideoTopics.signalTopic(roomId, user));
    }).map(b -> connectInfo(b, roomId, user, shown));
  }

  /** Joined-at times are strictly increasing within a room, so "who is newer" never ties. */
  private static long newest(List<Participant> ps) {
    return ps.stream().mapToLong(Participant::getJoinedAtMicros).max().orElse(0);
  }

  private JoinRoomResponse connectInfo(JoinRoomResponse.Builder b, String roomId, String user, String name) {
    long now = System.currentTimeMillis() / 1000;
    if (sfu != null) {
      return b.setSfu(SfuAccess.newBuilder().setUrl(config.sfu().url()).setToken(sfu.issue(roomId, user, name, now))
          .setExpiresAtSeconds(sfu.expiry(now))).build();
    }
    List<IceServer> servers = ice.forUser(user, now);
    return b.addAllIceServers(servers).build();
  }

  Future<LeaveRoomResponse> leave(Call call, RoomRef r) {
    String user = call.userId();
    String roomId = Fields.id("room_id", r.getRoomId());
    return db.store.write(user, r.getProjectId(), tx -> {
      rooms.inProject(tx, r.getProjectId(), roomId);
      boolean in = tx.get(db.participants, VideoStore.pair(roomId, user)).isPresent();
      if (in) db.deleteParticipant(tx, roomId, user);
      return LeaveRoomResponse.newBuilder().setLeft(in).build();
    });
  }

  Future<Participant> setMedia(Call call, SetMediaStateRequest r) {
    String roomId = Fields.id("room_id", r.getRoomId());
    return change(call, r.getProjectId(), roomId, call.userId(), false, p -> {
      Participant.Builder b = p.toBuilder();
      if (r.hasAudio()) {
        b.setAudio(r.getAudio());
        if (r.getAudio()) b.clearMutedBy();
      }
      if (r.hasVideo()) b.setVideo(r.getVideo());
      if (r.hasScreen()) b.setScreen(r.getScreen());
      if (r.hasHandRaised()) b.setHandRaised(r.getHandRaised());
      if (r.hasDeafened()) b.setDeafened(r.getDeafened());
      return b.build();
    });
  }

  Future<Participant> mute(Call call, ParticipantRef r) {
    String roomId = Fields.id("room_id", r.getRoomId());
    String target = Fields.id("user_id", r.getUserId());
    return change(call, r.getProjectId(), roomId, target, true,
        p -> p.toBuilder().setAudio(false).setMutedBy(call.userId()).build());
  }

  Future<RemoveParticipantResponse> remove(Call call, ParticipantRef r) {
    String roomId = Fields.id("room_id", r.getRoomId());
    String target = Fields.id("user_id", r.getUserId());
    return db.store.write(call.userId(), r.getProjectId(), tx -> {
      Room room = rooms.inProject(tx, r.getProjectId(), roomId);
      rooms.requireModerator(call.caller(), room);
      if (target.equals(call.userId())) throw ModuleException.badField("user_id", "is you; use LeaveRoom to leave");
      boolean in = tx.get(db.participants, VideoStore.pair(roomId, target)).isPresent();
      if (in) db.deleteParticipant(tx, roomId, target);
      tx.put(db.removed, VideoStore.pair(roomId, target), call.userId());
      return RemoveParticipantResponse.newBuilder().setRemoved(in).build();
    });
  }

  /** Rewrites one participant in one transaction; a moderator's change is checked as such. */
  private Future<Participant> change(Call call, String projectId, String roomId, String userId, boolean moderating,
      UnaryOperator<Participant> fn) {
    return db.store.write(call.userId(), projectId, tx -> {
      Room room = rooms.inProject(tx, projectId, roomId);
      if (moderating) rooms.requireModerator(call.caller(), room);
      Participant p = tx.get(db.participants, VideoStore.pair(roomId, userId)).orElseThrow(() -> notIn(roomId, userId,
          call.userId()));
      Participant next = fn.apply(p).toBuilder().setRevision(p.getRevision() + 1).build();
      tx.put(db.participants, VideoStore.pair(roomId, userId), next);
      return next;
    });
  }

  static ModuleException notIn(String roomId, String userId, String caller) {
    return ModuleException.failedPrecondition(
        (userId.equals(caller) ? "you are" : "user " + userId + " is") + " not in room " + roomId + "; join it first");
  }

  /**
   * Takes a user out of every room they joined before {@code beforeMicros} (their last realtime
   * connection went away then); a join made since, from another client, stands.
   */
  Future<Void> leaveAll(String userId, long beforeMicros) {
    List<Entry<String>> in = db.userRooms.scanPrefix(VideoStore.prefix(userId), 1000, false);
    List<Future<Void>> writes = new ArrayList<>();
    for (Entry<String> e : in) {
      String roomId = e.value();
      db.participants.get(VideoStore.pair(roomId, userId)).filter(p -> p.getJoinedAtMicros() < beforeMicros).ifPresent(p -> {
        // Written as the module: the user did not leave by themselves (the event's actor tells).
        writes.add(db.store.<Void>write(VideoModule.ID, p.getProjectId(), tx -> {
          // Checked again in the write: a join may have landed since the read above.
          boolean same = tx.get(db.participants, VideoStore.pair(roomId, userId))
              .filter(now -> now.getJoinedAtMicros() == p.getJoinedAtMicros()).isPresent();
          if (same) db.deleteParticipant(tx, roomId, userId);
          return null;
        }));
      });
    }
    return Future.all(writes).mapEmpty();
  }

  /** Everyone still listed in a room whom {@code stillHere} does not know: after a node restart, nobody. */
  void sweep(Predicate<String> stillHere) {
    Set<String> users = new HashSet<>();
    for (Entry<String> e : db.userRooms.scan(null, null, Integer.MAX_VALUE, false)) {
      users.add(e.key().substring(0, e.key().indexOf('/')));
    }
    users.stream().filter(u -> !stillHere.test(u)).forEach(u -> leaveAll(u, Long.MAX_VALUE));
  }
}
