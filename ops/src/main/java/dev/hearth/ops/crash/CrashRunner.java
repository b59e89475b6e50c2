package dev.hearth.ops.crash;

import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.store.StorePhases.Point;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The parent side: per cycle, one child JVM is killed with SIGKILL a random time after it got
 * ready or, for a share of the cycles, inside a checkpoint or a log roll-over it is parked in
 * ({@link PhaseTrap}); sometimes a second one is killed while it recovers from that, then the store is reopened in this
 * JVM and verified against everything the children recorded as acknowledged. The store directory
 * is the same for every cycle, so the store grows and carries every earlier crash with it.
 */
final class CrashRunner {

  /** How long after arming its trap a child may take to reach the aimed phase before it is killed anyway. */
  static final long PHASE_TIMEOUT_MS = 20_000;

  /** The change log's file-maintenance points a kill can be aimed at (this store has no compaction). */
  static final List<Point> LOG_POINTS = List.of(Point.ROLL_BEFORE_TRIM, Point.ROLL_TRIMMED,
      Point.ROLL_NEW_SEGMENT, Point.PREALLOC_ZEROED);

  private final CrashConfig config;
  private final PrintStream progress;
  private final Path dir;
  private final Path keyFile;
  private final Path dataDir;
  private final Model model = new Model();
  private final Set<Long> lost = new HashSet<>();
  private final StoreVerification verification;
  private int run;
  private volatile ChildProcess current;
  private StoreHook afterKill = storeDir -> { };

  /** Something done to the store directory between the kill and the verification (tests only). */
  @FunctionalInterface
  interface StoreHook {
    void accept(Path storeDir) throws IOException;
  }

  CrashRunner(CrashConfig config, PrintStream progress) {
    this.config = config;
    this.progress = progress;
    this.dir = config.dir();
    this.keyFile = dir.resolve("master.key");
    this.dataDir = dir.resolve("data");
    StoreOptions options = HarnessOptions.storeOptions(config.checkpointMs(), config.segmentBytes());
    this.verification = new StoreVerification(dataDir, options, config.verifyTimeoutS());
  }

  /** Tests use this to break the store on purpose and see that the verifier notices. */
  CrashRunner afterKill(StoreHook hook) {
    this.afterKill = hook;
    return this;
  }

