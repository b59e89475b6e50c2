package dev.hearth.ops.bench.realtime;

import static dev.hearth.testkit.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.node.Node;
import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.ops.OpsMain;
import dev.hearth.ops.bench.ModuleJar;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code hearth bench chat} and {@code hearth bench ws-idle} run once each with tiny settings against
 * one node in this JVM (with the built chat jar and the relaxed limits their help asks for), so the
 * tools cannot rot unseen: every delivery seen once, every connection opened, and JSON of the
 * documented shape. Not a measurement: the figures are the benchmarks' output (docs/benchmarks.md).
 */
class RealtimeBenchesIT {

  @TempDir static Path tmp;
  private static Vertx vertx;
  private static Node node;
  private static String url;

  @BeforeAll
  static void startNode() throws Exception {
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    Path chat = ModuleJar.find("chat", null);
    Files.copy(chat, plugins.resolve(chat.getFileName()));
    vertx = Vertx.vertx();
    node = await(Node.start(vertx, new NodeOptions().setPort(0).setHost("127.0.0.1")
        .setDataDir(tmp.resolve("data")).setMasterKeyFile(tmp.resolve("master.key")).setPluginsDir(plugins)
        .setIdentity(new JsonObject(ChatBenchCommand.RELAXED_CONFIG).getJsonObject("identity"))));
    url = "http://127.0.0.1:" + node.port();
  }

  @AfterAll
  static void stopNode() throws Exception {
    try {
      await(node.close());
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void chat_aTinyRun_deliversEveryMessageToEverySubscriberOnce_andReportsTheStoreCeiling() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new OpsMain()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("bench", "chat", "--url", url, "--subscribers", "4", "--senders", "1,2", "--users", "3",
            "--duration", "500ms", "--warmup", "100ms", "--drain", "5s", "--store-size", "500",
            "--store-duration", "500ms", "--dir", tmp.resolve("chat-bench").toString(), "--json");
    assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isZero();

    JsonObject r = new JsonObject(out.toString());
    assertThat(r.getString("benchmark")).isEqualTo("chat");
    assertThat(r.getBoolean("failed")).as("problems: %s", r.getJsonArray("problems")).isFalse();
    assertThat(r.getInteger("subscribersOpen")).isEqualTo(4);
    JsonArray runs = r.getJsonArray("runs");
    assertThat(runs).hasSize(2);
    for (int i = 0; i < runs.size(); i++) {
      JsonObject run = runs.getJsonObject(i);
      assertThat(run.getInteger("senders")).isEqualTo(i + 1);
      assertThat(run.getLong("measuredMessages")).as("run %s", i).isPositive();
      assertThat(run.getLong("missedDeliveries")).as("run %s", i).isZero();
      assertThat(run.getLong("duplicates")).as("run %s", i).isZero();
      assertThat(run.getDouble("deliveriesPerSecond"))
          .isEqualTo(Math.round(run.getDouble("messagesPerSecond") * 4 * 10) / 10.0, Offset.offset(1.0));
      JsonObject lat = run.getJsonObject("commitToLastMs");
      assertThat(lat.getLong("count")).isEqualTo(run.getLong("measuredMessages"));
      assertThat(lat.getDouble("p50")).isLessThanOrEqualTo(lat.getDouble("p99"));
      assertThat(lat.getDouble("p99")).isLessThanOrEqualTo(lat.getDouble("max"));
    }
    assertThat(r.getValue("storeCeiling")).as("store ceiling; error: %s", r.getValue("storeCeilingError")).isNotNull();
    // The bare Vert.x broadcast server, same subscribers and senders: every delivery seen once there too.
    JsonArray ws = r.getJsonArray("wsCeiling");
    assertThat(ws).as("WebSocket ceiling; error: %s", r.getValue("wsCeilingError")).hasSize(2);
    for (int i = 0; i < ws.size(); i++) {
      JsonObject c = ws.getJsonObject(i);
      assertThat(c.getInteger("senders")).isEqualTo(i + 1);
      assertThat(c.getLong("missedDeliveries")).as("ceiling run %s", i).isZero();
      assertThat(c.getDouble("deliveriesPerSecond")).isPositive();
      assertThat(c.getDouble("nodeOverCeiling")).isPositive();
      assertThat(c.getDouble("goal")).isEqualTo(0.6);
    }
  }

  @Test
  void startup_aTinyRun_timesTheBareServerAndTheNodeColdAndWarm() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new OpsMain()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("bench", "startup", "--runs", "1", "--modules", "chat", "--jvm-options", "-Xmx256m -XX:TieredStopAtLevel=1",
            "--dir", tmp.toString(), "--json");
    assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isZero();

    JsonObject r = new JsonObject(out.toString());
    assertThat(r.getString("benchmark")).isEqualTo("startup");
    assertThat(r.getBoolean("failed")).as("error: %s", r.getValue("error")).isFalse();
    JsonArray summary = r.getJsonArray("summary");
    assertThat(summary.stream().map(o -> ((JsonObject) o).getString("kind"))).containsExactly("bare", "node_cold", "node_warm");
    for (int i = 0; i < summary.size(); i++) {
      JsonObject s = summary.getJsonObject(i);
      assertThat(s.getInteger("runs")).isEqualTo(1);
      assertThat(s.getDouble("wallP50Ms")).as("%s", s).isPositive();
      assertThat(s.getDouble("cpuP50Ms")).as("%s", s).isPositive();
      assertThat(s.getDouble("wallOverBare")).as("%s", s).isPositive();
    }
    assertThat(r.getJsonObject("target").getJsonArray("checks")).hasSize(2);
  }

  @Test
  void wsIdle_aTinyRun_opensAndHoldsEveryConnection_andReadsTheNodesMemory() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new OpsMain()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("bench", "ws-idle", "--url", url, "--connections", "40", "--users", "2", "--connect-rate", "200",
            "--hold", "200ms", "--data", tmp.resolve("data").toString(), "--json");
    assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isZero();

    JsonObject r = new JsonObject(out.toString());
    assertThat(r.getString("benchmark")).isEqualTo("ws-idle");
    assertThat(r.getBoolean("failed")).as("problems: %s", r.getJsonArray("problems")).isFalse();
    assertThat(r.getInteger("opened")).isEqualTo(40);
    assertThat(r.getJsonObject("closedByNode")).isEmpty();
    JsonObject open = r.getJsonObject("open");
    assertThat(open.getLong("realtimeConnections")).isGreaterThanOrEqualTo(40);
    assertThat(r.getJsonObject("closed").getLong("realtimeConnections")).isLessThan(open.getLong("realtimeConnections"));
    for (String phase : new String[] {"before", "open", "closed"}) {
      assertThat(r.getJsonObject(phase).getLong("heapUsedBytes")).as(phase).isPositive();
      assertThat(r.getJsonObject(phase).getLong("rssBytes")).as(phase).isPositive();
    }
    assertThat(r.containsKey("heapBytesPerConnection")).isTrue();
    assertThat(r.containsKey("rssBytesPerConnection")).isTrue();
  }
}
