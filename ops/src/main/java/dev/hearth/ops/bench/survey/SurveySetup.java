package dev.hearth.ops.bench.survey;

import dev.hearth.ops.bench.api.BenchUser;
import dev.hearth.ops.bench.api.BenchUsers;
import dev.hearth.ops.bench.api.Http;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The survey bench's world: an owner signs up and makes an org, a project and an invite; the other
 * users sign up with the invite (project users); the owner creates and opens one survey that allows
 * several answers per user (so a few hundred users can answer at 200/s for minutes) with one
 * required single-choice question of four options.
 */
final class SurveySetup {

  static final int OPTIONS = 4;

  /** What the setup made. {@code users.get(0)} is the owner. */
  record World(List<BenchUser> users, String projectId, String surveyId) {

    String topic() {
      return "survey/survey/" + surveyId;
    }

    String resultsPath() {
      return "/v1/projects/" + projectId + "/surveys/" + surveyId + "/results";
    }

    String responsesPath() {
      return "/v1/projects/" + projectId + "/surveys/" + surveyId + "/responses";
    }
  }

  private SurveySetup() {}

  static World create(Http http, int users, PrintWriter err) throws BenchUsers.SetupException {
    List<BenchUser> all = new ArrayList<>();
    for (int i = 0; i < users; i++) all.add(BenchUsers.fresh());
    BenchUser owner = all.get(0);
    String[] ids = new String[3];
    JsonArray options = new JsonArray();
    for (int i = 0; i < OPTIONS; i++) options.add("option " + (i + 1));
    JsonObject survey = new JsonObject().put("title", "survey bench").put("allowMultiple", true).put("questions",
        new JsonArray().add(new JsonObject().put("title", "Pick one").put("type", "SINGLE_CHOICE").put("required", true)
            .put("options", options)));
    BenchUsers.await(BenchUsers.call(http, new Http.Request(HttpMethod.POST, "/v1/auth/sign-up", null, owner.logInBody()),
            "sign-up of " + owner.email())
        .compose(a -> {
          owner.session(a.json(), System.nanoTime());
          return post(http, owner, "/v1/orgs", new JsonObject().put("name", "survey bench"), "creating an org");
        })
        .compose(a -> post(http, owner, "/v1/orgs/" + id(a, "creating an org") + "/projects",
            new JsonObject().put("name", "survey bench"), "creating a project"))
        .compose(a -> {
          ids[0] = id(a, "creating a project");
          return post(http, owner, "/v1/projects/" + ids[0] + "/invites", new JsonObject().put("role", "project-user")
              .put("maxUses", Math.max(1, users - 1)).put("expiresInSeconds", 3600), "creating a project invite");
        })
        .compose(a -> {
          ids[1] = a.json().getString("code");
          return post(http, owner, "/v1/projects/" + ids[0] + "/surveys", survey,
              "creating a survey (is the survey module installed?)");
        })
        .compose(a -> {
          ids[2] = id(a, "creating a survey");
          return post(http, owner, "/v1/projects/" + ids[0] + "/surveys/" + ids[2] + "/open", new JsonObject(),
              "opening the survey");
        })
        .mapEmpty());
    err.printf("setup: project %s, survey %s open; signing up %d more users with a project invite%n", ids[0], ids[2],
        users - 1);
    err.flush();
    BenchUsers.await(BenchUsers.forEach(users - 1, i -> {
      BenchUser u = all.get(i + 1);
      JsonObject body = new JsonObject(Buffer.buffer(u.logInBody())).put("inviteCode", ids[1]);
      return BenchUsers.call(http, new Http.Request(HttpMethod.POST, "/v1/auth/sign-up", null, body.toBuffer().getBytes()),
              "sign-up of " + u.email() + " with the invite")
          .map(a -> {
            u.session(a.json(), System.nanoTime());
            return null;
          });
    }));
    return new World(List.copyOf(all), ids[0], ids[2]);
  }

  /** The body of answer {@code n}: option {@code n mod 4}. */
  static byte[] answer(long n) {
    return new JsonObject().put("answers", new JsonArray().add(new JsonObject().put("questionId", "q1")
        .put("choices", new JsonArray().add((int) (n % OPTIONS))))).toBuffer().getBytes();
  }

  private static Future<Http.Answer> post(Http http, BenchUser u, String path, JsonObject body, String what) {
    return BenchUsers.call(http, new Http.Request(HttpMethod.POST, path, u.accessToken(), body.toBuffer().getBytes()), what);
  }

  private static String id(Http.Answer a, String what) {
    String id = a.json().getString("id");
    if (id == null || id.isEmpty()) throw new IllegalStateException(what + " answered no id: " + a.describe());
    return id;
  }
}
