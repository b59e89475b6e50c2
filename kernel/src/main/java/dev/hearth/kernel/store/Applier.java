package dev.hearth.kernel.store;

import dev.hearth.module.change.ChangeEvent;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that changes MapDB. It applies durable batches in order, folds them into views,
 * releases them from the overlay, copies what it applied into MapDB's file a few milliseconds'
 * worth at a time ({@link StateDb#copy}, which holds readers of MapDB while it runs), and takes a
 * checkpoint (a last copy and a sync; the applied sequence and the views' positions are in every
 * copy) every interval or every so many dirty records. Between batches it runs small tasks: view
 * catch-up, re-encryption chunks.
 */
final class Applier implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);

  record Change(String collection, String key, Pending pending) {}

  record Batch(List<Change> changes, List<ChangeEvent> events) {}

  /** Wakes the thread so it sees {@code closing} at once. */
  private static final Runnable WAKE = () -> {};

  private final Engine engine;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  final List<ViewRunner> views = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private final Object room = new Object();
  private volatile boolean closing;
  private volatile boolean failed;
  // Written by the writer thread only; read for stats.
  private volatile long backpressureWaits;
  private volatile long backpressureNanos;
  private volatile long maxBackpressureNanos;
  private volatile int maxOverlay;
  private volatile long appliedSeq;
  /** Changes applied since the last checkpoint. */
  private int dirty;
  /** Changes applied since the last copy into MapDB's file. */
  private int uncopied;
  private long lastCheckpoint = System.nanoTime();
  private long checkpoints;
  private long maxCheckpointNanos;
  private volatile long copies;
  private volatile long maxCopyNanos;
  /** What a copy measured per change, smoothed: how many changes fit in {@link #COPY_BUDGET_NANOS}. */
  private double copyNanosPerChange = INITIAL_COPY_NANOS_PER_CHANGE;
  Reencryptor reencryptor;

  Applier(Engine engine) {
    this.engine = engine;
    this.appliedSeq = engine.state.appliedSeq();
    this.thread = new Thread(this, "hearth-applier-" + engine.name);
  }

  void start() {
    thread.start();
  }

  void enqueue(Batch b) {
    queue.add(b);
  }

  /** Runs {@code task} on the applier thread, in order with the batches before it. */
  void submit(Runnable task) {
    queue.add(task);
  }

  long appliedSeq() {
    return appliedSeq;
  }

  /** Holds the writer back while too many durable changes wait to be applied. */
  void awaitRoom(int max) throws InterruptedException {
    int size = engine.overlay.size();
    maxOverlay = Math.max(maxOverlay, size);
    if (size <= max) {
      return;
    }
    long t0 = System.nanoTime();
    synchronized (room) {
      while (engine.overlay.size() > max && !closing) {
        room.wait(100);
      }
    }
    long waited = System.nanoTime() - t0;
    backpressureWaits++;
    backpressureNanos += waited;
    maxBackpressureNanos = Math.max(maxBackpressureNanos, waited);
  }

  /** Writer-side figures: how often and how long the writer waited for the applier. */
  JsonObject backpressure() {
    return new JsonObject().put("waits", backpressureWaits)
        .put("totalMillis", backpressureNanos / 1_000_000).put("maxMillis", maxBackpressureNanos / 1_000_000)
        .put("maxUnapplied", maxOverlay);
  }

  @Override
  public void run() {
    long interval = TimeUnit.MILLISECONDS.toNanos(engine.options.checkpointIntervalMs());
    while (true) {
      try {
        // Nothing dirty: nothing to checkpoint, so sleep a whole interval (never spin).
        long wait = dirty == 0 ? interval : Math.max(1, interval - (System.nanoTime() - lastCheckpoint));
        Object item = (reencryptor != null && reencryptor.active())
            ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
        if (item instanceof Batch b) {
          apply(b);
        } else if (item instanceof Runnable r) {
          r.run();
        }
        if (closing && queue.isEmpty()) {
          break;
        }
        if (reencryptor != null && reencryptor.active() && queue.isEmpty()) {
          engine.mapLock.writeLock().lock();
          try {
            int n = reencryptor.chunk();
            dirty += n;
            uncopied += n;
          } finally {
            engine.mapLock.writeLock().unlock();
          }
        }
        if (dirty >= engine.options.checkpointMaxDirty()
            || (dirty > 0 && System.nanoTime() - lastCheckpoint >= interval)) {
          checkpoint();
        } else if (uncopied >= copyChunk()) {
          copy();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        // MapDB failing here leaves it behind the log; the log is durable, so a restart replays it.
        LOG.error("store {}: applying to MapDB failed; the next start rebuilds it from the change log", engine.name, e);
        Recovery.markUntrusted(engine.state.file());
        failed = true;
        closing = true;
        break;
      }
    }
  }

  /** Changes put into MapDB per hold of the map lock: short holds keep scans waiting ~1 ms at most. */
  static final int LOCK_CHUNK = 64;

  /**
   * How long one copy into MapDB's file should hold MapDB's locks, and so readers that reach MapDB:
   * the applier copies once the changes applied since the last copy would take about this long
   * (docs/store.md, "Checkpoints").
   */
  static final long COPY_BUDGET_NANOS = 4_000_000;
  /** Fewer changes per copy than this and its fixed cost dominates. */
  static final int MIN_COPY_CHUNK = 128;
  /** The first guess of a copy's cost per change: ~75 ms for a 20,000-change checkpoint of 1 KiB values. */
  static final double INITIAL_COPY_NANOS_PER_CHANGE = 4_000;

  /** Changes that make a copy of about {@link #COPY_BUDGET_NANOS}, as the last copies measured. */
  int copyChunk() {
    long n = (long) (COPY_BUDGET_NANOS / copyNanosPerChange);
    return (int) Math.max(MIN_COPY_CHUNK, Math.min(n, engine.options.checkpointMaxDirty()));
  }

  /** Copies what was applied into MapDB's file without a sync, so that no single copy holds readers long. */
  private void copy() {
    long took = engine.state.copy();
    copied(took);
  }

  private void copied(long took) {
    copies++;
    maxCopyNanos = Math.max(maxCopyNanos, took);
    if (uncopied >= MIN_COPY_CHUNK) {
      copyNanosPerChange = 0.7 * copyNanosPerChange + 0.3 * ((double) took / uncopied);
    }
    uncopied = 0;
  }

  private void apply(Batch b) {
    StateDb state = engine.state;
    List<Change> changes = b.changes();
    for (int i = 0; i < changes.size(); i += LOCK_CHUNK) {
      int end = Math.min(changes.size(), i + LOCK_CHUNK);
      engine.mapLock.writeLock().lock();
      try {
        for (Change c : changes.subList(i, end)) {
          Applying.apply(state, c.collection(), c.key(), c.pending());
        }
      } finally {
        engine.mapLock.writeLock().unlock();
      }
      uncopied += end - i;
      // A large batch (up to 4 MiB) is copied in parts too. A copy here holds part of the batch
      // under the previous batch's applied sequence and view positions: after a stop the log is
      // replayed from there, and putting a change again leaves the same state (Recovery).
      if (end < changes.size() && uncopied >= copyChunk()) {
        copy();
      }
    }
    if (!views.isEmpty()) {
      engine.mapLock.writeLock().lock();
      try {
        for (ViewRunner v : views) {
          v.applyAll(b.events());
          v.saveProgress();
        }
      } finally {
        engine.mapLock.writeLock().unlock();
      }
    }
    long last = b.events().get(b.events().size() - 1).sequence();
    state.putMeta(StateDb.APPLIED_SEQ, last);
    appliedSeq = last;
    for (Change c : b.changes()) {
      engine.overlay.release(c.collection(), c.key(), c.pending());
    }
    dirty += b.changes().size();
    synchronized (room) {
      room.notifyAll();
    }
    for (ViewRunner v : views) {
      v.signal();
    }
  }

  void checkpoint() {
    long t0 = System.nanoTime();
    copied(engine.state.commit());
    long took = System.nanoTime() - t0;
    maxCheckpointNanos = Math.max(maxCheckpointNanos, took);
    checkpoints++;
    dirty = 0;
    lastCheckpoint = System.nanoTime();
    LOG.debug("store {}: checkpoint at sequence {} took {} ms", engine.name, appliedSeq, took / 1_000_000);
  }

  /** Whether MapDB failed while applying: it is then untrusted until rebuilt. */
  boolean failed() {
    return failed;
  }

  long checkpoints() {
    return checkpoints;
  }

  long maxCheckpointMillis() {
    return maxCheckpointNanos / 1_000_000;
  }

  /** Copies into MapDB's file, the checkpoints' own included. */
  long copies() {
    return copies;
  }

  /** The longest a copy held MapDB's locks, in ms with a fraction. */
  double maxCopyMillis() {
    return maxCopyNanos / 1e6;
  }

  /** Applies what is queued, takes a last checkpoint and stops. */
  void close() throws InterruptedException {
    closing = true;
    queue.add(WAKE);
    thread.join();
    if (failed) {
      return; // MapDB is not trusted; nothing more goes into it, the next open rebuilds.
    }
    Object item;
    while ((item = queue.poll()) != null) {
      if (item instanceof Batch b) {
        apply(b);
      } else if (item instanceof Runnable r) {
        r.run();
      }
    }
    checkpoint();
  }
}
