package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.testing.ModuleJars;
import dev.hearth.kernel.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The survey pages in two browsers ({@code ui-schemas/web/e2e/survey.test.mjs}): an answer sent
 * through the form card shows in the other member's results card live; a second answer and a
 * closed survey are refused on the card. Afterwards the stored results hold exactly that answer.
 */
class SurveyInBrowserIT {

  @TempDir Path tmp;

  @Test
  void anAnswerThroughTheFormShowsInTheResultsLive_andRefusalsShowOnTheCard() throws Exception {
    try (TestNode node = TestNode.start(tmp)) {
      node.installModule(ModuleJars.built(Path.of("..", "module-survey", "target"), "hearth-module-survey"));
      TwoMembers members = TwoMembers.of(node, "Lunch");
      String base = "/v1/projects/" + members.project() + "/surveys";
      JsonArray questions = new JsonArray()
          .add(new JsonObject().put("title", "Where?").put("type", "SINGLE_CHOICE").put("required", true)
              .put("options", new JsonArray().add("Pizza").add("Sushi").add("Tacos")))
          .add(new JsonObject().put("title", "How hungry?").put("type", "NUMBER").put("min", 1).put("max", 5)
              .put("integer", true));
      String survey = node.rest.post(base, members.ann(), new JsonObject().put("title", "Team lunch")
          .put("questions", questions)).ok().getString("id");
      node.rest.post(base + "/" + survey + "/open", members.ann(), new JsonObject()).ok();

      Browser.Result run = Browser.runE2e("e2e/survey.test.mjs", members.env(node, Map.of("HEARTH_SURVEY", survey)));
      assertThat(run.exitCode()).as("the browser test failed:%n%s", run.output()).isZero();
      assertThat(run.output()).contains("TIMING survey-results-live-ms=");

      JsonObject results = node.rest.get(base + "/" + survey + "/results", members.ann()).ok();
      assertThat(results.getString("status")).isEqualTo("CLOSED");
      assertThat(results.getValue("responses").toString()).isEqualTo("1");
      // The survey Ann made on the new-survey card: open at once (the toggle's default), both lines parsed.
      JsonObject made = node.rest.get(base, members.ann()).ok().getJsonArray("surveys").stream()
          .map(o -> (JsonObject) o).filter(o -> o.getString("title").equals("Friday lunch")).findFirst().orElseThrow();
      assertThat(made.getString("status")).isEqualTo("OPEN");
      assertThat(made.getJsonArray("questions").stream().map(o -> ((JsonObject) o).getString("type")))
          .containsExactly("SINGLE_CHOICE", "NUMBER");
    }
  }
}
