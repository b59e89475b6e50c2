package dev.hearth.kernel.notifications;

import dev.hearth.kernel.realtime.RealtimeHub.ModuleFeed;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.realtime.TopicEvent;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one module's change log from the stored position, a batch at a time, routes each event as
 * the module does for realtime, and turns the {@code mention} and {@code direct} events on user topics
 * into notices for the users the {@link Decider} says to tell. A batch's notices and the position
 * after it are one write ({@link NoticeBook#record}); a batch with no such events moves the stored
 * position only every {@link #SKIPPED_PER_SAVE} events, since reading those again after a restart
 * makes nothing. Runs on the service's context, one batch after the other.
 */
final class Follower {

  private static final Logger log = LoggerFactory.getLogger(Follower.class);
  private static final int BATCH = 256;
  private static final int SKIPPED_PER_SAVE = 256;
  /** A module's event saying a user's read marker in a channel moved (chat's {@code read.updated}). */
  static final String READ_UPDATED = "read.updated";

  private final Notifications service;
  private final Context context;
  private final ModuleFeed feed;
  private long position;
  private long persisted;
  private boolean busy;
  private boolean dirty = true;
  private boolean closed;

  Follower(Notifications service, Context context, ModuleFeed feed, long position) {
    this.service = service;
    this.context = context;
    this.feed = feed;
    this.position = position;
    this.persisted = position;
  }

  String module() {
    return feed.moduleId();
  }

  /** New events: read them if idle. On the context. */
  void wake() {
    dirty = true;
    if (!busy && !closed) next();
  }

  void close() {
    closed = true;
  }

  /** The position to save when the node stops, if it moved since it was saved. */
  long unsaved() {
    return position > persisted ? position : -1;
  }

  private void next() {
    if (closed || !dirty) {
      busy = false;
      return;
    }
    busy = true;
    dirty = false;
    long after = position;
    service.workers().<Batch>executeBlocking(() -> read(after), false).onComplete(ar -> {
      if (closed) return;
      if (ar.failed()) {
        log.error("notifications: cannot read {}'s change log after {}", module(), after, ar.cause());
        retryLater();
        return;
      }
      Batch b = ar.result();
      if (b.full()) dirty = true;
      if (b.last() <= after) {
        next();
        return;
      }
      if (b.notices().isEmpty() && b.listed().isEmpty() && b.reads().isEmpty() && !b.routedNotices()
          && b.last() - persisted < SKIPPED_PER_SAVE) {
        position = b.last();
        context.runOnContext(v -> next());
        return;
      }
      service.book().record(module(), b.last(), b.notices(), b.listed(), b.reads()).onComplete(w -> {
        if (w.failed()) {
          log.error("notifications: cannot record {}'s notices up to {}", module(), b.last(), w.cause());
          dirty = true;
          retryLater();
          return;
        }
        position = b.last();
        persisted = Math.max(persisted, b.last());
        if (!b.notices().isEmpty() || !b.listed().isEmpty()) service.recorded(b.notices().size());
        next();
      });
    });
  }

  private record Batch(long last, boolean full, boolean routedNotices, Map<String, Notice> notices,
      Map<String, Notice> listed, List<Inbox.ReadUpTo> reads) {}

  /** Reads and decides one batch. On a worker: reading the log and the users' settings blocks. */
  private Batch read(long after) {
    List<ChangeEvent> events = feed.store().readLog(after, BATCH);
    long last = after;
    boolean routed = false;
    Map<String, Notice> notices = new LinkedHashMap<>();
    Map<String, Notice> listed = new LinkedHashMap<>();
    List<Inbox.ReadUpTo> reads = new ArrayList<>();
    for (ChangeEvent e : events) {
      last = e.sequence();
      List<TopicEvent> topics;
      try {
        topics = feed.topics().route(e);
      } catch (RuntimeException err) {
        log.error("module {} failed to route {} for notifications: {}", module(), e, err.toString());
        continue;
      }
      if (topics == null) continue;
      for (int i = 0; i < topics.size(); i++) {
        Inbox.ReadUpTo read = service.listing() ? readUpTo(topics.get(i)) : null;
        // Kept when it makes a notice read: one listed in this batch (read in the same write, after it) or stored.
        if (read != null && (listed.values().stream().anyMatch(n -> Inbox.covers(read, n.toJson()))
            || service.inbox().anyUnder(read))) {
          reads.add(read);
        }
        Notice n = notice(topics.get(i), e);
        if (n == null) continue;
        routed = true;
        Decider.Verdict v = service.decider().decide(n.userId(), n.authorId(), module(), Instant.ofEpochMilli(n.atMillis()));
        Notice kept = service.textAllowed(n.projectId()) ? n : n.withoutText();
        // The in-app list has what the user was connected for or got in quiet hours too: it interrupts nobody.
        if (service.listing() && v != Decider.Verdict.OWN && v != Decider.Verdict.LEVEL_NONE) {
          listed.put(Inbox.key(kept, e.sequence(), i), kept);
        }
        if (v != Decider.Verdict.NOTIFY) {
          log.debug("notifications: {} {} of {} not sent to {}: {}", module(), n.kind(), n.messageId(), n.userId(), v);
          continue;
        }
        for (String sender : service.senders()) notices.put(NoticeBook.key(sender, kept, e.sequence(), i), kept);
      }
    }
    return new Batch(last, events.size() == BATCH, routed, notices, listed, reads);
  }

  /** A {@code mention} or {@code direct} event on {@code <module>/user/<id>}, as a notice; else null. */
  private Notice notice(TopicEvent t, ChangeEvent e) {
    if (!(Notice.MENTION.equals(t.type()) || Notice.DIRECT.equals(t.type()))) return null;
    String prefix = module() + "/user/";
    if (!t.topic().startsWith(prefix) || t.topic().length() == prefix.length()) return null;
    JsonObject d = t.data() == null ? new JsonObject() : t.data();
    long atMicros = d.getLong("atMicros", 0L);
    return new Notice(t.topic().substring(prefix.length()), module(), t.type(), d.getString("projectId", ""),
        d.getString("channelId", ""), d.getString("channelName", ""), d.getString("authorId", ""),
        d.getString("messageId", ""), (atMicros > 0 ? atMicros : e.timeMicros()) / 1000, service.clock().millis(),
        d.getString("text", ""));
  }

  /**
   * A {@code read.updated} event on {@code <module>/user/<id>} (the user's read marker in a channel moved to
   * {@code messageId}): their listed notices of that channel up to it are read too (docs/notifications.md).
   */
  private Inbox.ReadUpTo readUpTo(TopicEvent t) {
    if (!READ_UPDATED.equals(t.type()) || t.data() == null) return null;
    String prefix = module() + "/user/";
    if (!t.topic().startsWith(prefix) || t.topic().length() == prefix.length()) return null;
    String channel = t.data().getString("channelId", "");
    String message = t.data().getString("messageId", "");
    if (channel.isEmpty() || message.isEmpty()) return null;
    return new Inbox.ReadUpTo(t.topic().substring(prefix.length()), module(), channel, message);
  }

  private void retryLater() {
    busy = true;
    context.owner().setTimer(1_000, id -> {
      busy = false;
      dirty = true;
      if (!closed) next();
    });
  }
}
