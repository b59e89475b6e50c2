package dev.hearth.kernel.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hearth.admin.v1.BackupService}: a sys-admin backs the node up into its configured target over the API. */
class BackupServiceIT {

  @TempDir Path tmp;

  @Test
  void sysAdmin_makesListsAndVerifiesBackups_inTheConfiguredTarget_othersAreRefused() throws Exception {
    Path target = tmp.resolve("backups");
    try (TestNode node = TestNode.start(tmp, o -> o.setBackup(new JsonObject().put("target", target.toString())))) {
      node.createSysAdmin("root@backup.test", "root-password-1");
      String admin = logIn(node, "root@backup.test", "root-password-1");
      String user = node.signUp("user@backup.test", "user-password-1");
      node.rest.post("/v1/orgs", user, new JsonObject().put("name", "Kept")).ok();

      assertThat(node.rest.get("/v1/admin/backups", admin).ok().getJsonArray("backups")).isEmpty();
      JsonObject full = node.rest.post("/v1/admin/backups", admin, new JsonObject()).ok();
      assertThat(full.getString("kind")).isEqualTo("full");
      node.rest.post("/v1/orgs", user, new JsonObject().put("name", "Later")).ok();
      JsonObject incremental = node.rest.post("/v1/admin/backups", admin, new JsonObject()).ok();
      assertThat(incremental.getString("kind")).isEqualTo("incremental");
      assertThat(incremental.getString("parent")).isEqualTo(full.getString("id"));
      assertThat(Files.isDirectory(target.resolve(incremental.getString("id")))).isTrue();

      JsonObject list = node.rest.get("/v1/admin/backups", admin).ok();
      assertThat(list.getJsonArray("backups").stream().map(b -> ((JsonObject) b).getString("id")))
          .containsExactly(incremental.getString("id"), full.getString("id"));
      assertThat(list.getString("target")).contains("backups");

      JsonObject verified = node.rest.post("/v1/admin/backups/" + incremental.getString("id") + "/verify", admin,
          new JsonObject()).ok();
      assertThat(verified.getBoolean("ok")).isTrue();
      assertThat(verified.getJsonArray("chain")).containsExactly(full.getString("id"), incremental.getString("id"));
      assertThat(Long.parseLong(verified.getString("events"))).isPositive();
      assertThat(node.rest.post("/v1/admin/backups/nope/verify", admin, new JsonObject()).status()).isEqualTo(404);

      assertThat(node.rest.get("/v1/admin/backups", user).status()).isEqualTo(403);
      assertThat(node.rest.post("/v1/admin/backups", user, new JsonObject()).status()).isEqualTo(403);
      List<String> audited = node.rest.get("/v1/admin/audit?query=CreateBackup", admin).ok().getJsonArray("events").stream()
          .map(e -> ((JsonObject) e).getString("target")).toList();
      assertThat(audited).containsExactlyInAnyOrder("backup " + full.getString("id"), "backup " + incremental.getString("id"));
    }
  }

  private static String logIn(TestNode node, String email, String password) throws Exception {
    TestRest.Response r = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", email).put("password", password));
    return r.ok().getString("accessToken");
  }
}
