package dev.hearth.video;

import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Store;
import dev.hearth.module.store.Tx;
import dev.hearth.video.v1.Participant;
import dev.hearth.video.v1.Room;
import java.util.List;

/**
 * The video module's collections. Keys hold ids only; names and media state are in the encrypted
 * values.
 *
 * <pre>
 * rooms          &lt;roomId&gt;                Room
 * project_rooms  &lt;projectId&gt;/&lt;roomId&gt;    room id       lists a project's rooms
 * participants   &lt;roomId&gt;/&lt;userId&gt;      Participant   who is in a room now, and their media state
 * user_rooms     &lt;userId&gt;/&lt;roomId&gt;      room id       the rooms a user is in (for leaving on disconnect)
 * removed        &lt;roomId&gt;/&lt;userId&gt;      moderator id  removed by a moderator: may not join again
 * room_keys      &lt;projectId&gt;/&lt;key&gt;      room id       the open room of a key (CreateRoom with a key)
 * </pre>
 * Participants are records, not memory, so the participant list and media state are live topics
 * from the change log like everything else, and a second node of a shared project could replicate them.
 */
final class VideoStore {

  static final String ROOMS = "rooms";
  static final String PARTICIPANTS = "participants";

  final Store store;
  final Collection<Room> rooms;
  final Collection<String> projectRooms;
  final Collection<Participant> participants;
  final Collection<String> userRooms;
  final Collection<String> removed;
  final Collection<String> roomKeys;

  VideoStore(Store store) {
    this.store = store;
    rooms = store.collection(CollectionSpec.of(ROOMS, Codec.of(Room.parser())));
    projectRooms = store.collection(CollectionSpec.of("project_rooms", Codec.utf8()));
    participants = store.collection(CollectionSpec.of(PARTICIPANTS, Codec.of(Participant.parser())));
    userRooms = store.collection(CollectionSpec.of("user_rooms", Codec.utf8()));
    removed = store.collection(CollectionSpec.of("removed", Codec.utf8()));
    roomKeys = store.collection(CollectionSpec.of("room_keys", Codec.utf8()));
  }

  static String pair(String a, String b) {
    return a + "/" + b;
  }

  static String prefix(String id) {
    return id + "/";
  }

  /** A room's participants inside a write, oldest key first (at most {@code limit}). */
  List<Entry<Participant>> participants(Tx tx, String roomId, int limit) {
    String p = prefix(roomId);
    return tx.scan(participants, p, p + Character.MAX_VALUE, limit, false);
  }

  /** Removes a participant and their user_rooms marker, in the caller's write. */
  void deleteParticipant(Tx tx, String roomId, String userId) {
    tx.delete(participants, pair(roomId, userId));
    tx.delete(userRooms, pair(userId, roomId));
  }

  static long nowMicros() {
    return System.currentTimeMillis() * 1000;
  }
}
