package dev.hearth.kernel.store;

import dev.hearth.kernel.store.proto.LogBatch;
import dev.hearth.kernel.store.proto.LogEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings MapDB up to the end of the change log when a store opens: replays the tail after MapDB's
 * last checkpoint, or — when MapDB will not open, claims to be ahead of the log, or fails while
 * replaying — moves its files aside and rebuilds the whole state from the log.
 */
final class Recovery {

  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
  private static final int COMMIT_EVERY = 20_000;

  private Recovery() {}

  /** Name of the file the applier leaves when MapDB failed at run time: the next open rebuilds. */
  static final String UNTRUSTED = "state.db.untrusted";

  static StateDb openState(Engine engine, Path dbFile, long[] replayed, String[] reason) throws IOException {
    StateDb state = null;
    Path untrusted = dbFile.resolveSibling(UNTRUSTED);
    try {
      if (Files.exists(untrusted)) {
        throw new IllegalStateException("MapDB failed while the store was running");
      }
      state = StateDb.open(dbFile, engine.options.isMmap());
      if (!state.wasClosedCleanly()) {
        // After a crash MapDB may open and still hold damaged nodes: read everything once.
        state.verifyAll((coll, e) -> engine.open(coll, e.getKey(), e.getValue()));
      }
      if (state.appliedSeq() > engine.log.lastSequence()) {
        throw new IllegalStateException("MapDB checkpoint at sequence " + state.appliedSeq()
            + " is ahead of the change log's end " + engine.log.lastSequence());
      }
      engine.state = state;
      replayed[0] = replay(engine);
      state.markOpen();
      return state;
    } catch (RuntimeException | Error e) {
      reason[0] = e.getClass().getSimpleName() + ": " + e.getMessage();
      LOG.warn("store {}: MapDB state cannot be trusted ({}); rebuilding it from the change log",
          engine.name, reason[0]);
      if (state != null) {
        try {
          state.close();
        } catch (RuntimeException ignored) {
          // It is being discarded anyway.
        }
      }
      Path aside = StateDb.moveAside(dbFile);
      LOG.warn("store {}: damaged MapDB files moved to {}", engine.name, aside);
      state = StateDb.open(dbFile, engine.options.isMmap());
      engine.state = state;
      replayed[0] = replay(engine);
      state.markOpen();
      Files.deleteIfExists(untrusted);
      return state;
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

  private static long replay(Engine engine) {
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
