package dev.hearth.ops.bench.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.ops.OpsMain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code hearth bench telemetry} run once with tiny settings (three in-process nodes with the built
 * chat jar: metrics off, metrics, metrics and tracing), so the tool cannot rot unseen: no delivery
 * missed, the traced node exported, and the JSON has a row per mode. Not a measurement.
 */
class TelemetryBenchIT {

  @TempDir Path tmp;

  @Test
  void aTinyRun_missesNoDelivery_andItsJsonHasEveryMode() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new OpsMain()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("bench", "telemetry", "--subscribers", "5", "--senders", "2", "--users", "3", "--rounds", "1",
            "--duration", "1s", "--warmup", "200ms", "--scrape-every", "1s", "--drain", "10s", "--dir", tmp.toString(), "--json");
    assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isZero();

    JsonObject r = new JsonObject(out.toString());
    assertThat(r.getJsonObject("config").getInteger("subscribers")).isEqualTo(5);
    JsonArray modes = r.getJsonArray("modes");
    assertThat(modes).hasSize(3);
    JsonArray runs = r.getJsonArray("measurements");
    assertThat(runs).hasSize(3);
    for (int i = 0; i < runs.size(); i++) {
      JsonObject m = runs.getJsonObject(i);
      assertThat(m.getLong("missedDeliveries")).as(m.getString("mode")).isZero();
      assertThat(m.getJsonObject("posts").getLong("requests")).as(m.getString("mode")).isPositive();
      assertThat(m.getJsonObject("posts").getLong("errors")).as(m.getString("mode")).isZero();
    }
    assertThat(r.getJsonObject("traces").getLong("exports")).isPositive();
  }
}
