package dev.hearth.ops.crash;

import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.store.StorePhases;
import dev.hearth.module.ModuleException;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The JVM the harness kills. Opens the store, registers the view, prints {@link #READY}, then
 * writes from {@code writers} threads until it is killed, recording each write in its writer's
 * {@link AckLog}. It never exits on its own, except when its parent goes away (stdin closes).
 *
 * <p>Lines it prints that the parent acts on: {@link #OPENING} (about to open the store),
 * {@link #READY}, {@link #OPEN_FAILED}, {@link #ERROR}, {@link #PHASE}.
 *
 * <p>When its kill is aimed at a phase ({@link ChildArgs#aim}), it installs a {@link PhaseTrap}
 * before opening the store and arms it {@link ChildArgs#aimAfterMs} after READY.
 */
public final class CrashChild {

  static final String OPENING = "CRASH-CHILD OPENING";
  static final String READY = "CRASH-CHILD READY";
  static final String OPEN_FAILED = "CRASH-CHILD OPEN-FAILED";
  static final String ERROR = "CRASH-CHILD ERROR";
  static final String PROGRESS = "CRASH-CHILD PROGRESS";
  /** Printed by {@link PhaseTrap} when a thread is parked in the aimed phase: kill now. */
  static final String PHASE = "CRASH-CHILD PHASE";
  /** The aim of a child whose kill is not aimed at a phase. */
  static final String NO_AIM = "none";
  static final String ABORT_MESSAGE = "crash harness: deliberate abort";

  private final ChildArgs args;
  private LiveStore live;
  private final LongAdder acked = new LongAdder();

  private CrashChild(ChildArgs args) {
    this.args = args;
  }

  public static void main(String[] argv) {
    ChildArgs args = ChildArgs.parse(argv);
    watchParent();
    new CrashChild(args).run();
  }

  private void run() {
    System.out.println(OPENING);
    System.out.flush();
    PhaseTrap trap = null;
    try {
      if (!NO_AIM.equals(args.aim())) {
        trap = new PhaseTrap(StorePhases.Point.valueOf(args.aim()), args.seed());
        StorePhases.listen(trap);
      }
      MasterKey key = MasterKey.loadOrCreate(args.keyFile()).key();
      StoreOptions options = args.storeOptions();
      live = LiveStore.open(args.dataDir(), key, options).registerView();
    } catch (Throwable t) {
      System.out.println(OPEN_FAILED + " " + t);
      t.printStackTrace(System.out);
      System.out.flush();
      Runtime.getRuntime().halt(3);
    }
    System.out.println(READY + " lastSequence=" + live.lastSequence());
    System.out.flush();
    startProgress();
    for (int w = 0; w < args.writers(); w++) {
      int writer = w;
      Thread t = new Thread(() -> writeForever(writer), "crash-writer-" + w);
      t.start();
    }
    if (trap != null) {
      PhaseTrap armed = trap;
      Thread t = new Thread(() -> {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(args.aimAfterMs()));
        armed.arm();
      }, "crash-phase-arm");
      t.setDaemon(true);
      t.start();
    }
  }

  private void writeForever(int writer) {
    Workload workload = new Workload(args.seed(), writer, args.run(), args.keysPerWriter());
    long intervalNanos = args.rate() > 0 ? TimeUnit.SECONDS.toNanos(args.writers()) / args.rate() : 0;
    long next = System.nanoTime();
    try (AckLog acks = AckLog.open(args.ackDir().resolve("w" + writer + ".log"))) {
      while (true) {
        WriteOp op = workload.next();
        acks.intent(op);
        Future<Void> done = live.store().write(op.tag().actor(), tx -> {
          for (Change c : op.changes()) {
            if (c.isDelete()) {
              tx.delete(live.collection(c.collection()), c.key());
            } else {
              tx.put(live.collection(c.collection()), c.key(), c.value());
            }
          }
          if (op.abort()) {
            throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, ABORT_MESSAGE);
          }
          return null;
        });
        Throwable failure = await(op, done);
        if (failure == null) {
          acks.acked(op);
          acked.increment();
          if (op.abort()) {
            error(op, "the transaction threw but its write was acknowledged");
          }
          readBack(op);
        } else if (op.abort() && isDeliberate(failure)) {
          acks.aborted(op);
        } else {
          acks.failed(op, String.valueOf(failure));
          error(op, "write failed: " + failure);
          failure.printStackTrace(System.out);
        }
        if (intervalNanos > 0) {
          next += intervalNanos;
          LockSupport.parkNanos(next - System.nanoTime());
        }
      }
    } catch (IOException | RuntimeException e) {
      error(null, "writer " + writer + " stopped: " + e);
      e.printStackTrace(System.out);
    }
  }

  /** Every 250 ms, how many writes were acknowledged since READY: for reading a child's log. */
  private void startProgress() {
    long start = System.nanoTime();
    Thread t = new Thread(() -> {
      while (true) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
        System.out.println(PROGRESS + " " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
            + " ms acked=" + acked.sum() + " lastSequence=" + live.lastSequence());
      }
    }, "crash-progress");
    t.setDaemon(true);
    t.start();
  }

  /** Waits for the write; a write pending for 30 s is reported, then waited for further. */
  private static Throwable await(WriteOp op, Future<Void> done) {
    boolean reported = false;
    while (true) {
      try {
        done.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return null;
      } catch (ExecutionException e) {
        return e.getCause();
      } catch (TimeoutException e) {
        if (!reported) {
          error(op, "write not acknowledged after 30 s");
          reported = true;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return e;
      }
    }
  }

  private static boolean isDeliberate(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ModuleException m && ABORT_MESSAGE.equals(m.getMessage())) {
        return true;
      }
    }
    return false;
  }

  /** Read your writes: once acknowledged, a write is what a read returns. */
  private void readBack(WriteOp op) {
    for (Change c : op.changes()) {
      Optional<String> got = live.collection(c.collection()).get(c.key());
      boolean ok = c.isDelete() ? got.isEmpty() : got.isPresent() && got.get().equals(c.value());
      if (!ok) {
        error(op, "read after acknowledgement of " + c.path() + " returned "
            + got.map(v -> "another value").orElse("nothing"));
      }
    }
  }

  private static void error(WriteOp op, String message) {
    System.out.println(ERROR + " " + (op == null ? "" : op.tag() + ": ") + message);
    System.out.flush();
  }

  /** The parent holds our stdin open; when it dies, stdin closes and we must not write on alone. */
  private static void watchParent() {
    Thread t = new Thread(() -> {
      try (InputStream in = System.in) {
        while (in.read() >= 0) {
          // the parent never writes; read until it goes away
        }
      } catch (IOException ignored) {
        // same as end of stream
      }
      Runtime.getRuntime().halt(5);
    }, "crash-parent-watch");
    t.setDaemon(true);
    t.start();
  }

  /**
   * The child's command line, written by {@link ChildProcess}.
   *
   * @param aim the {@link StorePhases.Point} the kill is aimed at, or {@link #NO_AIM}
   * @param aimAfterMs how long after READY the trap is armed (the child writes freely until then)
   */
  record ChildArgs(Path dataDir, Path keyFile, Path ackDir, int run, int writers, long seed,
      int keysPerWriter, long checkpointMs, long segmentBytes, int rate, String aim, long aimAfterMs) {

    StoreOptions storeOptions() {
      return HarnessOptions.storeOptions(checkpointMs, segmentBytes);
    }

    String[] toArgs() {
      return new String[] {dataDir.toString(), keyFile.toString(), ackDir.toString(), Integer.toString(run),
          Integer.toString(writers), Long.toString(seed), Integer.toString(keysPerWriter),
          Long.toString(checkpointMs), Long.toString(segmentBytes), Integer.toString(rate), aim,
          Long.toString(aimAfterMs)};
    }

    static ChildArgs parse(String[] a) {
      if (a.length != 12) {
        throw new IllegalArgumentException("CrashChild is started by 'hearth crash', with 12 arguments; got " + a.length);
      }
      return new ChildArgs(Path.of(a[0]), Path.of(a[1]), Path.of(a[2]), Integer.parseInt(a[3]),
          Integer.parseInt(a[4]), Long.parseLong(a[5]), Integer.parseInt(a[6]), Long.parseLong(a[7]),
          Long.parseLong(a[8]), Integer.parseInt(a[9]), a[10], Long.parseLong(a[11]));
    }
  }
}
