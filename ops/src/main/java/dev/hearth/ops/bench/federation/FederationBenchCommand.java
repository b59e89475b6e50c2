package dev.hearth.ops.bench.federation;

import dev.hearth.ops.bench.ModuleJar;
import dev.hearth.ops.bench.Units;
import dev.hearth.ops.bench.api.BenchUsers;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearth bench federation}: replication lag and catch-up between two nodes, next to the NATS publish ceiling. */
@Command(
    name = "federation",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Federation between two nodes on this machine, all in one run: starts two nats-server processes (b a leaf"
          + " of a, JetStream domains a and b) and two nodes in this process with the chat module, links them,"
          + " shares a project of a with b and lets a user of b join it. Then measures:",
      "  1. the NATS publish ceiling: publishAsync of 1 KiB messages with message ids into a stream shaped like"
          + " HEARTH_CDC on a's server, --ceiling-window unacknowledged, for --ceiling-seconds;",
      "  2. the replication lag a -> b: chat messages posted over REST on a at --rate for --seconds; per message,"
          + " after --warmup; per message, the time b's store delivered the replica to b's subscribers minus a's"
          + " commit time; p50/p99/max;",
      "  3. the catch-up: b pauses the link, --backlog messages are written on a as fast as the API takes them,"
          + " b resumes: events/s applied on b until it holds all of them, and the time until a live message"
          + " (--live-rate on a meanwhile) reaches b within 1 s.",
      "Needs nats-server (/usr/sbin/nats-server or on the PATH) and the built chat module"
          + " (module-chat/target/hearth-module-chat-*.jar, found from the current directory or this jar's, or --chat-jar).",
      "JSON result on stdout; progress and a table on stderr. Exit code 1 if a message was not replicated, more"
          + " than 1%% of the timed posts failed, the lag never came back under 1 s, or a step failed; 2 for a bad"
          + " option; 3 if nats-server or the chat module's jar is missing."
    })
