package dev.hearth.video;

import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.realtime.Realtime;
import dev.hearth.video.v1.Room;
import dev.hearth.video.v1.RoomStatus;
import dev.hearth.video.v1.SignalKind;
import dev.hearth.video.v1.SignalRequest;
import dev.hearth.video.v1.SignalResponse;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The mesh signaling relay: an offer, answer or ICE candidate from one participant of a room to
 * another, published as an ephemeral event on the recipient's own topic. Nothing is stored: a
 * signal is only useful to a connection being made now, and SDP carries network addresses that
 * have no business in a change log. Both ends must be in the room at the moment of the call, so
 * nobody outside it (another project's user, someone removed) can reach or be reached by a
 * participant's browser through Hearth.
 */
final class Signaling {

  /** An SDP offer with several tracks is a few KiB; this leaves room and bounds the fan-out cost. */
  static final int MAX_PAYLOAD = 16 * 1024;

  private final VideoStore db;
  private final Rooms rooms;
  private final Realtime realtime;

  Signaling(VideoStore db, Rooms rooms, Realtime realtime) {
    this.db = db;
    this.rooms = rooms;
    this.realtime = realtime;
  }

  Future<SignalResponse> signal(Call call, SignalRequest r) {
    String from = call.userId();
    String roomId = Checks.id("room_id", r.getRoomId());
    String to = Checks.id("to_user_id", r.getToUserId());
    if (to.equals(from)) throw ModuleException.badField("to_user_id", "is you; signals go to another participant");
    if (r.getKind() == SignalKind.SIGNAL_KIND_UNSPECIFIED || r.getKind() == SignalKind.UNRECOGNIZED) {
      throw ModuleException.badField("kind", "must be OFFER, ANSWER or CANDIDATE");
    }
    if (r.getPayload().isEmpty()) throw ModuleException.badField("payload", "is required");
    if (r.getPayload().length() > MAX_PAYLOAD) {
      throw ModuleException.badField("payload", "is " + r.getPayload().length() + " characters; the limit is " + MAX_PAYLOAD);
    }
    Room room = rooms.inProject(r.getProjectId(), roomId);
    if (room.getStatus() != RoomStatus.OPEN) throw ModuleException.failedPrecondition("room " + roomId + " is closed");
    if (rooms.mode() != dev.hearth.video.v1.RoomMode.MESH) {
      throw ModuleException.failedPrecondition("room " + roomId + " is in SFU mode: media goes through the SFU, not signals");
    }
    if (db.participants.get(VideoStore.pair(roomId, from)).isEmpty()) throw Participants.notIn(roomId, from, from);
    if (db.participants.get(VideoStore.pair(roomId, to)).isEmpty()) throw Participants.notIn(roomId, to, from);
    realtime.publish(VideoTopics.signalTopic(roomId, to), "signal", new JsonObject().put("roomId", roomId)
        .put("from", from).put("kind", r.getKind().name()).put("payload", r.getPayload()));
    return Future.succeededFuture(SignalResponse.getDefaultInstance());
  }
}
