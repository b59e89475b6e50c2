package dev.hearth.ops.crash;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearth crash}: the kill -9 crash harness of the store engine. */
@Command(
    name = "crash",
    mixinStandardHelpOptions = true,
    description = {
      "Kills a JVM that writes through the store with SIGKILL at random moments or inside a checkpoint",
      "or a log roll-over (--checkpoint-kill-pct, --segment-kill-pct), reopens the store",
      "and verifies it: it opens, every acknowledged write is there and decrypts, the change log is",
      "gapless and folds to the data, transactions are whole, the view equals a rebuild.",
      "Progress goes to stderr. Exit status 0 only when every cycle passes."
    })
public final class CrashCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--cycles", defaultValue = "100", description = "Kill/verify cycles (default: ${DEFAULT-VALUE}).")
  int cycles;

  @Option(names = "--dir", description = "Empty or new directory for the store, ack files and child logs"
      + " (default: a new temporary directory, deleted when all cycles pass unless --keep).")
  Path dir;

  @Option(names = "--writers", defaultValue = "8", description = "Writer threads in the child (default: ${DEFAULT-VALUE}).")
  int writers;

  @Option(names = "--seed", description = "Seed of the workload and the kill times (default: random, printed).")
  Long seed;

  @Option(names = "--min-ms", defaultValue = "200", description = "Shortest write time before the kill, after the child is ready (default: ${DEFAULT-VALUE}).")
  long minMs;

  @Option(names = "--max-ms", defaultValue = "2000", description = "Longest write time before the kill (default: ${DEFAULT-VALUE}).")
  long maxMs;

  @Option(names = "--rekill-pct", defaultValue = "25", description = "Chance per cycle of also killing a second child while it recovers the crashed store (default: ${DEFAULT-VALUE}).")
  int rekillPct;

  @Option(names = "--damage-pct", defaultValue = "0", description = "Chance per cycle of damaging or deleting the MapDB file after the kill, to exercise the rebuild from the change log (default: ${DEFAULT-VALUE}).")
  int damagePct;

  @Option(names = "--checkpoint-kill-pct", defaultValue = "33", description = "Chance per cycle that the kill is aimed inside a checkpoint: in MapDB's copy into state.db or before its sync (default: ${DEFAULT-VALUE}).")
  int checkpointKillPct;

  @Option(names = "--segment-kill-pct", defaultValue = "33", description = "Chance per cycle that the kill is aimed inside a change-log segment roll-over or preallocation (default: ${DEFAULT-VALUE}).")
  int segmentKillPct;

  @Option(names = "--keys-per-writer", defaultValue = "100", description = "Keys each writer overwrites and deletes per collection (default: ${DEFAULT-VALUE}).")
  int keysPerWriter;

  @Option(names = "--checkpoint-ms", defaultValue = "100", description = "Engine checkpoint interval, short so that kills land near MapDB commits (default: ${DEFAULT-VALUE}).")
  long checkpointMs;

  @Option(names = "--segment-bytes", defaultValue = "4194304", description = "Engine log segment size, small so that the log rolls over under kills; 0 = engine default (default: ${DEFAULT-VALUE}).")
  long segmentBytes;

  @Option(names = "--rate", defaultValue = "0", description = "Total writes/s the child aims at; 0 = as fast as acknowledged (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--ready-timeout-ms", defaultValue = "60000", description = "How long a child may take to open the store (default: ${DEFAULT-VALUE}).")
  long readyTimeoutMs;

  @Option(names = "--verify-timeout-s", defaultValue = "600", description = "Time limit of one verification (default: ${DEFAULT-VALUE}).")
  long verifyTimeoutS;

  @Option(names = "--keep-going", description = "Continue after a failed cycle (a store that fails to open always stops the run).")
  boolean keepGoing;

  @Option(names = "--keep", description = "Keep the temporary directory even when every cycle passes.")
  boolean keep;

  @Option(names = "--json", description = "Print the summary as JSON on stdout.")
  boolean json;

  @Option(names = "--verbose", description = "Print the engine's recovery report of every cycle, when it has one.")
  boolean verbose;

  @Option(names = "--child-jvm-arg", description = "Extra JVM argument for the child (repeatable).")
  List<String> childJvmArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    // The engine logs to stdout; during the run that goes to stderr, so stdout carries only the JSON.
    System.setOut(System.err);
    try {
      boolean temporary = dir == null;
      Path where = temporary ? Files.createTempDirectory("hearth-crash-") : dir;
      CrashConfig config;
      try {
        config = new CrashConfig(cycles, where, writers,
            seed != null ? seed : ThreadLocalRandom.current().nextLong(), minMs, maxMs, rekillPct, damagePct,
            keysPerWriter, checkpointMs, segmentBytes, rate, readyTimeoutMs, verifyTimeoutS, keepGoing, verbose,
            childJvmArgs, checkpointKillPct, segmentKillPct);
      } catch (IllegalArgumentException e) {
        if (temporary) Dirs.delete(where);
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      Summary summary = new CrashRunner(config, System.err).run();
      summary.print(System.err);
      if (json) {
        out.println(summary.toJson().encodePrettily());
      }
      if (temporary && summary.passed() && !keep) {
        Dirs.delete(where);
      }
      return summary.passed() ? 0 : 1;
    } finally {
      System.setOut(out);
    }
  }
}
