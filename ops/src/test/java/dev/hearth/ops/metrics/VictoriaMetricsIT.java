package dev.hearth.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live node's metrics read back through a real VictoriaMetrics: it scrapes the node's
 * {@code /metrics} every second, and its query API returns the request and store-commit series
 * with non-zero values.
 */
class VictoriaMetricsIT {

  private static final Duration WAIT = Duration.ofSeconds(25);

  @TempDir Path tmp;

  @Test
  void victoriaMetrics_scrapesTheNode_andAnswersRequestAndStoreCommitSeries() throws Exception {
    try (TestNode node = TestNode.start(tmp.resolve("node"));
        VictoriaMetricsProcess vm = VictoriaMetricsProcess.start(tmp.resolve("vm"),
            List.of("127.0.0.1:" + node.port()), Duration.ofSeconds(1))) {
      for (int i = 0; i < 3; i++) {
        String token = node.signUp("user" + i + "@vm.test", "a-long-password-1"); // an RPC and a kernel commit each
        node.rest.get("/v1/me", token).ok();
      }

      double signUps = await(vm, "sum(hearth_rpc_requests_total{method=\"hearth.auth.v1.AuthService/SignUp\","
          + "transport=\"rest\",code=\"OK\"})", 3);
      double commits = await(vm, "sum(hearth_store_commits_total{store=\"kernel\"})", 3);

      assertThat(signUps).isEqualTo(3);
      assertThat(commits).isGreaterThanOrEqualTo(3);
      assertThat(vm.value("up{job=\"hearth\"}")).hasValue(1);
      assertThat(vm.value("process_uptime_seconds{job=\"hearth\"}")).isPresent();
      assertThat(vm.value("sum(rate(hearth_rpc_request_duration_seconds_count[1m]))")).isPresent();
    }
  }

  /** Queries until {@code promql} returns at least {@code atLeast}; fails after {@link #WAIT} with what it saw. */
  private static double await(VictoriaMetricsProcess vm, String promql, double atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      OptionalDouble v = vm.value(promql);
      if (v.isPresent() && v.getAsDouble() >= atLeast) return v.getAsDouble();
      last = vm.query(promql);
      Thread.sleep(250);
    }
    throw new AssertionError("VictoriaMetrics did not return " + promql + " >= " + atLeast + " within " + WAIT
        + "; last answer " + last + "; up=" + vm.query("up") + "\n" + vm.logTail());
  }
}
