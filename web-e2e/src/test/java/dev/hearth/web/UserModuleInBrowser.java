package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.Main;
import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A user module's life in two browsers ({@code ui-schemas/web/e2e/usermodule.test.mjs}), on
 * {@link WebTasksIT}'s shared node: installed through the API for the whole node, used live by two
 * members, upgraded and removed, without a reload (so it runs after the scripts that share the node
 * with no module of the kind). Afterwards the records the browsers made are read through the
 * {@code hearth} CLI, with the module installed again (removal keeps its store).
 */
final class UserModuleInBrowser {

  static final Path DEFINITION = Path.of("..", "docs", "examples", "inventory.json").toAbsolutePath().normalize();

  private final TestNode node;
  private final TwoMembers members;
  private final Path shots;
  final Browser.Job job;

  /** Ann and Bob of usermodule.web.test in project Depot; {@code admin} is a sys-admin's token. */
  UserModuleInBrowser(TestNode node, Path shots, String admin) throws Exception {
    this.node = node;
    this.shots = shots;
    members = TwoMembers.of(node, "usermodule", "Depot");
    job = Browser.Job.script("usermodule", "e2e/usermodule.test.mjs", members.env(node, Map.of(
        "HEARTH_ADMIN_TOKEN", admin, "HEARTH_DEFINITION", DEFINITION.toString(), "HEARTH_SCREENSHOTS", shots.toString())));
  }

  /**
   * The module was installed, used, upgraded and removed in two live browsers; its records are read through
   * the CLI. Installs the module again (as {@code admin}, a sys-admin's token): call it after every script on the
   * node has run.
   */
  void check(Browser.Result run, String admin) throws Exception {
    assertThat(run.exitCode()).as("e2e/usermodule.test.mjs failed:%n%s", run.output()).isZero();
    assertThat(run.output()).contains("TIMING usermodule-install-to-page-usable-ms=");
    Browser.assertCaptured(shots, "inventory-upgraded");

    // Removed means gone from the API too; installed again, the records the browsers made are there.
    String bob = members.bobNow(node);
    String project = members.project();
    String[] gone = Main.run(node.cliEnv(bob), "inventory", "list-items", "--project-id", project);
    assertThat(gone[0]).isNotEqualTo("0");
    node.rest.post("/v1/user-modules", admin, new JsonObject().put("definitionJson", Files.readString(DEFINITION))).ok();
    String[] listed = Main.run(node.cliEnv(bob), "inventory", "list-items", "--project-id", project);
    assertThat(listed[0]).as(listed[2]).isEqualTo("0");
    JsonArray items = new JsonObject(listed[1]).getJsonArray("items");
    assertThat(items.stream().map(i -> ((JsonObject) i).getString("title") + "/" + ((JsonObject) i).getString("status")))
        .containsExactlyInAnyOrder("Brass lamp/reserved", "Oak chair/in_stock");
  }
}
