package dev.hearth.ops.bench.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.ops.OpsMain;
import dev.hearth.ops.bench.api.ApiResults;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code hearth bench telemetry} without nodes: medians, ratios to off (plain and paired per round), bad options. */
class TelemetryResultsTest {

  private static TelemetryBench.Measurement m(TelemetryMode mode, int round, double perSecond, double cpuMs) {
    var posts = new ApiResults.Run("post", 16, 100, 0, Map.of(), null, 1, perSecond, 10, 20, 30, 40, 50, 12,
        null);
    Histogram h = new Histogram(DeliveryLedger.MAX_MICROS, 3);
    h.recordValue(5_000);
    return new TelemetryBench.Measurement(mode, round, posts, new DeliveryLedger.Summary(100, 0, 0, 0, 0, h, h), 2, null, cpuMs);
  }

  @Test
  void summaries_takeMediansOverRounds_andPairRatiosWithinARound() {
    TelemetryBench.Config c = new TelemetryBench.Config(10, 4, 2, Duration.ofSeconds(1), Duration.ZERO, 100, Duration.ZERO, 3,
        Duration.ofSeconds(5), Path.of("chat.jar"), Path.of("."));
    TelemetryBench.Report r = new TelemetryBench.Report(c, List.of(
        m(TelemetryMode.OFF, 0, 100, 1.0), m(TelemetryMode.METRICS, 0, 90, 1.1), m(TelemetryMode.TRACING, 0, 80, 1.2),
        m(TelemetryMode.OFF, 1, 200, 1.0), m(TelemetryMode.METRICS, 1, 200, 1.0), m(TelemetryMode.TRACING, 1, 150, 1.5),
        m(TelemetryMode.OFF, 2, 300, 2.0), m(TelemetryMode.METRICS, 2, 270, 2.0), m(TelemetryMode.TRACING, 2, 330, 2.2)), 5, 1000);

    List<TelemetryResults.Summary> s = TelemetryResults.summarize(r);

    assertThat(s).extracting(TelemetryResults.Summary::perSecond).containsExactly(200.0, 200.0, 150.0);
    assertThat(s.get(1).pairedThroughput()).isEqualTo(0.9); // 0.9, 1.0, 0.9
    assertThat(s.get(2).pairedThroughput()).isEqualTo(0.8); // 0.8, 0.75, 1.1
    assertThat(s.get(2).pairedCpu()).isEqualTo(1.2);
    JsonObject json = TelemetryResults.json(r);
    assertThat(json.getJsonArray("modes").getJsonObject(2).getJsonObject("ratioToOff").getDouble("messagesPerSecond")).isEqualTo(0.75);
    assertThat(json.getJsonArray("measurements")).hasSize(9);
    assertThat(TelemetryResults.problems(r)).isEmpty();
    assertThat(TelemetryResults.table(r)).contains("metrics+tracing");
  }

  @Test
  void badOptions_areUsageErrors() {
    CommandLine cl = new CommandLine(new OpsMain());
    cl.setErr(new PrintWriter(new StringWriter(), true));
    assertThat(cl.execute("bench", "telemetry", "--rounds", "0")).isEqualTo(2);
    assertThat(cl.execute("bench", "telemetry", "--senders", "0")).isEqualTo(2);
    assertThat(cl.execute("bench", "telemetry", "--scrape-every", "0s")).isEqualTo(2);
  }
}
