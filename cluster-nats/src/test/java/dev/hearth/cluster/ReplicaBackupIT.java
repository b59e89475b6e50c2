package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.config.RunFiles;
import dev.hearth.testkit.TestRest;
import dev.hearth.testkit.Waits;
import dev.hearth.testkit.nats.NatsServerProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22 item 7, "backups taken from any replica; metrics per process" (docs/cluster.md "Backups"
 * and "Metrics"): two {@code hearth serve} JVMs on a nats-server, the kernel store shared; pa owns
 * every store, pb is a front that owns nothing. Each process's {@code /metrics} shows its own part
 * (pa owns chat and kernel, pb forwards writes and follows their logs). Then pb is frozen while 60
 * more messages are written on pa, thawed, and at once asked for a backup (what {@code hearth backup
 * create} sends to the node on its data directory): the backup waits for pb's copies, and restored
 * into an empty directory it serves, as a single node, alice's log-in, her project and every message
 * the owner acknowledged, each once.
 */
class ReplicaBackupIT {

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aFrontsBackupHoldsEveryAcknowledgedWrite_andEachProcessExportsItsClusterMeters() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.builder(dir.resolve("nats"), "backup").start()) {
      JsonObject base = new JsonObject().put("natsUrls", nats.url()).put("kernel", "shared")
          .put("leaseTtlMillis", 2000).put("renewMillis", 400).put("marginMillis", 400);
      ClusterProcess a = new ClusterProcess(dir.resolve("a"), "pa", base.copy().put("owns", new JsonArray().add("*")));
      ClusterProcess b = null;
      Process single = null;
      try {
        b = new ClusterProcess(dir.resolve("b"), "pb", base.copy().put("owns", new JsonArray()), a);
        ClusterProcess front = b;
        String alice = ClusterClients.signUp(b, "alice@backup.test");
        String org = b.rest.post("/v1/orgs", alice, new JsonObject().put("name", "Org")).ok().getString("id");
        String project = b.rest.post("/v1/orgs/" + org + "/projects", alice, new JsonObject().put("name", "P")).ok()
            .getString("id");
        String channel = b.rest.post("/v1/projects/" + project + "/chat/channels", alice,
            new JsonObject().put("name", "general").put("visibility", "PUBLIC")).ok().getString("id");
        String messages = "/v1/projects/" + project + "/chat/channels/" + channel + "/messages";
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          ClusterProcess via = i % 2 == 0 ? b : a;
          via.rest.post(messages, alice, new JsonObject().put("text", "m" + i)).ok();
          acknowledged.add("m" + i);
        }

        // Metrics per process: each tells its own part, labelled by store; the process id names it.
        Waits.until("pb's chat replica lag measured", Duration.ofSeconds(20),
            () -> value(metrics(front), "hearth_cluster_replica_lag_events", "store", "chat") != null);
        String am = metrics(a);
        String bm = metrics(b);
        assertThat(value(am, "hearth_cluster_process_info", "process", "pa")).isEqualTo(1.0);
        assertThat(value(bm, "hearth_cluster_process_info", "process", "pb")).isEqualTo(1.0);
        assertThat(value(am, "hearth_cluster_store_owned", "store", "chat")).isEqualTo(1.0);
        assertThat(value(am, "hearth_cluster_store_owned", "store", "kernel")).isEqualTo(1.0);
        assertThat(value(bm, "hearth_cluster_store_owned", "store", "chat")).isEqualTo(0.0);
        assertThat(value(bm, "hearth_cluster_store_owned", "store", "kernel")).isEqualTo(0.0);
        assertThat(value(am, "hearth_cluster_lease_remaining_seconds", "store", "chat")).isBetween(0.0, 2.0);
        assertThat(value(bm, "hearth_cluster_lease_remaining_seconds", "store", "chat")).isNull();
        assertThat(value(am, "hearth_cluster_lease_taken_total", "store", "chat")).isEqualTo(1.0);
        assertThat(value(bm, "hearth_cluster_replica_lag_events", "store", "chat")).isGreaterThanOrEqualTo(0.0);
        // pb forwarded its ten posts, the channel, and the kernel writes (sign-up, org, project) to pa.
        assertThat(value(bm, "hearth_cluster_forward_calls_total", "store", "chat")).isEqualTo(11.0);
        assertThat(value(bm, "hearth_cluster_forward_calls_total", "store", "kernel")).isGreaterThanOrEqualTo(3.0);
        assertThat(value(bm, "hearth_cluster_forward_failures_total", "store", "chat")).isNull();
        assertThat(value(am, "hearth_cluster_forward_calls_total", "store", "chat")).as("pa forwards nothing").isNull();

        // pb frozen while pa acknowledges 60 more; thawed, it is asked for a backup at once.
        b.signal("STOP");
        for (int i = 20; i < 80; i++) {
          a.rest.post(messages, alice, new JsonObject().put("text", "m" + i)).ok();
          acknowledged.add("m" + i);
        }
        b.signal("CONT");
        Path target = dir.resolve("backups");
        TestRest.Response taken = b.rest.call("POST", "/admin/v1/backups", b.adminToken(),
            new JsonObject().put("target", target.toString()).put("full", true));
        assertThat(taken.status()).as("backup on pb: %s", taken).isEqualTo(200);
        System.out.println("backup taken on front pb: " + taken.body().encode());

        // Restored into an empty directory and served by a single node (no cluster section).
        Path fresh = dir.resolve("restored");
        assertThat(cli(dir.resolve("restore.log"), "restore", "--from", target.toString(), "--data",
            fresh.resolve("data").toString())).as(Files.readString(dir.resolve("restore.log"))).isZero();
        single = serveSingle(fresh, dir.resolve("b/master.key"));
        TestRest rest = new TestRest(new RunFiles(fresh.resolve("data")).read().orElseThrow().port());
        String again = rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "alice@backup.test")
            .put("password", ClusterClients.PASSWORD)).ok().getString("accessToken");
        assertThat(rest.get("/v1/me", again).ok().encode()).as("the kernel data: alice's project").contains(project);
        Map<String, List<String>> restored = messagesByText(rest, again, messages);
        for (String text : acknowledged) {
          assertThat(restored.get(text)).as("acknowledged message %s once in the restored node", text).hasSize(1);
        }
        assertThat(restored.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged);
      } catch (AssertionError | Exception e) {
        System.out.println("---- log of pa\n" + a.log() + (b == null ? "" : "\n---- log of pb\n" + b.log()));
        throw e;
      } finally {
        if (single != null) {
          single.destroy();
          single.waitFor(20, TimeUnit.SECONDS);
        }
        a.close();
        if (b != null) b.close();
      }
    }
  }

  private String metrics(ClusterProcess p) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port() + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** The value of the series {@code name} whose label {@code label} is {@code value}; null when there is none. */
  static Double value(String exposition, String name, String label, String value) {
    Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*" + label + "=\"" + Pattern.quote(value) + "\"[^}]*\\} (\\S+)$")
        .matcher(exposition);
    return m.find() ? Double.parseDouble(m.group(1)) : null;
  }

  private static Map<String, List<String>> messagesByText(TestRest rest, String token, String messages) throws Exception {
    Map<String, List<String>> out = new HashMap<>();
    String after = "";
    while (true) {
      JsonObject page = rest.get(messages + "?limit=100&oldestFirst=true" + (after.isEmpty() ? "" : "&after=" + after), token).ok();
      for (Object o : page.getJsonArray("messages", new JsonArray())) {
        JsonObject m = (JsonObject) o;
        out.computeIfAbsent(m.getString("text"), t -> new ArrayList<>()).add(m.getString("id"));
      }
      after = page.getString("newerCursor", "");
      if (after.isEmpty()) return out;
    }
  }

  private static List<String> java(String... args) {
    return ChildJvm.command(List.of(args));
  }

  private static int cli(Path log, String... args) throws Exception {
    Process p = new ProcessBuilder(java(args)).redirectOutput(log.toFile()).redirectErrorStream(true).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  /** {@code hearth serve} on {@code dir/data} with the chat module and no cluster section: a single node. */
  private static Process serveSingle(Path dir, Path masterKey) throws Exception {
    Files.createDirectories(dir.resolve("plugins"));
    Files.copy(ClusterProcess.chatJar(), dir.resolve("plugins").resolve("chat.jar"));
    Path config = dir.resolve("hearth.json");
    Files.writeString(config, new JsonObject().put("pluginsDir", dir.resolve("plugins").toString()).encode());
    Process p = new ProcessBuilder(java("serve", "--port", "0", "--host", "127.0.0.1", "--data",
        dir.resolve("data").toString(), "--master-key-file", masterKey.toString(), "--config", config.toString()))
        .redirectOutput(dir.resolve("out.log").toFile()).redirectErrorStream(true).start();
    RunFiles run = new RunFiles(dir.resolve("data"));
    Waits.until("the restored single node serves", Duration.ofSeconds(120), () -> {
      assertThat(p.isAlive()).as("restored node exited: %s", Files.readString(dir.resolve("out.log"))).isTrue();
      return Files.exists(run.nodeFile()) && run.read().isPresent() && run.read().get().pid() == p.pid();
    });
    return p;
  }
}
