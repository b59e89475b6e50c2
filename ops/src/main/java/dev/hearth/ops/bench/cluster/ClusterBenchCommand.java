package dev.hearth.ops.bench.cluster;

import dev.hearth.ops.bench.ModuleJar;
import dev.hearth.ops.bench.Units;
import dev.hearth.testkit.nats.NatsServerProcess;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearth bench cluster}: one node against a cluster of an owner and two fronts, and failovers of the owner. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "A Hearth cluster on this machine against one node, in one run (docs/cluster.md, docs/benchmarks.md). Every"
          + " node is a `hearth serve` JVM of its own with the chat module and relaxed sign-up and write limits:",
      "  chat:     the chat bench (--senders posting, one WebSocket subscriber) against one node, then against the"
          + " cluster: three clustered nats-servers, an owner pa (owns every store) and two fronts pb and pc (own"
          + " nothing), posts and subscribers spread over pb and pc, so every post is forwarded to pa;",
      "  fanout:   the same with --subscribers WebSocket subscribers (split over pb and pc in the cluster): the CPU"
          + " each process used per 1,000 deliveries;",
      "  failover: a second process pd that may own every store; a client posts through pc without pause while the"
          + " chat store's owner is killed with SIGKILL --kills times (each time once the other follows chat with"
          + " no lag) and started again: the time from each kill to the first accepted post sent after it, and"
          + " every accepted post read back (lost, duplicated);",
      "  jetstream: 1 KiB publishes into a stream of 3 replicas on the three servers, one at a time (what one"
          + " store's group commits wait for) and 1,024 in flight: the cluster's replication ceiling.",
      "Needs nats-server (/usr/sbin/nats-server or on the PATH) and the built chat module"
          + " (module-chat/target/hearth-module-chat-*.jar, or --chat-jar).",
      "Progress on stderr; the table on stdout (or JSON with --json). Exit code 1 if a part failed, a delivery was"
          + " missed, an accepted post was lost or duplicated, or a take-over took more than 10 s; 2 for a bad option;"
          + " 3 if nats-server or the chat module's jar is missing."
    })
public final class ClusterBenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--parts", paramLabel = "PART", split = ",", defaultValue = "chat,fanout,failover,jetstream",
      description = "What to measure: chat, fanout, failover, jetstream (comma-separated). Default: ${DEFAULT-VALUE}.")
  List<String> parts;

  @Option(names = "--senders", paramLabel = "N", defaultValue = "16",
      description = "Posts in flight in the chat and fan-out runs (a closed loop). Default: ${DEFAULT-VALUE}.")
  int senders;

  @Option(names = "--subscribers", paramLabel = "M", defaultValue = "1000",
      description = "WebSocket subscribers of the fan-out runs. Default: ${DEFAULT-VALUE}.")
  int subscribers;

  @Option(names = "--users", paramLabel = "U", defaultValue = "20",
      description = "Users signed up per run; posts and subscribers take them round-robin. Default: ${DEFAULT-VALUE}.")
  int users;

  @Option(names = "--duration", paramLabel = "TIME", defaultValue = "10s", converter = Units.DurationConverter.class,
      description = "Measured posting per run (300ms, 10s, 2m). Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "3s", converter = Units.DurationConverter.class,
      description = "Unrecorded posting before each run's measurement. Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(names = "--drain", paramLabel = "TIME", defaultValue = "10s", converter = Units.DurationConverter.class,
      description = "After the posts stop, how long to wait without progress for the last deliveries."
          + " Default: ${DEFAULT-VALUE}.")
  Duration drain;

  @Option(names = "--kills", paramLabel = "N", defaultValue = "20",
      description = "SIGKILLs of the chat store's owner in the failover part. Default: ${DEFAULT-VALUE}.")
  int kills;

  @Option(names = "--lease-ttl", paramLabel = "TIME", defaultValue = "5s", converter = Units.DurationConverter.class,
      description = "The cluster's leaseTtlMillis: a take-over comes within about this much after a kill."
          + " Default: ${DEFAULT-VALUE}.")
  Duration leaseTtl;

  @Option(names = "--jvm", paramLabel = "OPTION", split = " ", defaultValue = "-Xmx512m",
      description = "JVM options of every node (space-separated). Default: ${DEFAULT-VALUE}.")
  List<String> jvmOptions;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where the temporary hearth-bench-cluster-* directory (every process's data and the NATS stores)"
          + " goes; deleted at the end. Default: ./target if it exists, else the system temp directory.")
  Path dir;

  @Option(names = "--chat-jar", paramLabel = "FILE",
      description = "The chat module's jar. Default: module-chat/target/hearth-module-chat-*.jar of this repository.")
  Path chatJar;

  @Option(names = "--json", description = "Print the results as one JSON document instead of the table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ClusterBench.Config config;
    try {
      NatsServerProcess.findBinary();
      config = config();
    } catch (ModuleJar.Missing | IllegalStateException e) {
      err.println("hearth bench cluster: " + e.getMessage());
      err.flush();
      return 3;
    }
    PrintStream stdout = System.out;
    System.setOut(System.err);
    ClusterBench.Report report;
    try {
      report = new ClusterBench(config, err).run();
    } finally {
      System.setOut(stdout);
    }
    out.print(json ? ClusterResults.json(report).encodePrettily() + System.lineSeparator() : ClusterResults.table(report));
    out.flush();
    List<String> problems = ClusterResults.problems(report);
    if (!problems.isEmpty()) {
      err.println("hearth bench cluster: " + String.join("; ", problems));
      err.flush();
      return 1;
    }
    return 0;
  }

  ClusterBench.Config config() throws ModuleJar.Missing {
    var cmd = spec.commandLine();
    Set<ClusterBench.Part> chosen = EnumSet.noneOf(ClusterBench.Part.class);
    for (String p : parts) {
      try {
        chosen.add(ClusterBench.Part.valueOf(p.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(cmd, "--parts: unknown part '" + p + "' (chat, fanout, failover, jetstream)");
      }
    }
    if (senders < 1 || senders > 1000) throw new ParameterException(cmd, "--senders must be between 1 and 1000");
    if (subscribers < 1 || subscribers > 100_000) throw new ParameterException(cmd, "--subscribers must be between 1 and 100000");
    if (users < 2) throw new ParameterException(cmd, "--users must be at least 2");
    if (kills < 1 || kills > 1000) throw new ParameterException(cmd, "--kills must be between 1 and 1000");
    if (duration.isZero() || duration.isNegative() || warmup.isNegative() || drain.isNegative()) {
      throw new ParameterException(cmd, "--duration must be positive, --warmup and --drain at least 0");
    }
    if (leaseTtl.toMillis() < 1000 || leaseTtl.toMillis() > 60_000) {
      throw new ParameterException(cmd, "--lease-ttl must be between 1s and 60s");
    }
    Path where = dir != null ? dir : Files.isDirectory(Path.of("target")) ? Path.of("target")
        : Path.of(System.getProperty("java.io.tmpdir"));
    return new ClusterBench.Config(chosen, senders, subscribers, users, duration, warmup, drain, kills, leaseTtl,
        where.toAbsolutePath(), ModuleJar.find("chat", chatJar), List.copyOf(jvmOptions));
  }
}
