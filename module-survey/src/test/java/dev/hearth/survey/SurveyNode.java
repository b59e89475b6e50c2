package dev.hearth.survey;

import dev.hearth.kernel.testing.ModuleJars;
import dev.hearth.kernel.testing.TestNode;
import dev.hearth.kernel.testing.TestRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** A test node with the built survey jar installed, and short ways to set up tenants and call SurveyService over REST. */
final class SurveyNode implements AutoCloseable {

  /** A signed-up user: their id and access token. */
  record User(String id, String token) {}

  final TestNode node;

  SurveyNode(Path dir) {
    node = TestNode.start(dir);
    try {
      node.installModule(builtJar());
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /** The jar Maven just packaged (integration tests run after {@code package}). */
  static Path builtJar() {
    return ModuleJars.built(Path.of("target"), "hearth-module-survey");
  }

  User signUp(String email) throws Exception {
    JsonObject s = node.rest.post("/v1/auth/sign-up", null,
        new JsonObject().put("email", email).put("password", "a-long-password-1")).ok();
    return new User(s.getString("userId"), s.getString("accessToken"));
  }

  /** A new org and project owned (administered) by {@code owner}; returns the project id. */
  String project(User owner, String name) throws Exception {
    String org = node.rest.post("/v1/orgs", owner.token(), new JsonObject().put("name", name + " org")).ok().getString("id");
    return node.rest.post("/v1/orgs/" + org + "/projects", owner.token(), new JsonObject().put("name", name)).ok().getString("id");
  }

  /** An invite code to {@code project} as project-user, good for {@code uses} redemptions. */
  String inviteCode(User admin, String project, int uses) throws Exception {
    return node.rest.post("/v1/projects/" + project + "/invites", admin.token(),
        new JsonObject().put("role", "project-user").put("maxUses", uses)).ok().getString("code");
  }

  void redeem(User user, String code) throws Exception {
    node.rest.post("/v1/invites/redeem", user.token(), new JsonObject().put("code", code)).ok();
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
    return node.rest.post(base(project), admin.token(), new JsonObject().put("title", "Team survey")
        .put("questions", questions).put("anonymous", anonymous).put("allowMultiple", allowMultiple)).ok();
  }

  static String base(String project) {
    return "/v1/projects/" + project + "/surveys";
  }

  JsonObject open(User admin, String project, String surveyId) throws Exception {
    return node.rest.post(base(project) + "/" + surveyId + "/open", admin.token(), new JsonObject()).ok();
  }

  JsonObject close(User admin, String project, String surveyId) throws Exception {
    return node.rest.post(base(project) + "/" + surveyId + "/close", admin.token(), new JsonObject()).ok();
  }

  /** Answers q1 with {@code colour}, q4 with {@code rating}, and q3 with {@code text} when not null. */
  TestRest.Response answer(User user, String project, String surveyId, int colour, int rating, String text) throws Exception {
    JsonArray answers = new JsonArray()
        .add(new JsonObject().put("questionId", "q1").put("choices", new JsonArray().add(colour)))
        .add(new JsonObject().put("questionId", "q4").put("number", rating));
    if (text != null) answers.add(new JsonObject().put("questionId", "q3").put("text", text));
    return node.rest.post(base(project) + "/" + surveyId + "/responses", user.token(), new JsonObject().put("answers", answers));
  }

  JsonObject results(User user, String project, String surveyId) throws Exception {
    return node.rest.get(base(project) + "/" + surveyId + "/results", user.token()).ok();
  }

  String csv(User user, String project, String surveyId, String what) throws Exception {
    return node.rest.get(base(project) + "/" + surveyId + "/" + what + ".csv", user.token()).ok().getString("csv");
  }

  @Override
  public void close() {
    node.close();
  }
}
