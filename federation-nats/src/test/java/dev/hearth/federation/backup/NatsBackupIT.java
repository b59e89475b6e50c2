package dev.hearth.federation.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.Main;
import dev.hearth.testkit.nats.NatsServerProcess;
import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups kept in a JetStream object store bucket of a real nats-server: taken, listed, verified, restored. */
class NatsBackupIT {

  @TempDir Path tmp;

  @Test
  void aChainInAnObjectStoreBucket_restoresTheNode() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.builder(tmp.resolve("nats"), "backups").start()) {
      String bucket = nats.url() + "/hearth-backups";
      try (TestNode node = TestNode.start(tmp.resolve("a"))) {
        String data = node.dir.resolve("data").toString();
        node.signUp("first@example.org", "a-long-password-1");
        String[] full = cli("backup", "create", "--to", bucket, "--data", data);
        assertThat(full[0]).as(full[2]).isEqualTo("0");
        node.signUp("second@example.org", "a-long-password-2");
        String[] incr = cli("backup", "create", "--to", bucket, "--data", data);
        assertThat(incr[0]).as(incr[2]).isEqualTo("0");
        assertThat(new JsonObject(incr[1]).getString("kind")).isEqualTo("incremental");
      }
      String[] list = cli("backup", "list", "--from", bucket);
      assertThat(list[0]).as(list[2]).isEqualTo("0");
      JsonArray backups = new JsonArray(list[1]);
      assertThat(backups).hasSize(2);
      assertThat(backups.getJsonObject(0).getString("kind")).isEqualTo("full");

      String[] verify = cli("backup", "verify", "--from", bucket, "--decrypt", "--master-key-file",
          tmp.resolve("a/master.key").toString());
      assertThat(verify[0]).as(verify[1] + verify[2]).isEqualTo("0");

      Path b = tmp.resolve("b");
      String[] restore = cli("restore", "--from", bucket, "--data", b.resolve("data").toString());
      assertThat(restore[0]).as(restore[2]).isEqualTo("0");
      Files.copy(tmp.resolve("a/master.key"), b.resolve("master.key"));
      try (TestNode restored = TestNode.start(b)) {
        // Both accounts came back: the second one only from the incremental backup.
        for (String[] who : new String[][] {{"first@example.org", "a-long-password-1"}, {"second@example.org", "a-long-password-2"}}) {
          assertThat(restored.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", who[0]).put("password", who[1]))
              .status()).as(who[0]).isEqualTo(200);
        }
      }
    }
  }

  @Test
  void anUnreachableServer_isAClearError() {
    String[] r = cli("backup", "list", "--from", "nats://127.0.0.1:1/hearth-backups");
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[2]).contains("UNAVAILABLE").contains("nats://127.0.0.1:1/hearth-backups");
  }

  private static String[] cli(String... args) {
    return Main.run(Map.of(), args);
  }
}
