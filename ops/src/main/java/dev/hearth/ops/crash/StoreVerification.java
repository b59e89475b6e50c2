package dev.hearth.ops.crash;

import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.config.StoreOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reopens the store in this JVM after a kill (which runs the engine's recovery), verifies it and
 * closes it cleanly, all under a time limit: a verifier that hangs is a failure, not a hung run.
 */
final class StoreVerification {

  /** What one verification saw; {@code mustStop} when the store could not be opened or left open. */
  record Result(long lastSequence, long openMs, long verifyMs, RecoveryInfo recovery, boolean mustStop) {}

  private final Path dataDir;
  private final StoreOptions options;
  private final long timeoutS;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "crash-verifier");
    t.setDaemon(true);
    return t;
  });

  StoreVerification(Path dataDir, StoreOptions options, long timeoutS) {
    this.dataDir = dataDir;
    this.options = options;
    this.timeoutS = timeoutS;
  }

  Result verify(MasterKey key, Model model, List<RunHistory> pending, Findings findings, Set<Long> lost)
      throws InterruptedException {
    Future<Result> f = executor.submit(() -> verifyNow(key, model, pending, findings, lost));
    try {
      return f.get(timeoutS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      findings.add(Kind.VERIFY_ERROR, "verification did not finish within " + timeoutS + " s; threads:\n" + threadDump());
      return new Result(-1, -1, -1, RecoveryInfo.UNKNOWN, true);
    } catch (ExecutionException e) {
      findings.add(Kind.VERIFY_ERROR, "verification threw", e.getCause());
      return new Result(-1, -1, -1, RecoveryInfo.UNKNOWN, true);
    }
  }

  private Result verifyNow(MasterKey key, Model model, List<RunHistory> pending, Findings findings, Set<Long> lost) {
    long t0 = System.nanoTime();
    LiveStore live;
    try {
      live = LiveStore.open(dataDir, key, options);
    } catch (RuntimeException | Error e) {
      findings.add(Kind.STORE_OPEN_FAILED, "reopening the store after the kill threw", e);
      return new Result(-1, ms(t0), -1, RecoveryInfo.UNKNOWN, true);
    }
    long openMs = ms(t0);
    RecoveryInfo report = RecoveryInfo.of(live.store());
    long t1 = System.nanoTime();
    long last = -1;
    try {
      try {
        live.registerView();
      } catch (RuntimeException e) {
        findings.add(Kind.VERIFY_ERROR, "registering the view threw", e);
      }
      Optional<LogFold> fold = new Verifier(live, model, findings, lost).verify(pending, Duration.ofSeconds(120));
      last = fold.map(l -> l.lastSequence).orElse(-1L);
    } finally {
      try {
        live.close();
      } catch (RuntimeException e) {
        findings.add(Kind.VERIFY_ERROR, "closing the store threw", e);
      }
    }
    return new Result(last, openMs, ms(t1), report, false);
  }

  private static long ms(long since) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
  }

  private static String threadDump() {
    StringBuilder b = new StringBuilder();
    for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
      b.append(t.toString());
    }
    return b.toString();
  }
}
