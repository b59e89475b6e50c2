package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user module's life in two browsers ({@code ui-schemas/web/e2e/usermodule.test.mjs}): installed
 * through the API, used live by two members, upgraded and removed, without a reload. Afterwards the
 * records the browsers made are read through the {@code hearth} CLI, with the module installed again
 * (removal keeps its store).
 */
class UserModuleInBrowserIT {

  static final Path DEFINITION = Path.of("..", "docs", "examples", "inventory.json").toAbsolutePath().normalize();

  @TempDir Path tmp;

  @Test
  void aUserModuleIsInstalledUsedUpgradedAndRemoved_inTwoLiveBrowsers_andItsRecordsReadThroughTheCli() throws Exception {
    try (TestNode node = TestNode.start(tmp)) {
      node.createSysAdmin("root@web.test", "root-password-1");
      String admin = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@web.test")
          .put("password", "root-password-1")).ok().getString("accessToken");
      TwoMembers members = TwoMembers.of(node, "Depot");
      String bob = members.bob();
      String project = members.project();

      Path shots = Path.of("target", "screenshots").toAbsolutePath();
      Browser.Result run = Browser.runE2e("e2e/usermodule.test.mjs", members.env(node, Map.of(
          "HEARTH_ADMIN_TOKEN", admin, "HEARTH_DEFINITION", DEFINITION.toString(), "HEARTH_SCREENSHOTS", shots.toString())));
      assertThat(run.exitCode()).as("the browser test failed:%n%s", run.output()).isZero();
      assertThat(run.output()).contains("TIMING usermodule-install-to-page-usable-ms=");
      Browser.assertCaptured(shots, "inventory-upgraded");

      // Removed means gone from the API too; installed again, the records the browsers made are there.
      String[] gone = node.cli(bob, "inventory", "list-items", "--project-id", project);
      assertThat(gone[0]).isNotEqualTo("0");
      node.rest.post("/v1/user-modules", admin, new JsonObject().put("definitionJson", Files.readString(DEFINITION))).ok();
      String[] listed = node.cli(bob, "inventory", "list-items", "--project-id", project);
      assertThat(listed[0]).as(listed[2]).isEqualTo("0");
      JsonArray items = new JsonObject(listed[1]).getJsonArray("items");
      assertThat(items.stream().map(i -> ((JsonObject) i).getString("title") + "/" + ((JsonObject) i).getString("status")))
          .containsExactlyInAnyOrder("Brass lamp/reserved", "Oak chair/in_stock");
    }
  }

}
