package dev.hearth.ops.bench.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.ops.OpsMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code hearth bench federation} without running it: options, --help, the catch-up arithmetic. */
class FederationBenchCommandTest {

  @Test
  void defaults_areTheIssuesFigures() {
    FederationBench.Config c = parse();
    assertThat(c.rate()).isEqualTo(1000);
    assertThat(c.duration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.warmup()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.backlog()).isEqualTo(100_000);
    assertThat(c.ceilingDuration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.ceilingWindow()).isEqualTo(1024);
    assertThat(c.maxInFlight()).isEqualTo(64);
    assertThat(c.dir()).isNull();
    assertThat(c.chatJar()).isNull();
  }

  @Test
  void options_areParsed() {
    FederationBench.Config c = parse("--rate", "250", "--seconds", "5", "--warmup", "0", "--backlog", "5k",
        "--backlog-senders", "8", "--live-rate", "5", "--users", "2", "--ceiling-seconds", "1500ms", "--ceiling-window", "256",
        "--catch-up-timeout", "2m", "--dir", "/tmp/x", "--chat-jar", "/tmp/chat.jar", "--max-in-flight", "16");
    assertThat(c.rate()).isEqualTo(250);
    assertThat(c.duration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.warmup()).isZero();
    assertThat(c.backlog()).isEqualTo(5000);
    assertThat(c.backlogConcurrency()).isEqualTo(8);
    assertThat(c.liveRate()).isEqualTo(5);
    assertThat(c.users()).isEqualTo(2);
    assertThat(c.ceilingDuration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.ceilingWindow()).isEqualTo(256);
    assertThat(c.catchUpTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.dir()).isEqualTo(Path.of("/tmp/x"));
    assertThat(c.chatJar()).isEqualTo(Path.of("/tmp/chat.jar"));
    assertThat(c.maxInFlight()).isEqualTo(16);
  }

  @Test
  void badOptions_areUsageErrors() {
    for (String[] args : List.of(new String[] {"--rate", "0"}, new String[] {"--seconds", "0"},
        new String[] {"--warmup", "-1s"}, new String[] {"--backlog", "0"}, new String[] {"--max-in-flight", "0"},
        new String[] {"--ceiling-window", "0"}, new String[] {"--users", "0"}, new String[] {"--text-bytes", "5"},
        new String[] {"--seconds", "soon"})) {
      StringWriter err = new StringWriter();
      int code = new CommandLine(new FederationBenchCommand()).setErr(new PrintWriter(err))
          .setOut(new PrintWriter(new StringWriter())).execute(args);
      assertThat(code).as(String.join(" ", args) + ": " + err).isEqualTo(2);
    }
  }

  @Test
  void help_saysWhatItMeasures() {
    StringWriter out = new StringWriter();
    int code = new CommandLine(new OpsMain()).setOut(new PrintWriter(out)).execute("bench", "federation", "--help");
    assertThat(code).isZero();
    String help = out.toString().replaceAll("\\s+", " ");
    assertThat(help).contains("NATS publish ceiling", "replication lag", "catch-up", "--rate", "--backlog", "nats-server",
        "Default: 1000", "Default: 100000");
  }

  @Test
  void catchUpArithmetic() {
    long[] received = new long[101];
    for (int i = 0; i <= 100; i++) received[i] = 1_000_000L + i * 1_000L; // one event per ms
    assertThat(FederationBench.steadyRate(received)).isEqualTo(1000.0);
    assertThat(FederationBench.steadyRate(new long[5])).isNaN();
    long resume = 1_000_000L;
    var live = new ReplicationWatch.Joined(3, 3, new Histogram(3), new Histogram(3),
        new long[] {resume + 2_000_000, resume + 3_000_000, resume + 3_500_000},
        new long[] {resume - 500_000, resume + 2_800_000, resume + 3_400_000});
    assertThat(FederationBench.lagUnderOneSecond(live, resume)).isEqualTo(3.0);
    var never = new ReplicationWatch.Joined(1, 1, new Histogram(3), new Histogram(3), new long[] {resume + 2_000_000},
        new long[] {resume});
    assertThat(FederationBench.lagUnderOneSecond(never, resume)).isNull();
    // Owner times 0, 1, 6, 7 s; lags 10, 30, 100, 200 ms: medians per 5 s window.
    var growing = new ReplicationWatch.Joined(4, 4, new Histogram(3), new Histogram(3),
        new long[] {10_000, 1_030_000, 6_100_000, 7_200_000}, new long[] {0, 1_000_000, 6_000_000, 7_000_000});
    assertThat(FederationResults.lagByWindow(growing, 5)).containsExactly(30.0, 200.0);
  }

  private static FederationBench.Config parse(String... args) {
    FederationBenchCommand command = new FederationBenchCommand();
    new CommandLine(command).parseArgs(args);
    return command.config();
  }
}
