package dev.hearth.kernel.realtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Paces a replay by what its client has taken from the socket. */
final class Backpressure {

  /** How long a replay waits for a client that reads nothing before cutting it off. */
  private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private Backpressure() {}

  /**
   * Waits while more than half of {@code max} bytes are unsent. Polls: the wait is on a worker, and a
   * millisecond is short next to the time a client takes to read {@code max} bytes.
   */
  static boolean awaitRoom(AtomicLong pending, long max, AtomicBoolean gone, BooleanSupplier cancelled,
      Runnable cutoff) {
    long deadline = System.nanoTime() + MAX_WAIT_NANOS;
    // Down to half the cap, not the cap: live frames of other topics (and typing) need the headroom,
    // or the first one would find the cap reached and cut the client off.
    while (pending.get() > max / 2) {
      if (gone.get() || cancelled.getAsBoolean()) return false;
      if (System.nanoTime() > deadline) {
        cutoff.run();
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return !gone.get();
  }
}
