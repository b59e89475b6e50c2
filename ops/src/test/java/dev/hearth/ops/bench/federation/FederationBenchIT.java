package dev.hearth.ops.bench.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.ops.OpsMain;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code hearth bench federation} run once with tiny settings (two in-process nodes, two nats-server
 * processes, the built chat jar), so the tool cannot rot unseen: it must finish without problems and
 * the JSON it prints on stdout must have every section. A smoke test of the tool, not a measurement: no figure is held
 * to a bound.
 */
class FederationBenchIT {

  @TempDir Path tmp;

  @Test
  void aTinyRun_finishes_andItsJsonHasEverySection() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new OpsMain()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("bench", "federation", "--rate", "20", "--seconds", "1s", "--warmup", "0", "--backlog", "200",
            "--backlog-senders", "4", "--live-rate", "5", "--users", "2", "--ceiling-seconds", "500ms",
            "--ceiling-window", "64", "--max-in-flight", "8", "--catch-up-timeout", "2m", "--dir", tmp.toString());
    assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isZero();

    JsonObject r = new JsonObject(out.toString());
    assertThat(r.getString("benchmark")).isEqualTo("federation");
    assertThat(r.getBoolean("failed")).isFalse();
    assertThat(r.getJsonArray("problems")).isEmpty();
    assertThat(r.getJsonObject("natsCeiling")).isNotNull();
    JsonObject lag = r.getJsonObject("lag");
    assertThat(lag.getLong("written")).isPositive();
    assertThat(lag.getLong("replicated")).isEqualTo(lag.getLong("written"));
    assertThat(lag.getJsonObject("posts").getLong("errors")).isZero();
    JsonObject catchUp = r.getJsonObject("catchUp");
    assertThat(catchUp.getLong("backlogWritten")).isPositive();
    assertThat(catchUp.getLong("replicated")).isEqualTo(catchUp.getLong("backlogWritten"));
    assertThat(catchUp.getJsonObject("live").getLong("replicated")).isEqualTo(catchUp.getJsonObject("live").getLong("written"));
  }
}