  Summary run() throws IOException, InterruptedException {
    prepareDir();
    Summary summary = new Summary(config, dir.toString());
    Thread hook = new Thread(this::killCurrent, "crash-harness-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      MasterKey key = MasterKey.loadOrCreate(keyFile).key();
      progress.printf("crash harness: %d cycles, %d writers, seed %d, kill %d..%d ms after ready, dir %s%n",
          config.cycles(), config.writers(), config.seed(), config.minMs(), config.maxMs(), dir);
      for (int cycle = 1; cycle <= config.cycles(); cycle++) {
        if (!cycle(cycle, key, summary)) {
          break;
        }
      }
    } finally {
      killCurrent();
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    summary.ackedWrites = model.ackedWrites();
    summary.inFlight = model.inFlight();
    summary.inFlightDurable = model.inFlightDurable();
    summary.lostWrites = lost.size();
    return summary;
  }

  /** One cycle; false when the run must stop. */
  private boolean cycle(int cycle, MasterKey key, Summary summary) throws IOException, InterruptedException {
    long seed = new Random(config.seed() ^ (cycle * 0x9E3779B97F4A7C15L)).nextLong();
    Random random = new Random(seed);
    Findings findings = new Findings();
    List<RunHistory> pending = new ArrayList<>();
    long delay = config.minMs() + (long) (random.nextDouble() * (config.maxMs() - config.minMs()));
    boolean rekill = random.nextInt(100) < config.rekillPct();
    double rekillAt = random.nextDouble();
    boolean damage = random.nextInt(100) < config.damagePct();
    Point aim = aim(random);
    StringBuilder what = new StringBuilder();

    ChildRun first = startChild(seed, findings, pending, aim, delay);
    summary.childRuns++;
    boolean ready;
    if (aim == null) {
      ready = first.killAfterReady(delay, config.readyTimeoutMs());
      if (ready) {
        what.append("kill ").append(delay).append(" ms after ready");
        summary.killedIn(Summary.RANDOM);
      }
    } else {
      String reached = first.killInPhase(delay, PHASE_TIMEOUT_MS, config.readyTimeoutMs());
      ready = first.wasReady();
      if (ready && reached != null) {
        what.append("kill in ").append(reached).append(" (trap armed ").append(delay).append(" ms after ready)");
        summary.killedIn(phaseName(aim));
      } else if (ready) {
        what.append("kill aimed at ").append(aim).append(", not reached within ").append(PHASE_TIMEOUT_MS)
            .append(" ms of arming it ").append(delay).append(" ms after ready");
        summary.killedIn(Summary.NOT_REACHED);
      }
    }
    if (ready) {
      if (rekill) {
        // The first child opened a cleanly closed store; recovering a crashed one takes a little
        // longer. Aim inside that window, and sometimes just past it.
        long at = (long) (rekillAt * Math.max(50, first.process().openMs()) * 1.5);
        ChildRun second = startChild(seed + 1, findings, pending, null, 0);
        summary.childRuns++;
        summary.rekills++;
        summary.killedIn(Summary.RECOVERING);
        second.killWhileOpening(at, config.readyTimeoutMs());
        what.append(", re-kill ").append(at).append(" ms into reopening")
            .append(second.process().wasReady() ? " (had opened in " + second.process().openMs() + " ms)" : "");
      }
    } else {
      what.append("child never got ready");
    }

    afterKill.accept(dataDir.resolve("stores").resolve(LiveStore.STORE));
    if (damage) {
      summary.damaged++;
      what.append("; ").append(Damage.apply(dataDir.resolve("stores").resolve(LiveStore.STORE), random));
    }

    long acked = pending.stream().mapToLong(RunHistory::acked).sum();
    StoreVerification.Result result = verification.verify(key, model, pending, findings, lost);
    summary.lastSequence = result.lastSequence();
    summary.maxOpenMs = Math.max(summary.maxOpenMs, result.openMs());
    summary.maxVerifyMs = Math.max(summary.maxVerifyMs, result.verifyMs());
    summary.addCycle(cycle, seed, findings);
    summary.addRecovery(result.recovery());
    progress.printf("cycle %d/%d: %s; acked %d (total %d), lastSequence %d, open %d ms, verify %d ms: %s%n",
        cycle, config.cycles(), what, acked, model.ackedWrites(), result.lastSequence(), result.openMs(),
        result.verifyMs(), findings.isEmpty() ? "OK" : "FAILED " + findings.counts());
    RecoveryInfo recovery = result.recovery();
    if (recovery.text() != null && (config.verbose() || Boolean.TRUE.equals(recovery.rebuilt())
        || recovery.truncatedBytes() > 0)) {
      progress.println("  recovery: " + recovery.text());
    }
    if (findings.isEmpty()) {
      return true;
    }
    progress.printf("  cycle seed %d; run %d; store dir %s%n", seed, run, dir);
    for (Findings.Finding f : findings.details()) {
      progress.println("  " + f.kind() + ": " + f.detail().replace("\n", "\n    "));
    }
    if (result.mustStop()) {
      summary.aborted = true;
      progress.println("  stopping: the store cannot be checked further");
      return false;
    }
    return config.keepGoing();
  }

  /** The phase this cycle's kill is aimed at, or null for a kill at a random moment. */
  private Point aim(Random random) {
    int draw = random.nextInt(100);
    if (draw < config.checkpointKillPct()) {
      return random.nextBoolean() ? Point.CHECKPOINT_COPY : Point.CHECKPOINT_SYNC;
    }
    if (draw < config.checkpointKillPct() + config.segmentKillPct()) {
      return LOG_POINTS.get(random.nextInt(LOG_POINTS.size()));
    }
    return null;
  }

  /** How a phase is named in the summary: {@code CHECKPOINT_COPY} is {@code checkpoint-copy}. */
  static String phaseName(Point p) {
    return p.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private ChildRun startChild(long seed, Findings findings, List<RunHistory> pending, Point aim, long aimAfterMs)
      throws IOException {
    run++;
    CrashChild.ChildArgs args = new CrashChild.ChildArgs(dataDir, keyFile,
        dir.resolve("acks").resolve(String.format("r%04d", run)), run, config.writers(), seed,
        config.keysPerWriter(), config.checkpointMs(), config.segmentBytes(), config.rate(),
        aim == null ? CrashChild.NO_AIM : aim.name(), aimAfterMs);
    Path log = dir.resolve("logs").resolve(String.format("r%04d.log", run));
    ChildProcess child = ChildProcess.start(args, config.childJvmArgs(), log);
    current = child;
    return new ChildRun(run, config.writers(), args.ackDir(), log, child, findings, pending);
  }

  private void killCurrent() {
    ChildProcess c = current;
    if (c != null && c.isAlive()) {
      try {
        c.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void prepareDir() throws IOException {
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new IllegalArgumentException("directory " + dir + " is not empty: the harness must know every"
              + " write ever made to its store, so it only starts from an empty directory");
        }
      }
    }
    Files.createDirectories(dir);
  }
}
