package dev.hearth.ops.bench.realtime;

import dev.hearth.ops.bench.ModuleJar;
import dev.hearth.ops.bench.Units;
import dev.hearth.ops.bench.api.BenchUsers;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearth bench telemetry}: what metrics and tracing cost on the end-to-end chat load. */
@Command(
    name = "telemetry",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The overhead of metrics and tracing on the chat load of `hearth bench chat`: starts three nodes in this"
          + " process with the built chat module — off (metrics.enabled=false, no tracing), metrics (the default, /metrics"
          + " scraped every --scrape-every), metrics+tracing (every call traced, sample ratio 1, exported over OTLP/HTTP to"
          + " a sink in this process) — then runs --rounds rounds in which each node in turn takes the same closed-loop"
          + " load (N senders posting to one public channel, M WebSocket subscribers), rotating the order every round."
          + " A first round warms the JIT up and is not recorded. Reports per mode the median over rounds of messages/s, acknowledgement p50/p99 and commit-to-last-subscriber"
          + " p50/p99 and this process's CPU time per message, each as a ratio to off, and the median of each round's ratio to off.",
      "Table to stdout (or JSON with --json), progress to stderr. Exit code 1 if a delivery was missed, more than 1%%"
          + " of posts failed or setup failed; 2 for a bad option; 3 if the chat module is not built."
    })
public final class TelemetryBenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--subscribers", paramLabel = "M", defaultValue = "200", converter = Units.CountConverter.class,
      description = "WebSocket subscribers of each node's channel. Default: ${DEFAULT-VALUE}.")
  int subscribers;

  @Option(names = "--senders", paramLabel = "N", defaultValue = "16",
      description = "Posts in flight (closed loop). Default: ${DEFAULT-VALUE}.")
  int senders;

  @Option(names = "--users", paramLabel = "U", defaultValue = "20", converter = Units.CountConverter.class,
      description = "Users per node (channel members). Default: ${DEFAULT-VALUE}.")
  int users;

  @Option(names = "--rounds", paramLabel = "R", defaultValue = "3",
      description = "Rounds; each measures every mode once. Default: ${DEFAULT-VALUE}.")
  int rounds;

  @Option(names = "--duration", paramLabel = "TIME", defaultValue = "15s", converter = Units.DurationConverter.class,
      description = "Measured time per mode and round. Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "3s", converter = Units.DurationConverter.class,
      description = "Unrecorded posting before each measurement. Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(names = "--scrape-every", paramLabel = "TIME", defaultValue = "5s", converter = Units.DurationConverter.class,
      description = "How often /metrics is read while a metered node is measured. Default: ${DEFAULT-VALUE}.")
  Duration scrapeEvery;

  @Option(names = "--text-bytes", paramLabel = "BYTES", defaultValue = "100",
      description = "Length of each message's text. Default: ${DEFAULT-VALUE}.")
  int textBytes;

  @Option(names = "--drain", paramLabel = "TIME", defaultValue = "10s", converter = Units.DurationConverter.class,
      description = "After each measurement, how long to wait without progress for the last deliveries. Default: ${DEFAULT-VALUE}.")
  Duration drain;

  @Option(names = "--chat-jar", paramLabel = "FILE",
      description = "The chat module's jar. Default: module-chat/target/hearth-module-chat-*.jar of this repository.")
  Path chatJar;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where the nodes' temporary data goes (deleted at the end). Default: ./target if it exists, else the system temp directory.")
  Path dir;

  @Option(names = "--json", description = "Print the results as one JSON document instead of the table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    var cmd = spec.commandLine();
    if (senders < 1 || senders > 10_000) throw new ParameterException(cmd, "--senders must be between 1 and 10000");
    if (rounds < 1 || rounds > 100) throw new ParameterException(cmd, "--rounds must be between 1 and 100");
    if (users < 1 || subscribers < 1) throw new ParameterException(cmd, "--users and --subscribers must be at least 1");
    if (duration.isZero() || duration.isNegative() || warmup.isNegative() || drain.isNegative() || scrapeEvery.isZero()
        || scrapeEvery.isNegative()) {
      throw new ParameterException(cmd, "--duration and --scrape-every must be positive, --warmup and --drain at least 0");
    }
    if (textBytes < 20 || textBytes > 4000) throw new ParameterException(cmd, "--text-bytes must be between 20 and 4000");
    PrintWriter out = cmd.getOut();
    PrintWriter err = cmd.getErr();
    Path jar;
    try {
      jar = ModuleJar.find("chat", chatJar);
    } catch (ModuleJar.Missing e) {
      err.println("hearth bench telemetry: " + e.getMessage());
      err.flush();
      return 3;
    }
    Path where = dir != null ? dir : Files.isDirectory(Path.of("target")) ? Path.of("target") : Path.of(System.getProperty("java.io.tmpdir"));
    TelemetryBench.Config config = new TelemetryBench.Config(subscribers, senders, users, duration, warmup, textBytes, drain, rounds,
        scrapeEvery, jar, where);
    // The nodes log to System.out; the results must stay alone on stdout.
    PrintStream stdout = System.out;
    System.setOut(System.err);
    TelemetryBench.Report report;
    try {
      report = new TelemetryBench(config, err).run();
    } catch (BenchUsers.SetupException e) {
      err.println("hearth bench telemetry: " + e.getMessage());
      err.flush();
      return 1;
    } finally {
      System.setOut(stdout);
    }
    out.print(json ? TelemetryResults.json(report).encodePrettily() + System.lineSeparator() : TelemetryResults.table(report));
    out.flush();
    List<String> problems = TelemetryResults.problems(report);
    if (!problems.isEmpty()) {
      err.println("hearth bench telemetry: " + String.join("; ", problems));
      err.flush();
      return 1;
    }
    return 0;
  }
}
