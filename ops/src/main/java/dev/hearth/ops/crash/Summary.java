package dev.hearth.ops.crash;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Totals over all cycles, printed at the end as text (stderr) or JSON (stdout). */
final class Summary {

  static final int MAX_LISTED_FAILURES = 50;
  /** Kills not aimed at a phase. */
  static final String RANDOM = "random";
  /** Kills aimed at a phase the child did not reach in time: they landed at a random moment. */
  static final String NOT_REACHED = "aimed, not reached";
  /** Second kills, while a child opened and recovered the crashed store. */
  static final String RECOVERING = "while recovering";

  private final CrashConfig config;
  private final String dir;
  private final long startMs = System.currentTimeMillis();
  private final Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
  private final JsonArray failures = new JsonArray();
  int cyclesRun;
  int cyclesFailed;
  int childRuns;
  int rekills;
  int damaged;
  long ackedWrites;
  long lostWrites;
  int storesFailedToOpen;
  long inFlight;
  long inFlightDurable;
  long lastSequence;
  long maxVerifyMs;
  long maxOpenMs;
  boolean aborted;
  private int recoveriesKnown;
  private int recoveriesReplayed;
  private long eventsReplayed;
  private int tornTailsCut;
  private final Map<String, Integer> rebuilds = new TreeMap<>();
  private final Map<String, Integer> killsByPhase = new TreeMap<>();

  Summary(CrashConfig config, String dir) {
    this.config = config;
    this.dir = dir;
  }

  void addCycle(int cycle, long seed, Findings findings) {
    cyclesRun++;
    if (findings.isEmpty()) {
      return;
    }
    cyclesFailed++;
    if (findings.count(Kind.STORE_OPEN_FAILED) > 0) {
      storesFailedToOpen++;
    }
    findings.counts().forEach((k, n) -> byKind.merge(k, (long) n, Long::sum));
    for (Findings.Finding f : findings.details()) {
      if (failures.size() < MAX_LISTED_FAILURES) {
        failures.add(new JsonObject().put("cycle", cycle).put("seed", seed).put("kind", f.kind().name())
            .put("detail", f.detail()));
      }
    }
  }

  /** Counts one SIGKILL under where it landed: a phase name, {@link #RANDOM}, {@link #NOT_REACHED} or {@link #RECOVERING}. */
  void killedIn(String phase) {
    killsByPhase.merge(phase, 1, Integer::sum);
  }

  /** Tallies what the engine's recovery did when the verifier opened the store. */
  void addRecovery(RecoveryInfo r) {
    if (r.rebuilt() == null) {
      return;
    }
    recoveriesKnown++;
    if (r.replayedEvents() > 0) {
      recoveriesReplayed++;
      eventsReplayed += r.replayedEvents();
    }
    if (r.truncatedBytes() > 0) {
      tornTailsCut++;
    }
    if (r.rebuilt()) {
      rebuilds.merge(String.valueOf(r.reason()), 1, Integer::sum);
    }
  }

  boolean passed() {
    return !aborted && cyclesRun == config.cycles() && cyclesFailed == 0 && lostWrites == 0 && storesFailedToOpen == 0;
  }

  JsonObject toJson() {
    JsonObject kinds = new JsonObject();
    byKind.forEach((k, n) -> kinds.put(k.name(), n));
    return new JsonObject()
        .put("result", passed() ? "PASS" : "FAIL")
        .put("cycles", config.cycles())
        .put("cyclesRun", cyclesRun)
        .put("cyclesPassed", cyclesRun - cyclesFailed)
        .put("cyclesFailed", cyclesFailed)
        .put("failuresByKind", kinds)
        .put("ackedWrites", ackedWrites)
        .put("lostWrites", lostWrites)
        .put("storesFailedToOpen", storesFailedToOpen)
        .put("childRuns", childRuns)
        .put("killsDuringRecovery", rekills)
        .put("killsByPhase", new JsonObject(new LinkedHashMap<>(killsByPhase)))
        .put("mapdbFilesDamaged", damaged)
        .put("inFlightAtKill", inFlight)
        .put("inFlightFoundDurable", inFlightDurable)
        .put("lastSequence", lastSequence)
        .put("recovery", new JsonObject()
            .put("reportsSeen", recoveriesKnown)
            .put("opensThatReplayedTheLogTail", recoveriesReplayed)
            .put("eventsReplayed", eventsReplayed)
            .put("tornLogTailsCut", tornTailsCut)
            .put("rebuiltFromLog", rebuilds.values().stream().mapToInt(Integer::intValue).sum())
            .put("rebuildReasons", new JsonObject(new LinkedHashMap<>(rebuilds))))
        .put("maxOpenMs", maxOpenMs)
        .put("maxVerifyMs", maxVerifyMs)
        .put("elapsedMs", System.currentTimeMillis() - startMs)
        .put("seed", config.seed())
        .put("dir", dir)
        .put("settings", new JsonObject()
            .put("writers", config.writers()).put("minMs", config.minMs()).put("maxMs", config.maxMs())
            .put("rekillPct", config.rekillPct()).put("damagePct", config.damagePct()).put("keysPerWriter", config.keysPerWriter())
            .put("checkpointMs", config.checkpointMs()).put("segmentBytes", config.segmentBytes())
            .put("rate", config.rate()))
        .put("failures", failures);
  }

  void print(PrintStream out) {
    out.printf("%n== crash harness summary ==%n");
    out.printf("cycles:                 %d of %d run, %d passed, %d failed%n", cyclesRun, config.cycles(),
        cyclesRun - cyclesFailed, cyclesFailed);
    out.printf("child JVMs killed:      %d (%d of them while recovering the previous crash)%n", childRuns, rekills);
    out.printf("kill -9 by phase:       %s%n", killsByPhase);
    if (config.damagePct() > 0) {
      out.printf("MapDB files damaged:    %d (each forces a rebuild or a full replay from the change log)%n", damaged);
    }
    out.printf("acknowledged writes:    %d%n", ackedWrites);
    out.printf("lost acknowledged:      %d%n", lostWrites);
    out.printf("stores failed to open:  %d%n", storesFailedToOpen);
    out.printf("in flight at kill:      %d (%d found durable, %d not)%n", inFlight, inFlightDurable,
        inFlight - inFlightDurable);
    out.printf("last sequence:          %d%n", lastSequence);
    if (recoveriesKnown > 0) {
      out.printf("verifier's recoveries:  %d replayed the log tail (%d events), %d cut a torn log tail,"
          + " %d rebuilt MapDB from the log%s%n", recoveriesReplayed, eventsReplayed, tornTailsCut,
          rebuilds.values().stream().mapToInt(Integer::intValue).sum(), rebuilds.isEmpty() ? "" : " " + rebuilds);
    }
    out.printf("slowest open / verify:  %d ms / %d ms%n", maxOpenMs, maxVerifyMs);
    out.printf("failures by kind:       %s%n", byKind.isEmpty() ? "none" : byKind);
    out.printf("seed %d, dir %s, %.1f s%n", config.seed(), dir, (System.currentTimeMillis() - startMs) / 1000.0);
    out.printf("RESULT: %s%n", passed() ? "PASS" : "FAIL");
  }
}
