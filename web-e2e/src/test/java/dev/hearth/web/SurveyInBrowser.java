package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The survey pages in two browsers ({@code ui-schemas/web/e2e/survey.test.mjs}), on {@link WebTasksIT}'s
 * shared node (with the survey module): an answer sent through the form card shows in the other
 * member's results card live; a second answer and a closed survey are refused on the card.
 * Afterwards the stored results hold exactly that answer.
 */
final class SurveyInBrowser {

  private final TestNode node;
  private final TwoMembers members;
  private final String base;
  private final String survey;
  final Browser.Job job;

  /** Ann's open survey "Team lunch" in her project Lunch, of which Bob is a member. */
  SurveyInBrowser(TestNode node) throws Exception {
    this.node = node;
    members = TwoMembers.of(node, "survey", "Lunch");
    base = "/v1/projects/" + members.project() + "/surveys";
    JsonArray questions = new JsonArray()
        .add(new JsonObject().put("title", "Where?").put("type", "SINGLE_CHOICE").put("required", true)
            .put("options", new JsonArray().add("Pizza").add("Sushi").add("Tacos")))
        .add(new JsonObject().put("title", "How hungry?").put("type", "NUMBER").put("min", 1).put("max", 5)
            .put("integer", true));
    survey = node.rest.post(base, members.ann(), new JsonObject().put("title", "Team lunch")
        .put("questions", questions)).ok().getString("id");
    node.rest.post(base + "/" + survey + "/open", members.ann(), new JsonObject()).ok();
    job = Browser.Job.script("survey", "e2e/survey.test.mjs", members.env(node, Map.of("HEARTH_SURVEY", survey)));
  }

  /** An answer through the form shows in the results live, and refusals show on the card. */
  void check(Browser.Result run) throws Exception {
    assertThat(run.exitCode()).as("e2e/survey.test.mjs failed:%n%s", run.output()).isZero();
    assertThat(run.output()).contains("TIMING survey-results-live-ms=");

    String ann = members.annNow(node);
    JsonObject results = node.rest.get(base + "/" + survey + "/results", ann).ok();
    assertThat(results.getString("status")).isEqualTo("CLOSED");
    assertThat(results.getValue("responses").toString()).isEqualTo("1");
    // The survey Ann made on the new-survey card: open at once (the toggle's default), both lines parsed.
    JsonObject made = node.rest.get(base, ann).ok().getJsonArray("surveys").stream()
        .map(o -> (JsonObject) o).filter(o -> o.getString("title").equals("Friday lunch")).findFirst().orElseThrow();
    assertThat(made.getString("status")).isEqualTo("OPEN");
    assertThat(made.getJsonArray("questions").stream().map(o -> ((JsonObject) o).getString("type")))
        .containsExactly("SINGLE_CHOICE", "NUMBER");
  }
}
