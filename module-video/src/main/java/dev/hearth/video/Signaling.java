package dev.hearth.video;

import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.realtime.Realtime;
import dev.hearth.video.v1.Room;
import dev.hearth.video.v1.RoomMode;
import dev.hearth.video.v1.RoomStatus;
import dev.hearth.video.v1.SignalKind;
import dev.hearth.video.v1.SignalRequest;
import dev.hearth.video.v1.SignalResponse;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ConcurrentHashMap;

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
  static final long WINDOW_MILLIS = 10_000;

  private final VideoStore db;
  private final Rooms rooms;
  private final Realtime realtime;
  private final int maxPerWindow;
  /** Per sender: the window's start and the signals sent in it. Entries are few (users in calls now). */
  private final ConcurrentHashMap<String, long[]> sent = new ConcurrentHashMap<>();

  /** @param maxPerWindow signals one user may send per 10 s ({@link VideoConfig#maxSignalsPer10s}) */
  Signaling(VideoStore db, Rooms rooms, Realtime realtime, int maxPerWindow) {
    this.maxPerWindow = maxPerWindow;
    this.db = db;
    this.rooms = rooms;
    this.realtime = realtime;
  }

  Future<SignalResponse> signal(Call call, SignalRequest r) {
    String from = call.userId();
    String roomId = Fields.id("room_id", r.getRoomId());
    String to = Fields.id("to_user_id", r.getToUserId());
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
    if (rooms.mode() != RoomMode.MESH) {
      throw ModuleException.failedPrecondition("room " + roomId + " is in SFU mode: media goes through the SFU, not signals");
    }
    if (db.participants.get(VideoStore.pair(roomId, from)).isEmpty()) throw Participants.notIn(roomId, from, from);
    if (db.participants.get(VideoStore.pair(roomId, to)).isEmpty()) throw Participants.notIn(roomId, to, from);
    count(from);
    realtime.publish(VideoTopics.signalTopic(roomId, to), "signal", new JsonObject().put("roomId", roomId)
        .put("from", from).put("kind", r.getKind().name()).put("payload", r.getPayload()));
    return Future.succeededFuture(SignalResponse.getDefaultInstance());
  }

  private void count(String user) {
    long now = System.currentTimeMillis();
    long[] w = sent.compute(user, (k, v) -> v == null || now - v[0] >= WINDOW_MILLIS ? new long[] {now, 1} : new long[] {v[0], v[1] + 1});
    if (w[1] > maxPerWindow) {
      throw new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED,
          "more than " + maxPerWindow + " signals in " + WINDOW_MILLIS / 1000 + " s; wait and send again")
          .detail("retryAfterSeconds", Long.toString(Math.max(1, (w[0] + WINDOW_MILLIS - now + 999) / 1000)));
    }
    if (sent.size() > 10_000) sent.entrySet().removeIf(e -> now - e.getValue()[0] >= WINDOW_MILLIS);
  }
}
