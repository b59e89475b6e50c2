package dev.hearth.survey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.Main;
import dev.hearth.testkit.ModuleNode;
import dev.hearth.testkit.ModuleNode.User;
import dev.hearth.testkit.ModuleTest;
import dev.hearth.testkit.TestRealtime;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The built survey jar in a real node, used over REST by the admin and users of a project and by
 * an outsider. One node serves every test; each test drafts its own surveys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ModuleTest(artifactId = "hearth-module-survey")
class SurveyIT {

  ModuleNode node;
  SurveyCalls surveys;
  /** ann administers the project; bob and carol are its users; eve is in another project. */
  User ann;
  User bob;
  User carol;
  User eve;
  String project;

  @BeforeAll
  void start(ModuleNode node) throws Exception {
    this.node = node;
    surveys = new SurveyCalls(node);
    ann = node.signUp("ann@survey.test");
    bob = node.signUp("bob@survey.test");
    carol = node.signUp("carol@survey.test");
    eve = node.signUp("eve@survey.test");
    project = node.project(ann, "SurveyCalls");
    node.project(eve, "Elsewhere");
    String code = node.inviteCode(ann, project, 2);
    node.redeem(bob, code);
    node.redeem(carol, code);
  }


  @Test
  void fullFlowOverRest_draftOpenAnswerResultsClose_thenAnswersAreRefused() throws Exception {
    JsonObject s = surveys.draft(ann, project, false, false);
    String id = s.getString("id");
    assertThat(s.getString("status")).isEqualTo("DRAFT");
    assertThat(s.getJsonArray("questions").stream().map(q -> ((JsonObject) q).getString("id"))).containsExactly("q1", "q2", "q3", "q4");
    // A draft: users neither see it nor answer it; only admins create, open and close.
    assertThat(node.node.rest.get(SurveyCalls.base(project) + "/" + id, bob.token()).status()).isEqualTo(404);
    assertThat(surveys.answer(bob, project, id, 0, 3, null).code()).isEqualTo("NOT_FOUND");
    assertThat(node.node.rest.post(SurveyCalls.base(project) + "/" + id + "/open", bob.token(), new JsonObject()).status())
        .isEqualTo(403);
    surveys.open(ann, project, id);

    assertThat(surveys.answer(bob, project, id, 2, 4, "More cake, please").status()).isEqualTo(200);
    assertThat(surveys.answer(carol, project, id, 2, 5, null).status()).isEqualTo(200);
    JsonObject r = surveys.results(bob, project, id);
    assertThat(r.getString("responses")).isEqualTo("2");
    JsonObject q1 = r.getJsonArray("questions").getJsonObject(0);
    assertThat(q1.getJsonArray("options").stream().map(o -> ((JsonObject) o).getString("count"))).containsExactly("0", "0", "2");
    JsonObject q4 = r.getJsonArray("questions").getJsonObject(3);
    assertThat(q4.getDouble("average")).isEqualTo(4.5);
    assertThat(q4.getDouble("min")).isEqualTo(4.0);
    assertThat(q4.getDouble("max")).isEqualTo(5.0);
    assertThat(r.getJsonArray("questions").getJsonObject(2).getJsonArray("latestTexts")).containsExactly("More cake, please");

    surveys.close(ann, project, id);
    TestRest.Response late = surveys.answer(ann, project, id, 0, 1, null);
    assertThat(late.status()).isEqualTo(412);
    assertThat(late.code()).isEqualTo("FAILED_PRECONDITION");
    assertThat(surveys.results(bob, project, id).getString("responses")).isEqualTo("2");
    // Another project's users learn nothing.
    assertThat(node.node.rest.get(SurveyCalls.base(project) + "/" + id + "/results", eve.token()).status()).isEqualTo(403);
  }

  @Test
  void aDraft_canBeChangedUntilOpened_andIsListedForAdminsOnly() throws Exception {
    String id = surveys.draft(ann, project, false, false).getString("id");
    JsonObject change = new JsonObject().put("title", "Renamed")
        .put("questions", new JsonArray().add(new JsonObject().put("title", "Why").put("type", "TEXT").put("required", true)));
    JsonObject updated = node.node.rest.call("PATCH", SurveyCalls.base(project) + "/" + id, ann.token(), change).ok();
    assertThat(updated.getString("title")).isEqualTo("Renamed");
    assertThat(updated.getJsonArray("questions")).hasSize(1);
    assertThat(ids(node.node.rest.get(SurveyCalls.base(project), ann.token()).ok())).contains(id);
    assertThat(ids(node.node.rest.get(SurveyCalls.base(project), bob.token()).ok())).doesNotContain(id);

    surveys.open(ann, project, id);
    assertThat(ids(node.node.rest.get(SurveyCalls.base(project), bob.token()).ok())).contains(id);
    // The CLI finds the service through reflection, like any module's.
    String[] cli = Main.run(node.node.cliEnv(bob.token()), "survey", "list-surveys", "--project-id", project);
    assertThat(cli[0]).as(cli[2]).isEqualTo("0");
    assertThat(cli[1]).contains(id);
    TestRest.Response late = node.node.rest.call("PATCH", SurveyCalls.base(project) + "/" + id, ann.token(), change);
    assertThat(late.code()).isEqualTo("FAILED_PRECONDITION");
    assertThat(node.node.rest.post(SurveyCalls.base(project) + "/" + id + "/open", ann.token(), new JsonObject()).code())
        .isEqualTo("FAILED_PRECONDITION");
  }

