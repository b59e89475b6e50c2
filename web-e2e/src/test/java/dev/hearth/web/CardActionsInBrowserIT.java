package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A card's actions in Chromium ({@code ui-schemas/web/e2e/actions.test.mjs}): ToggleVisibility,
 * ShowCard, OpenUrl into a new tab (and a javascript: link refused), a Submit without a target
 * answered on the card, Action.Execute reaching the RPC its verb names, and the overflow menu of
 * secondary actions in both themes. The note the browser added through the verb is read back here.
 */
class CardActionsInBrowserIT {

  @TempDir Path tmp;

  @Test
  void everyActionOfACard_doesWhatItSays_inTheBrowser() throws Exception {
    try (TestNode node = TestNode.start(tmp)) {
      node.createSysAdmin("root@web.test", "root-password-1");
      String admin = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@web.test")
          .put("password", "root-password-1")).ok().getString("accessToken");
      TwoMembers members = TwoMembers.of(node, "Actions");

      Path shots = Path.of("target", "screenshots").toAbsolutePath();
      Browser.Result run = Browser.runE2e("e2e/actions.test.mjs", members.env(node, Map.of(
          "HEARTH_ADMIN_TOKEN", admin, "HEARTH_SCREENSHOTS", shots.toString())));
      assertThat(run.exitCode()).as("the browser test failed:%n%s", run.output()).isZero();
      Browser.assertCaptured(shots, "card-actions");
      assertThat(shots.resolve("overflow-light.png")).isNotEmptyFile();
      assertThat(shots.resolve("overflow-dark.png")).isNotEmptyFile();

      JsonArray notes = node.rest.post("/v1/um/deck/ListNotes", members.bob(),
          new JsonObject().put("projectId", members.project())).ok().getJsonArray("items");
      assertThat(notes.stream().map(n -> ((JsonObject) n).getString("text"))).containsExactly("from a verb");
    }
  }
}
