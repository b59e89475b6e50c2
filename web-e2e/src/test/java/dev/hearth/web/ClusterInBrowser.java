package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.Waits;
import dev.hearth.testkit.nats.NatsServerProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The admin console's cluster page ({@code ui-schemas/web/e2e/cluster.test.mjs}) against nodes of
 * its own: a single node, and a cluster of two processes ({@code pa}, {@code pb}, both allowed to
 * own chat) on a nats-server of their own, in this JVM; pb starts with pa's master key and keysets,
 * as the processes of a cluster must (the move's messages are MACed with the shared keyset
 * {@code cluster-calls}). Chat's durability is {@code local}: a move hands over the right to write
 * only (docs/cluster.md).
 * The script moves chat in the page; {@link #check} reads the lease back from the node.
 */
final class ClusterInBrowser implements AutoCloseable {

  static final String ROOT_EMAIL = "root@cluster.web.test";
  static final String ROOT_PASSWORD = "root-password-1";
  private final NatsServerProcess nats;
  private TestNode single;
  private TestNode a;
  private TestNode b;
  private String root;
  final Browser.Job job;

  ClusterInBrowser(Path dir, Path shots) throws Exception {
    nats = NatsServerProcess.builder(dir.resolve("nats"), "cluster-web").start();
    try {
      single = TestNode.start(dir.resolve("single"));
      single.createSysAdmin(ROOT_EMAIL, ROOT_PASSWORD);
      a = member(dir.resolve("a"), "pa");
      copyKeys(dir.resolve("a"), dir.resolve("b"));
      b = member(dir.resolve("b"), "pb");
      a.createSysAdmin(ROOT_EMAIL, ROOT_PASSWORD);
      root = TwoMembers.logIn(a, ROOT_EMAIL, ROOT_PASSWORD);
      Waits.until("pa and pb in placement, chat owned", Duration.ofSeconds(30), () -> {
        JsonObject s = a.rest.get("/v1/cluster/status", root).ok();
        return s.getJsonArray("processes", new JsonArray()).size() == 2 && holder(s) != null;
      });
      job = Browser.Job.script("cluster", "e2e/cluster.test.mjs", Map.of(
          "HEARTH_URL", "http://127.0.0.1:" + a.port(), "HEARTH_URL_SINGLE", "http://127.0.0.1:" + single.port(),
          "HEARTH_ROOT_EMAIL", ROOT_EMAIL, "HEARTH_ROOT_PASSWORD", ROOT_PASSWORD, "HEARTH_SCREENSHOTS", shots.toString()));
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  private TestNode member(Path dir, String id) {
    TestNode node = TestNode.start(dir, options -> options.setCluster(new JsonObject().put("natsUrls", nats.url())
        .put("processId", id).put("owns", new JsonArray().add("chat")).put("durability", "local").put("kernel", "local")
        .put("leaseTtlMillis", 2000).put("renewMillis", 400).put("marginMillis", 400)));
    node.installModule(Browser.chatJar());
    return node;
  }

  /** The master key and keysets of one node's directory, copied into another's before it starts. */
  private static void copyKeys(Path from, Path to) throws IOException {
    Files.createDirectories(to.resolve("data").resolve("keys"));
    Files.copy(from.resolve("master.key"), to.resolve("master.key"));
    try (Stream<Path> files = Files.list(from.resolve("data").resolve("keys"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, to.resolve("data").resolve("keys").resolve(f.getFileName()));
      }
    }
  }

  private static String holder(JsonObject status) {
    for (Object o : status.getJsonArray("leases", new JsonArray())) {
      JsonObject lease = (JsonObject) o;
      if (lease.getString("store").equals("chat")) return lease.getString("holder");
    }
    return null;
  }

  /** The page moved chat to the other process: its lease names that process now. */
  void check(Browser.Result run) throws Exception {
    assertThat(run.exitCode()).as("e2e/cluster.test.mjs failed:%n%s", run.output()).isZero();
    Matcher moved = Pattern.compile("MOVED chat (\\S+) (\\S+)").matcher(run.output());
    assertThat(moved.find()).as(run.output()).isTrue();
    assertThat(holder(a.rest.get("/v1/cluster/status", root).ok())).isEqualTo(moved.group(2));
  }

  @Override
  public void close() {
    for (TestNode n : new TestNode[] {a, b, single}) {
      if (n != null) n.close();
    }
    nats.close();
  }
}
