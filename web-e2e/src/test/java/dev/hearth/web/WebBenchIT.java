package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the web client's benchmark ({@code ui-schemas/web/bench/web-bench.mjs}) from rotting: a tiny
 * run (10 messages, a 200-message channel, no 10,000-message one) against a node with the chat
 * module, checking only the shape of its JSON: every figure is there and is a number. Speed is the
 * benchmark's business (docs/benchmarks.md), never a bound here.
 */
class WebBenchIT {

  @TempDir Path tmp;

  @Test
  void aTinyBenchRunReportsEveryFigure() throws Exception {
    try (TestNode node = TestNode.start(tmp)) {
      node.installModule(Browser.chatJar());
      Browser.Result run = Browser.runBench(List.of("--url", "http://127.0.0.1:" + node.port(),
          "--messages", "10", "--history", "200", "--big", "0", "--json"), Map.of());

      assertThat(run.exitCode()).as("npm run bench failed:%n%s", run.output()).isZero();
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
  }

  private static void assertNumbers(JsonObject o, String... keys) {
    for (String k : keys) {
      assertThat(o.getValue(k)).as("%s in %s", k, o).isInstanceOf(Number.class);
    }
  }
}
