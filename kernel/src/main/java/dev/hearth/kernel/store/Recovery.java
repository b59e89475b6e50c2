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
    AtomicLong progress = new AtomicLong();
    CompletableFuture<StateDb> attempt = new CompletableFuture<>();
    StateDb[] opened = new StateDb[1];
    Thread t = new Thread(() -> {
      try {
        attempt.complete(openTrusted(engine, dbFile, untrusted, replayed, progress, opened));
      } catch (Throwable e) {
        attempt.completeExceptionally(e);
      }
    }, "hearth-recovery-" + engine.name);
    t.setDaemon(true);
    t.start();
    long seen = -1;
    long since = System.nanoTime();
    while (true) {
      try {
        return attempt.get(200, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        long p = progress.get();
        if (p != seen) {
          seen = p;
          since = System.nanoTime();
        } else if (System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(stallMillis)) {
          reason[0] = "MapDB made no progress for " + stallMillis + " ms while opening";
          giveUp(t);
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
    LOG.warn("store {}: MapDB state cannot be trusted ({}); rebuilding it from the change log",
        engine.name, reason[0]);
    try {
      t.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (opened[0] != null && !t.isAlive()) {
      opened[0].abandon();
    }
    Path aside = StateDb.moveAside(dbFile);
    LOG.warn("store {}: damaged MapDB files moved to {}", engine.name, aside);
    StateDb state = StateDb.open(dbFile, engine.options.isMmap());
    engine.state = state;
    replayed[0] = replay(engine, new AtomicLong());
    state.markOpen();
    Files.deleteIfExists(untrusted);
    return state;
  }

  /** Opens MapDB, verifies it after an unclean stop, replays the log tail. Throws if it cannot be trusted. */
  private static StateDb openTrusted(Engine engine, Path dbFile, Path untrusted, long[] replayed,
      AtomicLong progress, StateDb[] opened) {
    if (Files.exists(untrusted)) {
      throw new IllegalStateException("MapDB failed while the store was running");
    }
    StateDb state = StateDb.open(dbFile, engine.options.isMmap());
    opened[0] = state;
    progress.incrementAndGet();
    Runnable hook = afterOpenHook;
    if (hook != null) {
      hook.run();
    }
    if (!state.wasClosedCleanly()) {
      // After a crash MapDB may open and still hold damaged nodes: read everything once.
      state.verifyAll((coll, e) -> {
        engine.open(coll, e.getKey(), e.getValue());
        progress.incrementAndGet();
      });
    }
    if (state.appliedSeq() > engine.log.lastSequence()) {
      throw new IllegalStateException("MapDB checkpoint at sequence " + state.appliedSeq()
          + " is ahead of the change log's end " + engine.log.lastSequence());
    }
    engine.state = state;
    replayed[0] = replay(engine, progress);
    state.markOpen();
    return state;
  }

  /**
   * Stops a recovery thread stuck inside MapDB. Thread.stop is the only way to end a thread looping
   * in library code; it is deprecated because it can leave shared state broken, and here the only
   * state it touches is the MapDB being discarded.
   */
  @SuppressWarnings({"deprecation", "removal"})
  private static void giveUp(Thread t) {
    try {
      t.stop();
    } catch (UnsupportedOperationException e) {
      LOG.error("cannot stop {}; it keeps running on the discarded MapDB until the node restarts", t.getName());
    }
  }

  /** Called when MapDB fails at run time: the log still holds everything; the next open rebuilds. */
  static void markUntrusted(Path dbFile) {
    try {
      Files.writeString(dbFile.resolveSibling(UNTRUSTED), "MapDB failed at run time; rebuild from the change log\n");
    } catch (IOException e) {
      LOG.error("cannot mark {} as untrusted", dbFile, e);
    }
  }

  private static long replay(Engine engine, AtomicLong progress) {
    StateDb state = engine.state;
    long applied = state.appliedSeq();
    long end = engine.log.lastSequence();
    long count = 0;
    while (applied < end) {
      for (LogBatch b : engine.log.read(applied, 10_000)) {
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
