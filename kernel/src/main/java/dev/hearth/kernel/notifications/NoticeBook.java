package dev.hearth.kernel.notifications;

import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where notifications stand, in the kernel store (encrypted like everything there; message text
 * only when an org allowed it): how far each module's change log was read, and the notices each
 * sender has still to send. A batch of notices and the position past the events that made them are
 * one write, so a restart neither loses a notice nor makes it twice. Unscoped writes, like webhooks':
 * what this node owes its own users is not for linked nodes.
 *
 * <p>Keys: {@code notifications.positions/<module>} → the last sequence read;
 * {@code notifications.pending/<sender>/<user id>/<module>/<sequence, 19 digits>/<index, 4 digits>}
 * → the notice as JSON, so a user's notices are one prefix in the order they happened.
 */
final class NoticeBook {

  /** Who the service's own writes are recorded as. */
  static final String ACTOR = "hearth:notifications";

  private final Store store;
  private final Collection<String> positions;
  private final Collection<String> pending;
  private final Inbox inbox;

  NoticeBook(Store kernel, Inbox inbox) {
    this.store = kernel;
    this.inbox = inbox;
    this.positions = kernel.collection(CollectionSpec.of("notifications.positions", Codec.utf8()));
    this.pending = kernel.collection(CollectionSpec.of("notifications.pending", Codec.utf8()));
  }

  Optional<Long> position(String module) {
    return positions.get(module).map(Long::parseLong);
  }

  static String key(String sender, Notice n, long sequence, int index) {
    return sender + "/" + n.userId() + "/" + n.module() + "/" + String.format("%019d/%04d", sequence, index);
  }

  /**
   * Records {@code notices} (key → notice) for the senders and {@code listed} for the users' in-app
   * lists ({@link Inbox}), and moves the module's position to {@code sequence}, atomically.
   */
  Future<Void> record(String module, long sequence, Map<String, Notice> notices, Map<String, Notice> listed,
      List<Inbox.ReadUpTo> reads) {
    return store.write(ACTOR, tx -> {
      long was = tx.get(positions, module).map(Long::parseLong).orElse(0L);
      if (sequence > was) tx.put(positions, module, Long.toString(sequence));
      notices.forEach((k, n) -> tx.put(pending, k, n.toJson().encode()));
      if (!listed.isEmpty()) inbox.put(tx, listed);
      for (Inbox.ReadUpTo r : reads) inbox.markRead(tx, r);
      return null;
    }).mapEmpty();
  }

  /** The notices {@code sender} has to send, by user, oldest first (at most {@code limit}). Blocking read. */
  List<Entry<String>> pending(String sender, int limit) {
    return pending.scan(sender + "/", sender + "/\uffff", limit, false);
  }

  /**
   * Whether the user read this pending notice in the in-app list meanwhile (from the bell, or by reading
   * its channel): then it is not worth telling them again. Blocking read.
   */
  boolean readInList(Entry<String> pendingEntry) {
    String[] k = pendingEntry.key().split("/");
    if (k.length < 5) return false;
    try {
      return inbox.isRead(Inbox.key(decode(pendingEntry), Long.parseLong(k[k.length - 2]), Integer.parseInt(k[k.length - 1])));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static Notice decode(Entry<String> e) {
    return Notice.fromJson(new JsonObject(e.value()));
  }

  /** Replaces one pending notice's stored JSON (a push's retry state), if it is still pending. */
  Future<Void> replace(String key, String json) {
    return store.write(ACTOR, tx -> {
      if (tx.get(pending, key).isPresent()) tx.put(pending, key, json);
      return null;
    }).mapEmpty();
  }

  /** Sent (or to be dropped): gone in one write. */
  Future<Void> remove(List<String> keys) {
    return store.write(ACTOR, tx -> {
      keys.forEach(k -> tx.delete(pending, k));
      return null;
    }).mapEmpty();
  }
}
