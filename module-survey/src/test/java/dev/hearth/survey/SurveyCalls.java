package dev.hearth.survey;

import dev.hearth.testkit.ModuleNode;
import dev.hearth.testkit.ModuleNode.User;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Short ways to call SurveyService over REST on a {@link ModuleNode} with the survey jar (the node itself is the test kit's). */
final class SurveyCalls {

  final ModuleNode node;

  SurveyCalls(ModuleNode node) {
    this.node = node;
  }

  /** A survey drafted by {@code admin}: q1 single choice (required), q2 multiple choice, q3 text, q4 number 1..5 (required). */
  JsonObject draft(User admin, String project, boolean anonymous, boolean allowMultiple) throws Exception {
    JsonArray questions = new JsonArray()
        .add(new JsonObject().put("title", "Favourite colour").put("type", "SINGLE_CHOICE").put("required", true)
            .put("options", new JsonArray().add("red").add("green").add("blue")))
        .add(new JsonObject().put("title", "Pets").put("type", "MULTIPLE_CHOICE")
            .put("options", new JsonArray().add("cat").add("dog").add("fish")))
        .add(new JsonObject().put("title", "Anything else?").put("type", "TEXT"))
        .add(new JsonObject().put("title", "Rate us").put("type", "NUMBER").put("required", true)
            .put("min", 1).put("max", 5).put("integer", true));
    return node.node.rest.post(base(project), admin.token(), new JsonObject().put("title", "Team survey")
        .put("questions", questions).put("anonymous", anonymous).put("allowMultiple", allowMultiple)).ok();
  }

  static String base(String project) {
    return "/v1/projects/" + project + "/surveys";
  }

  JsonObject open(User admin, String project, String surveyId) throws Exception {
    return node.node.rest.post(base(project) + "/" + surveyId + "/open", admin.token(), new JsonObject()).ok();
  }

  JsonObject close(User admin, String project, String surveyId) throws Exception {
    return node.node.rest.post(base(project) + "/" + surveyId + "/close", admin.token(), new JsonObject()).ok();
  }

  /** Answers q1 with {@code colour}, q4 with {@code rating}, and q3 with {@code text} when not null. */
  TestRest.Response answer(User user, String project, String surveyId, int colour, int rating, String text) throws Exception {
    JsonArray answers = new JsonArray()
        .add(new JsonObject().put("questionId", "q1").put("choices", new JsonArray().add(colour)))
        .add(new JsonObject().put("questionId", "q4").put("number", rating));
    if (text != null) answers.add(new JsonObject().put("questionId", "q3").put("text", text));
    return node.node.rest.post(base(project) + "/" + surveyId + "/responses", user.token(), new JsonObject().put("answers", answers));
  }

  JsonObject results(User user, String project, String surveyId) throws Exception {
    return node.node.rest.get(base(project) + "/" + surveyId + "/results", user.token()).ok();
  }

  String csv(User user, String project, String surveyId, String what) throws Exception {
    return node.node.rest.get(base(project) + "/" + surveyId + "/" + what + ".csv", user.token()).ok().getString("csv");
  }
}
