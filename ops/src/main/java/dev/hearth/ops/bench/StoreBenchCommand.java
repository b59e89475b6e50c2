package dev.hearth.ops.bench;

import dev.hearth.kernel.config.StoreOptions;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearth bench store}: MapDB, SQLite and the Hearth store, measured the same way in one run. */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Durable writes/s and acknowledgement latency (p50, p99, p99.9, max) with 1 and many writers,"
          + " reads/s with decryption, scans/s of the newest 50 and read latency while writers write,"
          + " for raw MapDB (a), SQLite WAL synchronous=FULL (b) and the Hearth store (c), with the"
          + " ratios c/a and c/b and the verdict on issue 2's target.",
      "Tables go to stdout (or JSON with --json), progress to stderr. Exit code 1 if a contender failed."
    })
public final class StoreBenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--sizes", paramLabel = "N", split = ",", defaultValue = "100000,1000000", converter = Units.CountConverter.class,
      description = "Store sizes to prefill to, in records (100k, 1m also work). Default: ${DEFAULT-VALUE}.")
  List<Integer> sizes;

  @Option(names = "--writers", paramLabel = "W", split = ",", defaultValue = "1,16,64",
      description = "Concurrent writer counts; each writer writes one record and waits for it to be durable. Default: ${DEFAULT-VALUE}.")
  List<Integer> writers;

  @Option(names = "--read-threads", paramLabel = "T", split = ",", defaultValue = "1,2",
      description = "Thread counts for the random-read measurement. Default: ${DEFAULT-VALUE}.")
  List<Integer> readThreads;

  @Option(names = "--mixed-writers", paramLabel = "W", defaultValue = "16",
      description = "Writers running while one thread reads, to see how long reads wait on a busy store"
          + " (0 skips it). Default: ${DEFAULT-VALUE}.")
  int mixedWriters;

  @Option(names = "--duration", paramLabel = "TIME", defaultValue = "10s", converter = Units.DurationConverter.class,
      description = "Length of each measurement (300ms, 10s, 2m). Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "1s", converter = Units.DurationConverter.class,
      description = "Unrecorded writing before each write measurement (0 to skip). Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(names = "--value-bytes", paramLabel = "BYTES", defaultValue = "1024",
      description = "Plaintext bytes per value (random). Default: ${DEFAULT-VALUE}.")
  int valueBytes;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where the temporary stores go (a fresh sub-directory, deleted afterwards). Default: ./target if it exists, else the system temp directory.")
  Path dir;

  @Option(names = "--contenders", paramLabel = "NAME", split = ",", defaultValue = "mapdb,sqlite,hearth",
      description = "Which stores to run (mapdb, sqlite, hearth), one after another in the order given. Default: ${DEFAULT-VALUE}.")
  List<String> contenders;

  @Option(names = "--hearth-options", paramLabel = "JSON", defaultValue = "{}",
      description = "StoreOptions for the Hearth store as JSON, e.g. '{\"checkpointMaxDirty\":5000}'"
          + " (to try tunables; see docs/benchmarks.md). Default: the engine's defaults.")
  String hearthOptions;

  @Option(names = "--json", description = "Print the results as one JSON document instead of tables.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    StoreBench.Config config = config();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!json) {
      out.printf("hearth bench store: %s; %d cores, Java %s, max heap %,d MiB%n", String.join(", ", config.contenders()),
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
          Runtime.getRuntime().maxMemory() >> 20);
      if (!config.hearthOptions().isEmpty()) {
        out.printf("hearth store options: %s%n", StoreOptions.from(config.hearthOptions()).toJson().encode());
      }
      out.flush();
    }
    // The stores under test log (JSON lines) to System.out; stdout is for results only.
    PrintStream stdout = System.out;
    System.setOut(System.err);
    Results.Report report;
    try {
      report = new StoreBench(config, err).run(size -> {
        if (!json) {
          out.print(Table.of(size, config));
          out.flush();
        }
      });
    } finally {
      System.setOut(stdout);
    }
    out.print(json ? report.toJson().encodePrettily() + System.lineSeparator() : Table.overall(report.sizes()));
    out.flush();
    return report.failed() ? 1 : 0;
  }

  private JsonObject hearthOptions() {
    try {
      JsonObject json = new JsonObject(hearthOptions);
      StoreOptions.from(json);
      return json;
    } catch (RuntimeException e) {
      throw new ParameterException(spec.commandLine(), "--hearth-options is not valid StoreOptions JSON: " + e.getMessage());
    }
  }

  StoreBench.Config config() {
    List<String> names = contenders.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).distinct().collect(Collectors.toList());
    for (String n : names) {
      if (!Contender.NAMES.contains(n)) {
        throw new ParameterException(spec.commandLine(), "unknown contender '" + n + "', expected some of " + Contender.NAMES);
      }
    }
    if (writers.stream().anyMatch(w -> w < 1) || readThreads.stream().anyMatch(t -> t < 1) || mixedWriters < 0) {
      throw new ParameterException(spec.commandLine(), "--writers and --read-threads must be at least 1, --mixed-writers at least 0");
    }
    if (valueBytes < 1 || duration.isZero() || duration.isNegative() || warmup.isNegative()) {
      throw new ParameterException(spec.commandLine(), "--value-bytes and --duration must be positive");
    }
    return new StoreBench.Config(List.copyOf(sizes), List.copyOf(writers), List.copyOf(readThreads), mixedWriters, duration,
        warmup, valueBytes, dir, names, hearthOptions());
  }
}
