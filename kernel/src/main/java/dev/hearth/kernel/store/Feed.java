package dev.hearth.kernel.store;

import dev.hearth.module.change.ChangeEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest durable change events, kept in memory so live subscribers need not read the log.
 * A subscriber that falls further behind than this holds reads the log instead.
 */
final class Feed {

  static final int CAPACITY = 8192;

  private final ArrayDeque<ChangeEvent> recent = new ArrayDeque<>();
  private long last;
  private boolean closed;

  synchronized void publish(List<ChangeEvent> events) {
    for (ChangeEvent e : events) {
      recent.addLast(e);
      last = e.sequence();
    }
    while (recent.size() > CAPACITY) {
      recent.removeFirst();
    }
    notifyAll();
  }

  /** Events after {@code after}, up to {@code max}; null when they are no longer in memory. */
  synchronized List<ChangeEvent> since(long after, int max) {
    if (after >= last) {
      return List.of();
    }
    if (recent.isEmpty() || recent.peekFirst().sequence() > after + 1) {
      return null;
    }
    List<ChangeEvent> out = new ArrayList<>();
    for (ChangeEvent e : recent) {
      if (e.sequence() > after) {
        out.add(e);
        if (out.size() >= max) {
          break;
        }
      }
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
