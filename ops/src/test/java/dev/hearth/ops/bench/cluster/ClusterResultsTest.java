package dev.hearth.ops.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.ops.OpsMain;
import dev.hearth.ops.bench.api.ApiResults;
import dev.hearth.ops.bench.realtime.ChatBench;
import dev.hearth.ops.bench.realtime.DeliveryLedger;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code hearth bench cluster} without processes: CPU per delivery, the failover verdicts, bad options. */
class ClusterResultsTest {

  private static final ClusterBench.Config CONFIG = new ClusterBench.Config(EnumSet.allOf(ClusterBench.Part.class), 16,
      1000, 20, Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofSeconds(10), 3, Duration.ofSeconds(5),
      Path.of("target"), Path.of("chat.jar"), List.of("-Xmx512m"));

  private static ChatBench.Run run(double perSecond, int sent, long missed, Map<String, Double> cpu) {
    var posts = new ApiResults.Run("post", 16, 100, 0, Map.of(), null, 1, perSecond, 10, 20, 30, 40, 50, 12, null);
    Histogram h = new Histogram(DeliveryLedger.MAX_MICROS, 3);
    h.recordValue(5_000);
    return new ChatBench.Run(16, posts, new DeliveryLedger.Summary(100, 0, missed, 0, 0, h, h), 1.0, sent, cpu);
  }

  @Test
  void cpuIsPerThousandDeliveriesToAProcesssSubscribers_andPerThousandMessagesForTheOwner() {
    ClusterBench.Side cluster = new ClusterBench.Side("cluster, 1000 subscribers", run(500, 2_000, 0,
        Map.of("pa", 300.0, "pb", 1_000.0, "pc", 1_200.0)), Map.of("pb", 500, "pc", 500));
    ClusterBench.Side single = new ClusterBench.Side("single node, 1000 subscribers", run(400, 2_000, 0,
        Map.of("single", 2_000.0)), Map.of("single", 1000));
    ClusterBench.Report r = new ClusterBench.Report(CONFIG, List.of(single, cluster), null, Map.of());

    String table = ClusterResults.table(r);
    // pb: 1,000 ms for 2,000 messages x 500 subscribers = 1,000,000 deliveries -> 1.0 ms per 1,000.
    assertThat(table).contains("pb 1.0/1k deliveries (500 subs)").contains("pc 1.2/1k deliveries (500 subs)")
        .contains("pa 150.0/1k msgs").contains("single 1.0/1k deliveries (1000 subs)")
        .contains("cluster / single node, 1000 subscribers: 1.25x msgs/s");
    assertThat(ClusterResults.problems(r)).isEmpty();
    assertThat(ClusterResults.json(r).getBoolean("failed")).isFalse();
  }

  @Test
  void aSlowTakeOver_aLostPost_orAMissedDelivery_failTheRun() {
    ClusterBench.Failovers slow = new ClusterBench.Failovers(List.of(2_000.0, 3_000.0, 11_000.0), 500, 1, 0, null);
    ClusterBench.Side missed = new ClusterBench.Side("cluster, 1 subscriber", run(500, 100, 2, Map.of()), Map.of());
    ClusterBench.Report r = new ClusterBench.Report(CONFIG, List.of(missed), slow, Map.of());

    assertThat(ClusterResults.problems(r)).containsExactly("cluster, 1 subscriber: deliveries missed",
        "1 accepted posts lost", "a take-over took more than 10 s");
    JsonObject f = ClusterResults.json(r).getJsonObject("failover");
    assertThat(f.getDouble("p50Ms")).isEqualTo(3_000.0);
    assertThat(f.getDouble("maxMs")).isEqualTo(11_000.0);
    assertThat(ClusterResults.table(r)).contains("p50 3,000 ms").contains("[NO! goal <= 10 s]");

    ClusterBench.Failovers fast = new ClusterBench.Failovers(List.of(2_000.0, 3_000.0), 500, 0, 0, null);
    assertThat(ClusterResults.problems(new ClusterBench.Report(CONFIG, List.of(), fast, Map.of()))).isEmpty();
  }

  @Test
  void badOptions_exit2() {
    CommandLine cl = new CommandLine(new OpsMain()).setErr(new PrintWriter(new StringWriter()))
        .setOut(new PrintWriter(new StringWriter()));
    assertThat(cl.execute("bench", "cluster", "--parts", "chat,nope")).isEqualTo(2);
    assertThat(cl.execute("bench", "cluster", "--kills", "0")).isEqualTo(2);
    assertThat(cl.execute("bench", "cluster", "--lease-ttl", "100ms")).isEqualTo(2);
    assertThat(cl.execute("bench", "cluster", "--users", "1")).isEqualTo(2);
  }
}
