package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Keeps the web client's benchmark ({@code ui-schemas/web/bench/web-bench.mjs}) from rotting: a tiny
 * run (10 messages, a 200-message channel, no 10,000-message one) against {@link WebTasksIT}'s shared
 * node (it signs up people of its own), checking only the shape of its JSON: every figure is there and
 * is a number. Speed is the benchmark's business (docs/benchmarks.md, on a quiet node), never a bound here.
 */
final class WebBench {

  final Browser.Job job;

  WebBench(TestNode node) {
    // As `npm run bench -- <args>` runs it.
    job = new Browser.Job("bench", List.of("node", "bench/web-bench.mjs", "--url", "http://127.0.0.1:" + node.port(),
        "--messages", "10", "--history", "200", "--big", "0", "--json"), Map.of());
  }

  /** A tiny bench run reports every figure. */
  void check(Browser.Result run) {
    assertThat(run.exitCode()).as("the bench failed:%n%s", run.output()).isZero();
    String line = run.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no JSON line in:\n" + run.output()));
    JsonObject r = new JsonObject(line);
    JsonObject send = r.getJsonObject("sendToVisible");
    assertThat(send.getInteger("count")).isEqualTo(10);
    assertNumbers(send, "p50", "p99", "max", "min");
    JsonObject load = r.getJsonObject("firstLoad");
    assertNumbers(load, "signInScreenJsGzipBytes", "channelJsGzipBytes", "allChunksJsGzipBytes",
        "signInToChannelRenderedMs", "reloadToCardRenderedMs", "reloadToMessagesRenderedMs");
    assertThat(load.getInteger("historyMessages")).isEqualTo(200);
    assertThat(load.getInteger("renderedMessages")).isPositive();
    assertThat(load.getLong("channelJsGzipBytes")).isGreaterThan(load.getLong("signInScreenJsGzipBytes"));
    JsonObject switching = r.getJsonObject("switching");
    assertThat(switching.getInteger("switches")).isEqualTo(10);
    assertNumbers(switching.getJsonObject("channelSwitchMs"), "p50", "p99", "max", "min");
    assertThat(switching.containsKey("bigChannel")).isFalse();
    assertThat(r.getJsonArray("loadAverage")).hasSize(3);
  }

  private static void assertNumbers(JsonObject o, String... keys) {
    for (String k : keys) {
      assertThat(o.getValue(k)).as("%s in %s", k, o).isInstanceOf(Number.class);
    }
  }
}
