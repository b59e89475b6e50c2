package dev.hearth.ops.bench.survey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.ops.OpsMain;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hearth bench survey} with tiny settings (its own node, the built survey jar): a smoke test, not a measurement. */
class SurveyBenchIT {

  @TempDir Path tmp;

  @Test
  void aShortLowRateRun_seesEveryAnswerInTheLiveCounts_andReportsConsistentFigures() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new OpsMain()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("bench", "survey", "--users", "5", "--rate", "20", "--duration", "2s", "--warmup", "500ms",
            "--dir", tmp.toString(), "--json");
    assertThat(code).as("exit code; stderr:%n%s", err).isZero();
    assertThat(err.toString()).contains("setup: done").contains("answer: ");

    JsonObject r = new JsonObject(out.toString());
    assertThat(r.getString("benchmark")).isEqualTo("survey");
    assertThat(r.getBoolean("failed")).isFalse();
    assertThat(r.getJsonObject("config").getInteger("users")).isEqualTo(5);
    JsonObject answers = r.getJsonObject("answers");
    // Shape and consistency only: how many answers a shared machine manages in 2 s, and how fast,
    // is the benchmark's output (docs/benchmarks.md), not something a test can hold it to.
    assertThat(answers.getLong("measured")).isPositive();
    assertThat(answers.getLong("acknowledged")).isEqualTo(answers.getLong("measured"));
    assertThat(answers.getLong("errors")).isZero();
    assertThat(r.getDouble("achievedPerSecond")).isPositive();
    assertThat(r.getLong("unseen")).isZero();
    assertThat(r.getLong("finalCount")).isEqualTo(answers.getLong("sent"));
    assertThat(r.getLong("storedCount")).isEqualTo(answers.getLong("sent"));
    for (String h : new String[] {"ackMs", "ackToResultsMs", "sendToResultsMs"}) {
      JsonObject p = r.getJsonObject(h);
      assertThat(p.getLong("count")).as(h).isEqualTo(answers.getLong("measured"));
      assertThat(p.getDouble("p50")).as(h).isGreaterThanOrEqualTo(0.0).isLessThanOrEqualTo(p.getDouble("p99"));
      assertThat(p.getDouble("p99")).as(h).isLessThanOrEqualTo(p.getDouble("max"));
    }
    assertThat(r.getJsonObject("sendToResultsMs").getDouble("max"))
        .isGreaterThanOrEqualTo(r.getJsonObject("ackToResultsMs").getDouble("max"));
  }

  @Test
  void help_describesTheMeasurement() {
    StringWriter out = new StringWriter();
    int code = new CommandLine(new OpsMain()).setOut(new PrintWriter(out)).execute("bench", "survey", "--help");
    assertThat(code).isZero();
    assertThat(out.toString()).contains("results.updated").contains("--rate").contains("--users").contains("--json");
  }
}