  private static List<String> ids(JsonObject list) {
    return list.getJsonArray("surveys").stream().map(s -> ((JsonObject) s).getString("id")).toList();
  }

  @Test
  void validationErrors_nameTheQuestionAtFault() throws Exception {
    String id = surveys.draft(ann, project, false, false).getString("id");
    surveys.open(ann, project, id);
    TestRest.Response missing = node.node.rest.post(SurveyCalls.base(project) + "/" + id + "/responses", bob.token(),
        new JsonObject().put("answers", new JsonArray().add(new JsonObject().put("questionId", "q1").put("choices", new JsonArray().add(0)))));
    assertField(missing, "answers.q4", "required");
    assertField(surveys.answer(bob, project, id, 0, 9, null), "answers.q4", "above the maximum");
    assertField(surveys.answer(bob, project, id, 7, 3, null), "answers.q1", "not an option");
    TestRest.Response unknown = node.node.rest.post(SurveyCalls.base(project) + "/" + id + "/responses", bob.token(),
        new JsonObject().put("answers", new JsonArray().add(new JsonObject().put("questionId", "q9").put("text", "x"))));
    assertField(unknown, "answers[0].questionId", "not a question");
    TestRest.Response badDraft = node.node.rest.post(SurveyCalls.base(project), ann.token(), new JsonObject().put("title", "T")
        .put("questions", new JsonArray().add(new JsonObject().put("title", "Pick").put("type", "SINGLE_CHOICE")
            .put("options", new JsonArray().add("only one")))));
    assertField(badDraft, "questions[0].options", "2 to 20 options");
    // Nothing of the refused answers was counted.
    assertThat(surveys.results(bob, project, id).getString("responses")).isEqualTo("0");
  }