public final class FederationBenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--rate", paramLabel = "MSGS", defaultValue = "1000",
      description = "Chat messages per second posted on a for the lag measurement. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--seconds", paramLabel = "TIME", defaultValue = "30s", converter = Units.DurationConverter.class,
      description = "How long the lag measurement posts (30, 30s, 2m). Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "5s", converter = Units.DurationConverter.class,
      description = "Posting at --rate before the lag measurement, not measured (0 to skip); b catches up before the"
          + " measurement starts. Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "64",
      description = "Unanswered posts at most during the lag measurement (the rate is paced; a post whose slot"
          + " comes while N are unanswered goes out late). Default: ${DEFAULT-VALUE}.")
  int maxInFlight;

  @Option(names = "--backlog", paramLabel = "N", defaultValue = "100000", converter = Units.CountConverter.class,
      description = "Messages written on a while b's link is paused (100k, 1m). Default: ${DEFAULT-VALUE}.")
  int backlog;

  @Option(names = "--backlog-senders", paramLabel = "N", defaultValue = "32",
      description = "Posts in flight while writing the backlog (a closed loop). Default: ${DEFAULT-VALUE}.")
  int backlogSenders;

  @Option(names = "--live-rate", paramLabel = "MSGS", defaultValue = "20",
      description = "Messages per second posted on a during the catch-up, to see when the lag is under 1 s again."
          + " Default: ${DEFAULT-VALUE}.")
  double liveRate;

  @Option(names = "--users", paramLabel = "U", defaultValue = "4",
      description = "Users on a (project users, channel members); posts take them round-robin. Default: ${DEFAULT-VALUE}.")
  int users;

  @Option(names = "--text-bytes", paramLabel = "BYTES", defaultValue = "100",
      description = "Length of each message's text. Default: ${DEFAULT-VALUE}.")
  int textBytes;

  @Option(names = "--ceiling-seconds", paramLabel = "TIME", defaultValue = "5s", converter = Units.DurationConverter.class,
      description = "Measured time of the NATS publish ceiling (after 1 s of warmup). Default: ${DEFAULT-VALUE}.")
  Duration ceilingDuration;

  @Option(names = "--ceiling-window", paramLabel = "N", defaultValue = "1024",
      description = "Unacknowledged publishes at most for the ceiling (the CDC publisher's default window)."
          + " Default: ${DEFAULT-VALUE}.")
  int ceilingWindow;

  @Option(names = "--catch-up-timeout", paramLabel = "TIME", defaultValue = "15m", converter = Units.DurationConverter.class,
      description = "Give up when b does not hold the whole backlog this long after the resume. Default: ${DEFAULT-VALUE}.")
  Duration catchUpTimeout;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where the temporary hearth-bench-fed-* directory (both nodes' data, both servers' JetStream stores)"
          + " goes; deleted at the end. Default: ./target if it exists, else the system temp directory.")
  Path dir;

  @Option(names = "--chat-jar", paramLabel = "FILE",
      description = "The chat module's jar. Default: module-chat/target/hearth-module-chat-*.jar of this repository.")
  Path chatJar;

  @Override
  public Integer call() throws Exception {
    FederationBench.Config config = config();
    quietLogs();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    err.print(FederationResults.header(config));
    err.flush();
    // The nodes run in this process: whatever they print must not reach the JSON on stdout.
    PrintStream stdout = System.out;
    System.setOut(System.err);
    FederationBench.Report report;
    try {
      report = new FederationBench(config, err).run();
    } catch (ModuleJar.Missing e) {
      err.println("hearth bench federation: " + e.getMessage());
      err.flush();
      return 3;
    } catch (BenchUsers.SetupException e) {
      err.println("hearth bench federation: " + e.getMessage());
      err.flush();
      return 1;
    } finally {
      System.setOut(stdout);
    }
    err.println();
    err.print(FederationResults.table(report));
    err.flush();
    out.print(FederationResults.json(report).encodePrettily() + System.lineSeparator());
    out.flush();
    List<String> problems = FederationResults.problems(report);
    if (!problems.isEmpty()) {
      err.println("hearth bench federation: " + String.join("; ", problems));
      err.flush();
      return 1;
    }
    return 0;
  }

  /**
   * The nodes' own log lines (JSON, INFO) would drown the progress: readable text at WARN unless
   * HEARTH_LOG_FORMAT / HEARTH_LOG_LEVEL say otherwise. Works because nothing has logged yet.
   */
  private static void quietLogs() {
    if (System.getenv("HEARTH_LOG_LEVEL") == null && System.getProperty("HEARTH_LOG_LEVEL") == null) {
      System.setProperty("HEARTH_LOG_LEVEL", "WARN");
    }
    if (System.getenv("HEARTH_LOG_FORMAT") == null && System.getProperty("HEARTH_LOG_FORMAT") == null) {
      System.setProperty("HEARTH_LOG_FORMAT", "text");
    }
    if (System.getProperty("hearth.log.target") == null) System.setProperty("hearth.log.target", "System.err");
  }

  FederationBench.Config config() {
    var cmd = spec.commandLine();
    if (!(rate > 0) || rate > 1_000_000 || !(liveRate > 0) || liveRate > 100_000) {
      throw new ParameterException(cmd, "--rate and --live-rate must be positive (at most 1000000 and 100000)");
    }
    if (duration.isZero() || duration.isNegative() || ceilingDuration.isZero() || ceilingDuration.isNegative()
        || catchUpTimeout.isZero() || catchUpTimeout.isNegative() || warmup.isNegative()) {
      throw new ParameterException(cmd, "--seconds, --ceiling-seconds and --catch-up-timeout must be positive, --warmup at least 0");
    }
    if (maxInFlight < 1 || maxInFlight > 10_000 || backlogSenders < 1 || backlogSenders > 10_000) {
      throw new ParameterException(cmd, "--max-in-flight and --backlog-senders must be between 1 and 10000");
    }
    if (ceilingWindow < 1 || ceilingWindow > 65_536) throw new ParameterException(cmd, "--ceiling-window must be between 1 and 65536");
    if (users < 1 || users > 1000) throw new ParameterException(cmd, "--users must be between 1 and 1000");
    if (textBytes < 30 || textBytes > 4000) throw new ParameterException(cmd, "--text-bytes must be between 30 and 4000");
    return new FederationBench.Config(rate, duration, warmup, maxInFlight, backlog, backlogSenders, liveRate, users, textBytes,
        ceilingDuration, ceilingWindow, catchUpTimeout, dir, chatJar);
  }
}
