package dev.hearth.ops.crash;

import java.nio.file.Path;
import java.util.List;

/**
 * Settings of one harness run.
 *
 * @param dir where the store, the ack files and the child logs go; must be empty or absent
 * @param minMs shortest time a child writes before it is killed, counted from READY
 * @param maxMs longest such time
 * @param rekillPct per cycle, the chance that a second child is started on the crashed store and
 *     killed while it opens and recovers it, before the verifier looks
 * @param damagePct per cycle, the chance that the MapDB file is damaged or deleted after the kill,
 *     which forces the engine to rebuild the store from its change log
 * @param checkpointMs the engine's checkpoint interval in the child (small: kills land near commits)
 * @param segmentBytes the engine's log segment size in the child; 0 keeps the engine's default
 * @param rate total writes per second the child aims at; 0 writes as fast as the store acknowledges
 * @param keepGoing continue after a failed cycle (a store that fails to open always stops the run)
 * @param checkpointKillPct per cycle, the chance that the kill is aimed inside a checkpoint: half of
 *     those in MapDB's copy into the state file, half between that copy and the file's sync
 * @param segmentKillPct per cycle, the chance that the kill is aimed inside the change log's file
 *     maintenance: a segment roll-over (three points) or a preallocation of zeroed space
 */
record CrashConfig(
    int cycles,
    Path dir,
    int writers,
    long seed,
    long minMs,
    long maxMs,
    int rekillPct,
    int damagePct,
    int keysPerWriter,
    long checkpointMs,
    long segmentBytes,
    int rate,
    long readyTimeoutMs,
    long verifyTimeoutS,
    boolean keepGoing,
    boolean verbose,
    List<String> childJvmArgs,
    int checkpointKillPct,
    int segmentKillPct) {

  CrashConfig {
    String problem = cycles < 1 ? "--cycles must be at least 1"
        : writers < 1 || writers > 255 ? "--writers must be between 1 and 255"
        : minMs < 0 ? "--min-ms must be at least 0"
        : maxMs < minMs ? "--max-ms must be at least --min-ms (" + minMs + ")"
        : rekillPct < 0 || rekillPct > 100 ? "--rekill-pct must be between 0 and 100"
        : damagePct < 0 || damagePct > 100 ? "--damage-pct must be between 0 and 100"
        : keysPerWriter < 1 ? "--keys-per-writer must be at least 1"
        : checkpointMs < 1 ? "--checkpoint-ms must be at least 1"
        : rate < 0 ? "--rate must be at least 0"
        : checkpointKillPct < 0 || segmentKillPct < 0 ? "--checkpoint-kill-pct and --segment-kill-pct must be at least 0"
        : checkpointKillPct + segmentKillPct > 100 ? "--checkpoint-kill-pct plus --segment-kill-pct must be at most 100"
            + " (they are " + checkpointKillPct + " + " + segmentKillPct + "; set the other one lower)"
        : null;
    if (problem != null) throw new IllegalArgumentException(problem);
    childJvmArgs = List.copyOf(childJvmArgs);
  }
}
