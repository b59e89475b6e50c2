package dev.hearth.federation;

import static dev.hearth.federation.FederationIT.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A survey in a shared project: acme's node owns it, bob answers on globex's node (his write is
 * forwarded to the owner), and both nodes end with the same results and the same survey store.
 */
class SurveyFederationIT {

  @TempDir Path dir;
  Linked fed;

  @AfterEach
  void close() {
    if (fed != null) fed.close();
  }

  String base() {
    return "/v1/projects/" + fed.project + "/surveys";
  }

  TestRest.Response answer(FedNode node, FedNode.User as, String survey, int colour, int rating) throws Exception {
    JsonArray answers = new JsonArray()
        .add(new JsonObject().put("questionId", "q1").put("choices", new JsonArray().add(colour)))
        .add(new JsonObject().put("questionId", "q2").put("number", rating));
    return node.call("POST", base() + "/" + survey + "/responses", as, new JsonObject().put("answers", answers));
  }

  /** GetResults on {@code node}: the number of responses, q1's counts by option, q2's sum. */
  String results(FedNode node, FedNode.User as, String survey) throws Exception {
    JsonObject r = node.get(base() + "/" + survey + "/results", as);
    JsonObject q1 = r.getJsonArray("questions").getJsonObject(0);
    List<String> counts = q1.getJsonArray("options").stream().map(o -> ((JsonObject) o).getString("count", "0")).toList();
    return r.getString("responses", "0") + " " + counts + " sum=" + r.getJsonArray("questions").getJsonObject(1).getDouble("sum", 0.0);
  }

  @Test
  void aRemoteMembersAnswerRunsOnTheOwner_resultsConverge_andASecondAnswerIsRefusedThroughEitherNode() throws Exception {
    fed = new Linked(dir, new JsonObject());
    fed.a.withSurvey();
    fed.b.withSurvey();
    fed.bobJoins();
    JsonArray questions = new JsonArray()
        .add(new JsonObject().put("title", "Favourite colour").put("type", "SINGLE_CHOICE").put("required", true)
            .put("options", new JsonArray().add("red").add("green").add("blue")))
        .add(new JsonObject().put("title", "Rate us").put("type", "NUMBER").put("required", true)
            .put("min", 1).put("max", 5).put("integer", true));
    String survey = fed.a.post(base(), fed.alice, new JsonObject().put("title", "Launch retro").put("questions", questions))
        .getString("id");
    fed.a.post(base() + "/" + survey + "/open", fed.alice, new JsonObject());
    // Bob sees the open survey on his node's replica, then answers there: his node forwards it to acme's.
    eventually(() -> "OPEN".equals(fed.b.get(base() + "/" + survey, fed.bob).getString("status")));
    TestRest.Response bobs = answer(fed.b, fed.bob, survey, 2, 4);
    assertThat(bobs.status()).as(bobs.body().encode()).isEqualTo(200);
    assertThat(bobs.body().getString("userId")).isEqualTo(fed.bob.id());
    assertThat(answer(fed.a, fed.alice, survey, 0, 5).status()).isEqualTo(200);

    String expected = "2 [1, 0, 1] sum=9.0";
    assertThat(results(fed.a, fed.alice, survey)).isEqualTo(expected);
    eventually(() -> results(fed.b, fed.bob, survey).equals(expected));
    // One answer per user: the owner refuses bob's second, whichever node he asks.
    TestRest.Response again = answer(fed.b, fed.bob, survey, 1, 1);
    assertThat(again.status()).as(again.body().encode()).isEqualTo(409);
    assertThat(again.body().getString("code")).isEqualTo("ALREADY_EXISTS");
    fed.converged("survey");
    assertThat(results(fed.a, fed.alice, survey)).isEqualTo(expected);
    assertThat(results(fed.b, fed.bob, survey)).isEqualTo(expected);
  }
}
