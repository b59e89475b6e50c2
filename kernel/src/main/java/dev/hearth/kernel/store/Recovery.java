package dev.hearth.kernel.store;

import dev.hearth.kernel.store.proto.LogBatch;
import dev.hearth.kernel.store.proto.LogEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings MapDB up to the end of the change log when a store opens: replays the tail after MapDB's
 * last checkpoint, or — when MapDB will not open, fails verification after a crash, claims to be
 * ahead of the log, fails or stalls while replaying — moves its files aside and rebuilds the whole
 * state from the log.
 */
final class Recovery {

  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
  private static final int COMMIT_EVERY = 20_000;

  private Recovery() {}

  /** Name of the file the applier leaves when MapDB failed at run time: the next open rebuilds. */
  static final String UNTRUSTED = "state.db.untrusted";

  /**
   * A MapDB that makes no progress for this long while opening, verifying or replaying is taken as
   * damaged. Why: on a crash-damaged file a BTree lookup in MapDB 3.1.0 can loop forever (crash
   * harness, seed 2026); the log makes giving up on it safe.
   */
  static volatile long stallMillis = 30_000;

  /** Test hook: runs inside the trusted-open attempt, after MapDB opened. Null in production. */
  static volatile Runnable afterOpenHook;

  static StateDb openState(Engine engine, Path dbFile, long[] replayed, String[] reason) throws IOException {
    Path untrusted = dbFile.resolveSibling(UNTRUSTED);
    Attempt attempt = new Attempt();
    Thread t = new Thread(() -> {
      try {
        attempt.result.complete(openTrusted(engine, dbFile, untrusted, attempt));
      } catch (Throwable e) {
        attempt.result.completeExceptionally(e);
      }
    }, "hearth-recovery-" + engine.name);
    t.setDaemon(true);
    t.start();
    long seen = -1;
    long since = System.nanoTime();
    while (true) {
      try {
        StateDb state = attempt.result.get(200, TimeUnit.MILLISECONDS);
        // Only an accepted attempt reaches the engine: an abandoned one never does.
        engine.state = state;
        replayed[0] = attempt.replayed;
        return state;
      } catch (TimeoutException e) {
        long p = attempt.progress.get();
        if (p != seen) {
          seen = p;
          since = System.nanoTime();
        } else if (System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(stallMillis)) {
          reason[0] = "MapDB made no progress for " + stallMillis + " ms while opening";
          abandon(t, attempt);
          break;
        }
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        reason[0] = c.getClass().getSimpleName() + ": " + c.getMessage();
        break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while opening store " + engine.name, e);
      }
    }
    if (attempt.outdated) {
      LOG.info("store {}: {}; rebuilding it from the change log", engine.name, reason[0]);
    } else {
      LOG.warn("store {}: MapDB state cannot be trusted ({}); rebuilding it from the change log",
          engine.name, reason[0]);
    }
    try {
      t.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (attempt.opened != null && !t.isAlive()) {
      attempt.opened.abandon();
    }
    if (attempt.outdated) {
      // Not damaged, only written by an older build: nothing in it is worth keeping for inspection.
      StateDb.delete(dbFile);
    } else {
      Path aside = StateDb.moveAside(dbFile);
      LOG.warn("store {}: damaged MapDB files moved to {}", engine.name, aside);
    }
    StateDb state = StateDb.open(dbFile, engine.options.mmap());
    engine.state = state;
    replayed[0] = replay(engine, state, new AtomicLong(), () -> false);
    state.markOpen();
    Files.deleteIfExists(untrusted);
    return state;
  }

  /** One trusted-open attempt: what its thread reports, and whether the watchdog gave up on it. */
  private static final class Attempt {
    final CompletableFuture<StateDb> result = new CompletableFuture<>();
    final AtomicLong progress = new AtomicLong();
    volatile boolean abandoned;
    /** The file is whole but in an older format: it is rebuilt, and deleted rather than kept aside. */
    volatile boolean outdated;
    volatile StateDb opened;
    volatile long replayed;
  }

  /**
   * Opens MapDB, verifies it after an unclean stop, replays the log tail into it. Throws if it cannot
   * be trusted or the watchdog abandoned it; never touches the engine's state (the caller installs
   * the result), so an abandoned attempt that comes back later changes nothing.
   */
  private static StateDb openTrusted(Engine engine, Path dbFile, Path untrusted, Attempt attempt) {
    if (Files.exists(untrusted)) {
      throw new IllegalStateException("MapDB failed while the store was running");
    }
    String interrupted = StateDb.interruptedCheckpoint(dbFile);
    if (interrupted != null) {
      throw new IllegalStateException(interrupted);
    }
    StateDb state = StateDb.open(dbFile, engine.options.mmap());
    attempt.opened = state;
    attempt.progress.incrementAndGet();
    if (state.format() != StateDb.FORMAT) {
      // Before any data map is opened: its keys would be read with the wrong serializer.
      attempt.outdated = true;
      throw new IllegalStateException(dbFile.getFileName() + " is in state format " + state.format()
          + ", this build writes format " + StateDb.FORMAT);
    }
    Runnable hook = afterOpenHook;
    if (hook != null) {
      hook.run();
    }
    if (!state.wasClosedCleanly()) {
      // After a crash MapDB may open and still hold damaged nodes: read everything once.
      state.verifyAll((coll, e) -> {
        engine.open(coll, e.getKey(), e.getValue());
        attempt.progress.incrementAndGet();
      });
    }
    if (state.appliedSeq() > engine.log.lastSequence()) {
      throw new IllegalStateException("MapDB checkpoint at sequence " + state.appliedSeq()
          + " is ahead of the change log's end " + engine.log.lastSequence());
    }
    attempt.replayed = replay(engine, state, attempt.progress, () -> attempt.abandoned);
    if (attempt.abandoned) {
      throw new IllegalStateException("abandoned by the recovery watchdog");
    }
    state.markOpen();
    return state;
  }

  /**
   * Gives up on a recovery thread stuck inside MapDB. Java cannot end a thread looping in library
   * code (Thread.stop is gone after Java 19), so the thread is abandoned: interrupted in case it
   * waits on I/O, flagged so that if it ever comes back it stops before writing anything, and left
   * on the MapDB files that are moved aside. The store is rebuilt from the log meanwhile.
   */
  private static void abandon(Thread t, Attempt attempt) {
    attempt.abandoned = true;
    t.interrupt();
    LOG.warn("abandoning {}, stuck in MapDB; it ends if MapDB ever returns", t.getName());
  }

  /** Called when MapDB fails at run time: the log still holds everything; the next open rebuilds. */
  static void markUntrusted(Path dbFile) {
    try {
      Files.writeString(dbFile.resolveSibling(UNTRUSTED), "MapDB failed at run time; rebuild from the change log\n");
    } catch (IOException e) {
      LOG.error("cannot mark {} as untrusted", dbFile, e);
    }
  }

  /** Applies the log after {@code state}'s checkpoint; stops early (without a commit) once {@code abandoned}. */
  private static long replay(Engine engine, StateDb state, AtomicLong progress, BooleanSupplier abandoned) {
    long applied = state.appliedSeq();
    long end = engine.log.lastSequence();
    long count = 0;
    while (applied < end) {
      for (LogBatch b : engine.log.read(applied, 10_000)) {
        if (abandoned.getAsBoolean()) {
          return count;
        }
        long seq = b.getFirstSeq();
        for (LogEvent e : b.getEventsList()) {
          if (seq > applied) {
            Applying.apply(state, e.getCollection(), e.getKey(), engine.pendingOf(e, seq));
            progress.incrementAndGet();
            applied = seq;
            if (++count % COMMIT_EVERY == 0) {
              state.putMeta(StateDb.APPLIED_SEQ, applied);
              state.commit();
            }
          }
          seq++;
        }
      }
    }
    state.putMeta(StateDb.APPLIED_SEQ, applied);
    state.commit();
    if (count > 0) {
      LOG.info("store {}: replayed {} change-log events up to sequence {}", engine.name, count, applied);
    }
    return count;
  }
}
