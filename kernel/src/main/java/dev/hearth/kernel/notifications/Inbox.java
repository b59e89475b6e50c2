package dev.hearth.kernel.notifications;

import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Store;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The in-app notification list: each user's mentions and direct messages, kept in the kernel store
 * whether or not anything was sent for them (a user who was connected, or in quiet hours, still finds
 * them here), newest first, read or not. Written in the same transaction as the notices for the
 * senders and the change-log position ({@link NoticeBook#record}), so it too loses none and repeats
 * none across restarts; its change events are the realtime topic {@code notifications/user/<id>}
 * ({@link NoticeTopics}).
 *
 * <p>Keys: {@code notifications.inbox/<user id>/<notice id>}, the id being
 * {@code <posted at, ms, 13 digits>-<sequence, 19 digits>-<index, 4 digits>-<module>}, so a user's
 * notices sort by when they happened. The newest {@link #KEEP} are kept per user.
 */
final class Inbox {

  static final String COLLECTION = "notifications.inbox";
  static final int KEEP = 200;

  private final Store store;
  private final Collection<String> inbox;

  Inbox(Store kernel) {
    this.store = kernel;
    this.inbox = kernel.collection(CollectionSpec.of(COLLECTION, Codec.utf8()));
  }

  Collection<String> collection() {
    return inbox;
  }

  static String key(Notice n, long sequence, int index) {
    return n.userId() + "/" + String.format("%013d-%019d-%04d-%s", n.atMillis(), sequence, index, n.module());
  }

  /** In {@link NoticeBook#record}'s transaction: the new entries, and each of their users trimmed to {@link #KEEP}. */
  void put(Tx tx, Map<String, Notice> entries) {
    entries.forEach((k, n) -> tx.put(inbox, k, n.toJson().put("read", false).encode()));
    entries.values().stream().map(Notice::userId).distinct().forEach(user -> {
      List<Entry<String>> kept = tx.scan(inbox, user + "/", user + "/\uffff", KEEP + 1_000, true);
      for (int i = KEEP; i < kept.size(); i++) tx.delete(inbox, kept.get(i).key());
    });
  }

  /** A user's read marker in a module's channel, up to and with {@code messageId} (ids sort by time, UUIDv7). */
  record ReadUpTo(String userId, String module, String channelId, String messageId) {}

  /**
   * In {@link NoticeBook#record}'s transaction: the user's unread notices of that module's channel whose
   * message is at or before the marker become read, as if taken from the list (reading the channel in any
   * client clears its mentions here too).
   */
  void markRead(Tx tx, ReadUpTo r) {
    for (Entry<String> e : tx.scan(inbox, r.userId() + "/", r.userId() + "/\uffff", KEEP + 1_000, true)) {
      JsonObject j = new JsonObject(e.value());
      if (covers(r, j)) tx.put(inbox, e.key(), j.put("read", true).encode());
    }
  }

  /** Whether the marker makes any of the user's notices read (a blocking read): most markers move with none. */
  boolean anyUnder(ReadUpTo r) {
    for (Entry<String> e : inbox.scanPrefix(r.userId() + "/", KEEP + 1_000, true)) {
      if (covers(r, new JsonObject(e.value()))) return true;
    }
    return false;
  }

  static boolean covers(ReadUpTo r, JsonObject notice) {
    if (notice.getBoolean("read", false) || !r.module().equals(notice.getString("module"))
        || !r.channelId().equals(notice.getString("channelId"))) return false;
    String message = notice.getString("messageId", "");
    return !message.isEmpty() && message.compareTo(r.messageId()) <= 0;
  }

  /** Whether the listed notice under {@code key} is read (absent: no, it may have been trimmed or never listed). */
  boolean isRead(String key) {
    return inbox.get(key).map(v -> new JsonObject(v).getBoolean("read", false)).orElse(false);
  }

  /** A page of the user's notices, newest first, before {@code beforeId} (or the newest). */
  List<Entry<String>> page(String userId, String beforeId, int size) {
    String to = beforeId.isEmpty() ? userId + "/\uffff" : userId + "/" + beforeId;
    return inbox.scan(userId + "/", to, size, true);
  }

  int unread(String userId) {
    int n = 0;
    for (Entry<String> e : inbox.scanPrefix(userId + "/", KEEP + 1_000, true)) {
      if (!new JsonObject(e.value()).getBoolean("read", false)) n++;
    }
    return n;
  }

  /** Marks {@code ids} (or all) of the user's notices read; an id that is not theirs is NOT_FOUND, and nothing changes. */
  Future<Void> markRead(String userId, List<String> ids, boolean all) {
    return store.write(NoticeBook.ACTOR, tx -> {
      List<Entry<String>> targets = all ? tx.scan(inbox, userId + "/", userId + "/\uffff", KEEP + 1_000, true)
          : ids.stream().map(id -> {
            if (id.contains("/")) throw ModuleException.notFound("no notice " + id);
            String k = userId + "/" + id;
            return tx.get(inbox, k).map(v -> new Entry<>(k, v))
                .orElseThrow(() -> ModuleException.notFound("no notice " + id));
          }).toList();
      for (Entry<String> e : targets) {
        JsonObject j = new JsonObject(e.value());
        if (!j.getBoolean("read", false)) tx.put(inbox, e.key(), j.put("read", true).encode());
      }
      return null;
    }).mapEmpty();
  }
}
