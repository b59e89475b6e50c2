package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;

/**
 * A card's actions in Chromium ({@code ui-schemas/web/e2e/actions.test.mjs}), on {@link WebTasksIT}'s
 * shared node: ToggleVisibility, ShowCard, OpenUrl into a new tab (and a javascript: link refused), a
 * Submit without a target answered on the card, Action.Execute reaching the RPC its verb names, and
 * the overflow menu of secondary actions in both themes. The script's sys-admin installs its user
 * module for the whole node, so it runs after the scripts that share the node with no module of the
 * kind. The note the browser added through the verb is read back here.
 */
final class CardActionsInBrowser {

  private final TestNode node;
  private final TwoMembers members;
  private final Path shots;
  final Browser.Job job;

  /** Ann and Bob of actions.web.test in project Actions; {@code admin} is a sys-admin's token. */
  CardActionsInBrowser(TestNode node, Path shots, String admin) throws Exception {
    this.node = node;
    this.shots = shots;
    members = TwoMembers.of(node, "actions", "Actions");
    job = Browser.Job.script("actions", "e2e/actions.test.mjs", members.env(node, Map.of(
        "HEARTH_ADMIN_TOKEN", admin, "HEARTH_SCREENSHOTS", shots.toString())));
  }

  /** Every action of a card does what it says in the browser. */
  void check(Browser.Result run) throws Exception {
    assertThat(run.exitCode()).as("e2e/actions.test.mjs failed:%n%s", run.output()).isZero();
    Browser.assertCaptured(shots, "card-actions");
    assertThat(shots.resolve("overflow-light.png")).isNotEmptyFile();
    assertThat(shots.resolve("overflow-dark.png")).isNotEmptyFile();

    JsonArray notes = node.rest.post("/v1/um/deck/ListNotes", members.bobNow(node),
        new JsonObject().put("projectId", members.project())).ok().getJsonArray("items");
    assertThat(notes.stream().map(n -> ((JsonObject) n).getString("text"))).containsExactly("from a verb");
  }
}
