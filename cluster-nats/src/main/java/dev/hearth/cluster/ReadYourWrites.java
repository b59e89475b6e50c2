package dev.hearth.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A front's side of read-your-writes: the answer to a forwarded write goes to the client once this
 * process's own copy of the store has reached the sequence the owner wrote at, so the client's next
 * call on this front sees its write. Bounded: after the wait it answers anyway, and says so.
 */
final class ReadYourWrites {

  private static final Logger log = LoggerFactory.getLogger(ReadYourWrites.class);
  /** How often the copy's sequence is looked at while waiting. */
  static final long CHECK_MILLIS = 2;

  private ReadYourWrites() {}

  /**
   * Completes (never fails) once {@code lastSequence} reaches {@code sequence}, or after {@code wait}.
   *
   * @param store the store's name, for the log line when the wait runs out
   */
  static Future<Void> await(Vertx vertx, String store, LongSupplier lastSequence, long sequence, Duration wait) {
    if (lastSequence.getAsLong() >= sequence) return Future.succeededFuture();
    Promise<Void> done = Promise.promise();
    check(vertx, store, lastSequence, sequence, wait, System.nanoTime() + wait.toNanos(), done);
    return done.future();
  }

  /**
   * One-shot timers, each arming the next: a periodic timer cancelled in its first run, when set from
   * a NATS thread, can fail inside Vert.x before it knows its own id (the answer then never came).
   */
  private static void check(Vertx vertx, String store, LongSupplier lastSequence, long sequence, Duration wait,
      long until, Promise<Void> done) {
    vertx.setTimer(CHECK_MILLIS, timer -> {
      if (lastSequence.getAsLong() >= sequence) {
        done.tryComplete();
      } else if (System.nanoTime() - until > 0) {
        log.warn("store {} here had not reached the owner's sequence {} (at {}) {} ms after a forwarded write;"
            + " answering anyway", store, sequence, lastSequence.getAsLong(), wait.toMillis());
        done.tryComplete();
      } else {
        check(vertx, store, lastSequence, sequence, wait, until, done);
      }
    });
  }
}