  private static void assertField(TestRest.Response r, String field, String text) {
    assertThat(r.status()).as(r.body().encode()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("INVALID_ARGUMENT");
    assertThat(r.body().getJsonObject("details").getString("field")).isEqualTo(field);
    assertThat(r.body().getString("message")).contains(text);
  }

  @Test
  void aSecondAnswer_isRefused_unlessTheSurveyAllowsMore() throws Exception {
    String once = surveys.draft(ann, project, false, false).getString("id");
    surveys.open(ann, project, once);
    assertThat(surveys.answer(bob, project, once, 0, 1, null).status()).isEqualTo(200);
    TestRest.Response again = surveys.answer(bob, project, once, 1, 2, null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("ALREADY_EXISTS");

    String many = surveys.draft(ann, project, false, true).getString("id");
    surveys.open(ann, project, many);
    for (int i = 0; i < 3; i++) assertThat(surveys.answer(bob, project, many, i, 3, null).status()).isEqualTo(200);
    assertThat(surveys.results(bob, project, many).getString("responses")).isEqualTo("3");
  }

  @Test
  void anAnonymousSurvey_neverShowsWhoAnswered_butStillTakesOneAnswerEach() throws Exception {
    String id = surveys.draft(ann, project, true, false).getString("id");
    surveys.open(ann, project, id);
    assertThat(surveys.answer(bob, project, id, 1, 2, "secret, \"quoted\"\nline").status()).isEqualTo(200);
    assertThat(surveys.answer(bob, project, id, 1, 2, null).code()).isEqualTo("ALREADY_EXISTS");
    JsonObject listed = node.node.rest.get(SurveyCalls.base(project) + "/" + id + "/responses", ann.token()).ok();
    JsonObject only = listed.getJsonArray("responses").getJsonObject(0);
    assertThat(only.getString("userId")).isEmpty();
    assertThat(only.getString("createdAtMicros")).isEqualTo("0");
    String csv = surveys.csv(ann, project, id, "responses");
    assertThat(csv).doesNotContain(bob.id()).startsWith("q1: Favourite colour,q2: Pets,q3: Anything else?,q4: Rate us\r\n")
        .contains("green,,\"secret, \"\"quoted\"\"\nline\",2\r\n");
    assertThat(surveys.csv(bob, project, id, "results")).doesNotContain(bob.id()).contains("q1,Favourite colour,green,1\r\n");
  }

  @Test
  void theNamedExport_hasOneRowPerResponse_withItsRespondent() throws Exception {
    String id = surveys.draft(ann, project, false, false).getString("id");
    surveys.open(ann, project, id);
    surveys.answer(bob, project, id, 0, 5, null).ok();
    surveys.answer(carol, project, id, 1, 4, "ok").ok();
    String[] lines = surveys.csv(ann, project, id, "responses").split("\r\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).isEqualTo("response_id,respondent_id,submitted_at,q1: Favourite colour,q2: Pets,q3: Anything else?,q4: Rate us");
    assertThat(lines[1]).contains("," + bob.id() + ",").endsWith(",red,,,5");
    assertThat(lines[2]).contains("," + carol.id() + ",").endsWith(",green,,ok,4");
    // Users may read results, not the responses.
    assertThat(node.node.rest.get(SurveyCalls.base(project) + "/" + id + "/responses.csv", bob.token()).status()).isEqualTo(403);
  }

  @Test
  void answersOutsideTheTimeWindow_areRefused() throws Exception {
    long now = System.currentTimeMillis() * 1000;
    JsonObject body = new JsonObject().put("title", "Later").put("opensAtMicros", now + 3_600_000_000L)
        .put("questions", new JsonArray().add(new JsonObject().put("title", "Why").put("type", "TEXT")));
    String later = node.node.rest.post(SurveyCalls.base(project), ann.token(), body).ok().getString("id");
    surveys.open(ann, project, later);
    TestRest.Response early = node.node.rest.post(SurveyCalls.base(project) + "/" + later + "/responses", bob.token(),
        new JsonObject().put("answers", new JsonArray()));
    assertThat(early.code()).isEqualTo("FAILED_PRECONDITION");
    assertThat(early.body().getString("message")).contains("opens later");

    body.put("opensAtMicros", 0).put("closesAtMicros", now - 1);
    String past = node.node.rest.post(SurveyCalls.base(project), ann.token(), body).ok().getString("id");
    surveys.open(ann, project, past);
    TestRest.Response gone = node.node.rest.post(SurveyCalls.base(project) + "/" + past + "/responses", bob.token(),
        new JsonObject().put("answers", new JsonArray()));
    assertThat(gone.code()).isEqualTo("FAILED_PRECONDITION");
    assertThat(gone.body().getString("message")).contains("has closed");
  }

  @Test
  void theFormPage_submitsThroughTheShellsRpcPath_andALiveSubscriberSeesTheNewCounts() throws Exception {
    String id = surveys.draft(ann, project, false, false).getString("id");
    surveys.open(ann, project, id);
    String topic = "survey/survey/" + id;
    try (TestRealtime rt = TestRealtime.connect(node.node, ann.token())) {
      rt.subscribe(topic, null);
      // As the shell posts a card's submit: flat inputs named after the questions, the project in a header.
      TestRest.Response r = node.node.rest.call("POST", "/v1/rpc/hearth.survey.v1.SurveyService/SubmitForm", carol.token(),
          new JsonObject().put("surveyId", id).put("q1", "1").put("q2", "0,2").put("q4", "3"), Map.of("X-Hearth-Project", project));
      assertThat(r.status()).as(r.body().encode()).isEqualTo(200);
      JsonObject added = rt.next(f -> "response.added".equals(f.getString("event")), 10);
      assertThat(added.getJsonObject("data").encode()).doesNotContain(carol.id());
      JsonObject live = rt.next(f -> "results.updated".equals(f.getString("event")), 10);
      JsonObject data = live.getJsonObject("data");
      assertThat(data.getString("responses")).isEqualTo("1");
      assertThat(data.getJsonArray("questions").getJsonObject(1).getJsonArray("options").stream()
          .map(o -> ((JsonObject) o).getString("count"))).containsExactly("1", "0", "1");
      surveys.close(ann, project, id);
      assertThat(rt.next(f -> "survey.updated".equals(f.getString("event")), 10).getJsonObject("data").getString("status"))
          .isEqualTo("CLOSED");
    }
    // A form value that is not a number names its question.
    String other = surveys.draft(ann, project, false, false).getString("id");
    surveys.open(ann, project, other);
    TestRest.Response bad = node.node.rest.call("POST", "/v1/rpc/hearth.survey.v1.SurveyService/SubmitForm", carol.token(),
        new JsonObject().put("surveyId", other).put("q1", "1").put("q4", "lots"), Map.of("X-Hearth-Project", project));
    assertField(bad, "answers.q4", "not a number");
  }

  @Test
  void theNewSurveyCard_createsAnOpenSurvey_fromQuestionLines_forAdminsOnly() throws Exception {
    String lines = "Lunch: pizza | soup | salad *\n\nWhich days?:: Mon | Tue | Wed\nHow was the week? 1..5\nAnything else?";
    // As the shell posts the card: its inputs as they are (toggles "true"/"false"), the project in a header.
    TestRest.Response r = node.node.rest.call("POST", "/v1/rpc/hearth.survey.v1.SurveyService/CreateFromForm", ann.token(),
        new JsonObject().put("title", "Team lunch").put("questions", lines.replace("? 1..5", ": 1..5"))
            .put("anonymous", "true").put("allowMultiple", "false").put("openNow", "true"), Map.of("X-Hearth-Project", project));
    assertThat(r.status()).as(r.body().encode()).isEqualTo(200);
    JsonObject s = r.body();
    assertThat(s.getString("status")).isEqualTo("OPEN");
    assertThat(s.getBoolean("anonymous")).isTrue();
    JsonArray q = s.getJsonArray("questions");
    assertThat(q.stream().map(o -> ((JsonObject) o).getString("type")))
        .containsExactly("SINGLE_CHOICE", "MULTIPLE_CHOICE", "NUMBER", "TEXT");
    assertThat(q.getJsonObject(0).getBoolean("required")).isTrue();
    assertThat(q.getJsonObject(0).getJsonArray("options")).containsExactly("pizza", "soup", "salad");
    assertThat(q.getJsonObject(2).getDouble("max")).isEqualTo(5.0);
    // bob answers it through the form card like any other survey.
    TestRest.Response answer = node.node.rest.call("POST", "/v1/rpc/hearth.survey.v1.SurveyService/SubmitForm", bob.token(),
        new JsonObject().put("surveyId", s.getString("id")).put("q1", "1").put("q3", "4"), Map.of("X-Hearth-Project", project));
    assertThat(answer.status()).as(answer.body().encode()).isEqualTo(200);

    // A choice with one option names its line; a project user may not create; nothing was made by either.
    TestRest.Response bad = node.node.rest.call("POST", "/v1/rpc/hearth.survey.v1.SurveyService/CreateFromForm", ann.token(),
        new JsonObject().put("title", "Broken").put("questions", "Fine?\nLunch: pizza"), Map.of("X-Hearth-Project", project));
    assertField(bad, "questions", "line 2");
    TestRest.Response refused = node.node.rest.call("POST", "/v1/rpc/hearth.survey.v1.SurveyService/CreateFromForm", bob.token(),
        new JsonObject().put("title", "Mine").put("questions", "Why?"), Map.of("X-Hearth-Project", project));
    assertThat(refused.status()).isEqualTo(403);
    JsonArray listed = node.node.rest.get("/v1/projects/" + project + "/surveys", ann.token()).ok().getJsonArray("surveys");
    assertThat(listed.stream().map(o -> ((JsonObject) o).getString("title"))).doesNotContain("Broken", "Mine");
    // The card is a page of the module, with nothing to load.
    JsonObject page = node.node.rest.get("/v1/pages/survey/new", ann.token()).ok();
    assertThat(page.getString("templateJson")).contains("hearth.survey.v1.SurveyService/CreateFromForm");
  }

  @Test
  void theShell_listsTheSurveyPages_inRussianToo_andTheFormPageLoadsTheSurvey() throws Exception {
    JsonArray pages = node.node.rest.get("/v1/pages?projectId=" + project + "&locale=ru", bob.token()).ok().getJsonArray("pages");
    // The list is in navigation; form and results take a surveyId, so they are opened from it.
    assertThat(pages.stream().map(o -> (JsonObject) o).filter(o -> o.getString("moduleId").equals("survey"))
        .map(o -> o.getString("name") + ":" + o.getString("title"))).contains("surveys:Опросы");
    JsonObject form = node.node.rest.get("/v1/pages/survey/form", bob.token()).ok();
    assertThat(form.getJsonArray("params")).containsExactly("surveyId");
    assertThat(form.getJsonArray("sources").getJsonObject(0).getString("rpc")).isEqualTo("hearth.survey.v1.SurveyService/GetSurvey");
    assertThat(form.getJsonArray("topics")).containsExactly("survey/survey/${params.surveyId}");
  }

  @Test
  void anOutsider_cannotSubscribeToASurveysEvents() throws Exception {
    String id = surveys.draft(ann, project, false, false).getString("id");
    surveys.open(ann, project, id);
    try (TestRealtime rt = TestRealtime.connect(node.node, eve.token())) {
      JsonObject answer = rt.request(new JsonObject().put("type", "subscribe").put("topic", "survey/survey/" + id));
      assertThat(answer.encode()).contains("NOT_FOUND");
    }
  }
}
