package dev.hearth.kernel.realtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** Paces a replay by what its client has taken from the socket. */
final class Backpressure {

  /** How long a replay waits for a client that reads nothing before cutting it off. */
  private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private Backpressure() {}

  /**
   * Waits while more than {@code max} bytes are unsent. Polls: the wait is on a worker, and a
   * millisecond is short next to the time a client takes to read {@code max} bytes.
   */
  static boolean awaitRoom(AtomicLong pending, long max, AtomicBoolean gone, Runnable cutoff) {
    long deadline = System.nanoTime() + MAX_WAIT_NANOS;
    while (pending.get() > max) {
      if (gone.get()) return false;
      if (System.nanoTime() > deadline) {
        cutoff.run();
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return !gone.get();
  }
}
