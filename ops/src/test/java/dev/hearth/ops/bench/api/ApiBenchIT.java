package dev.hearth.ops.bench.api;

import static dev.hearth.testkit.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.node.Node;
import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.ops.OpsMain;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hearth bench api} against a real node started in this JVM, with tiny settings: a smoke test, not a measurement. */
class ApiBenchIT {

  @TempDir Path tmp;

  @Test
  void everyScenario_completesRequests_withoutErrors() throws Exception {
    Vertx vertx = Vertx.vertx();
    Node node = await(Node.start(vertx, new NodeOptions().setPort(0).setHost("127.0.0.1")
        .setDataDir(tmp.resolve("data")).setMasterKeyFile(tmp.resolve("master.key"))
        .setIdentity(new JsonObject().put("authAttemptsPerAddress", 1_000_000))));
    try {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = new CommandLine(new OpsMain()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
          .execute("bench", "api", "--url", "http://127.0.0.1:" + node.port(), "--users", "2", "--concurrency", "2",
              "--duration", "1s", "--warmup", "0", "--json");
      assertThat(code).as("exit code; stderr:%n%s", err).isZero();
      assertThat(err.toString()).contains("setup: 2 of 2 users signed up");

      JsonObject report = new JsonObject(out.toString());
      assertThat(report.getString("benchmark")).isEqualTo("api");
      assertThat(report.getBoolean("failed")).isFalse();
      assertThat(report.getJsonObject("config").getInteger("users")).isEqualTo(2);
      assertThat(report.getJsonObject("config").getInteger("concurrency")).isEqualTo(2);
      assertThat(report.getDouble("setupSeconds")).isPositive();
      JsonArray scenarios = report.getJsonArray("scenarios");
      assertThat(scenarios.stream().map(o -> ((JsonObject) o).getString("scenario"))).containsExactly("health", "read", "login");
      for (Object o : scenarios) {
        JsonObject s = (JsonObject) o;
        String name = s.getString("scenario");
        assertThat(s.fieldNames()).as(name).containsAll(List.of("requests", "errors", "errorRate", "errorsByKind", "seconds",
            "perSecond", "p50Ms", "p90Ms", "p99Ms", "p999Ms", "maxMs", "meanMs", "p50VsHealth", "p99VsHealth"));
        assertThat(s.getLong("requests")).as(name + " requests").isPositive();
        assertThat(s.getLong("errors")).as(name + " errors: " + s.getJsonObject("errorsByKind") + " " + s.getString("firstError")).isZero();
        assertThat(s.getDouble("perSecond")).as(name + " req/s").isPositive();
        assertThat(s.getDouble("maxMs")).as(name + " max").isGreaterThanOrEqualTo(s.getDouble("p99Ms"));
        assertThat(s.getDouble("p99Ms")).as(name + " p99").isGreaterThanOrEqualTo(s.getDouble("p50Ms"));
        assertThat(s.getDouble("p50VsHealth")).as(name + " p50/health").isPositive();
      }
      assertThat(scenarios.getJsonObject(0).getDouble("p50VsHealth")).isEqualTo(1.0);
    } finally {
      try {
        await(node.close());
      } finally {
        await(vertx.close());
      }
    }
  }
}
