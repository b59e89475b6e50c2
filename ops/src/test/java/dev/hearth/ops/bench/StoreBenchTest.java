package dev.hearth.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.ops.OpsMain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code hearth bench store} with tiny numbers: a smoke test, not a measurement. */
class StoreBenchTest {

  private static final List<String> CONTENDERS = List.of("mapdb", "sqlite", "hearth");

  @Test
  void tinyRun_reportsPositiveThroughputForEveryContender_andDeletesItsStores(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "bench", "store", "--sizes", "200", "--writers", "1,4", "--read-threads", "1",
        "--mixed-writers", "2", "--duration", "300ms", "--warmup", "0", "--contenders", String.join(",", CONTENDERS),
        "--dir", dir.toString(), "--json");

    assertThat(code).as("exit code; stderr:%n%s", err).isZero();
    JsonObject report = new JsonObject(out.toString());
    JsonObject size = report.getJsonArray("sizes").getJsonObject(0);
    assertThat(size.getInteger("size")).isEqualTo(200);
    for (String name : CONTENDERS) {
      JsonObject c = size.getJsonObject("contenders").getJsonObject(name);
      assertThat(c).as(name).isNotNull();
      assertThat(c.getString("error")).as(name + " error").isNull();
      JsonArray writes = c.getJsonArray("writes");
      assertThat(writes.size()).as(name + " write measurements").isEqualTo(2);
      for (int i = 0; i < writes.size(); i++) {
        JsonObject w = writes.getJsonObject(i);
        assertThat(w.getDouble("perSecond")).as(name + " writes/s at " + w.getInteger("writers")).isPositive();
        assertThat(w.getDouble("maxMs")).as(name + " max latency").isGreaterThanOrEqualTo(w.getDouble("p50Ms"));
      }
      assertThat(c.getJsonArray("reads").getJsonObject(0).getDouble("perSecond")).as(name + " reads/s").isPositive();
      assertThat(c.getDouble("scansPerSecond")).as(name + " scans/s").isPositive();
      JsonObject mixed = c.getJsonObject("readsWhileWriting");
      assertThat(mixed.getDouble("readsPerSecond")).as(name + " reads/s while writing").isPositive();
      assertThat(mixed.getDouble("writesPerSecond")).as(name + " writes/s while reading").isPositive();
      assertThat(c.getLong("recordsAtEnd")).as(name + " records").isGreaterThan(200L);
    }
    assertThat(size.getJsonObject("ratios").fieldNames()).contains("writes/s 1w", "writes/s 4w", "reads/s 1t", "scans/s",
        "reads/s during 2w");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).as("stores left behind").isEmpty();
    }
  }

  @Test
  void tableOutput_showsRatiosAndTheTargetVerdict(@TempDir Path dir) {
    StringWriter out = new StringWriter();
    int code = run(out, new StringWriter(), "bench", "store", "--sizes", "100", "--writers", "1",
        "--read-threads", "1", "--mixed-writers", "0", "--duration", "100ms", "--warmup", "0", "--contenders", "sqlite,mapdb",
        "--dir", dir.toString());

    assertThat(code).isZero();
    assertThat(out.toString()).contains("== store size 100 records", "writes/s, 1 writer", "p99.9 ms",
        "scans/s, newest 50", "target at 100 records: NOT EVALUATED", "TARGET");
  }

  @Test
  void help_describesTheOptions() {
    StringWriter out = new StringWriter();
    assertThat(run(out, new StringWriter(), "bench", "store", "--help")).isZero();
    assertThat(out.toString()).contains("--sizes", "--writers", "--duration", "--value-bytes", "--dir",
        "--contenders", "--json");
  }

  @Test
  void unknownContender_isAUsageError() {
    StringWriter err = new StringWriter();
    assertThat(run(new StringWriter(), err, "bench", "store", "--contenders", "redis")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown contender 'redis'");
  }

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cli = new CommandLine(new OpsMain());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }
}
