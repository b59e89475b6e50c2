package dev.hearth.kernel.store;

import dev.hearth.module.change.ChangeEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest durable change events, kept in memory so live subscribers need not read the log.
 * A subscriber that falls further behind than this holds reads the log instead.
 */
final class Feed {

  static final int CAPACITY = 8192;

  /**
   * A ring indexed by sequence (slot {@code seq % CAPACITY}): sequences are gapless, so the events
   * after a position are found directly, not by walking everything held (every subscriber polls).
   */
  private final ChangeEvent[] ring = new ChangeEvent[CAPACITY];
  private long first = 1;
  private long last;
  private boolean closed;

  /**
   * The store opened with {@code seq} events in its log, none of them held here: a subscriber from
   * before {@code seq} reads them from the log at once (null from {@link #since}), not only after the
   * next write.
   */
  synchronized void openedAt(long seq) {
    first = seq + 1;
    last = seq;
  }

  synchronized void publish(List<ChangeEvent> events) {
    for (ChangeEvent e : events) {
      if (e.sequence() != last + 1) {
        // Not the next one (the feed started mid-log): start the window afresh at this event.
        first = e.sequence();
      }
      ring[(int) (e.sequence() % CAPACITY)] = e;
      last = e.sequence();
    }
    first = Math.max(first, last - CAPACITY + 1);
    notifyAll();
  }

  /** Events after {@code after}, up to {@code max}; null when they are no longer in memory. */
  synchronized List<ChangeEvent> since(long after, int max) {
    if (after >= last) {
      return List.of();
    }
    if (last == 0 || first > after + 1) {
      return null;
    }
    long to = Math.min(last, after + max);
    List<ChangeEvent> out = new ArrayList<>((int) (to - after));
    for (long seq = after + 1; seq <= to; seq++) {
      out.add(ring[(int) (seq % CAPACITY)]);
    }
    return out;
  }

  /** Waits until an event after {@code after} is published, the feed closes, or the time passes. */
  synchronized void await(long after, long millis) throws InterruptedException {
    if (last <= after && !closed) {
      wait(millis);
    }
  }

  synchronized void wake() {
    notifyAll();
  }

  synchronized void close() {
    closed = true;
    notifyAll();
  }
}
