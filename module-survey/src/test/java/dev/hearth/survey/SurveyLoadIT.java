package dev.hearth.survey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.ModuleNode;
import dev.hearth.testkit.ModuleNode.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many users answering at once, then the node restarted and the results view rebuilt from the
 * change log: the results must equal a recount of the stored responses every time.
 */
class SurveyLoadIT {

  static final int USERS = 500;
  /** Users who send a second answer at the same moment as their first. */
  static final int TWICE = 50;

  @TempDir Path dir;

  @Test
  void fiveHundredUsersAnswerAtOnce_resultsEqualARecount_beforeAndAfterARestartAndAViewRebuild() throws Exception {
    ModuleNode node = ModuleNode.start(dir, "hearth-module-survey");
    try {
      ModuleNode first = node;
      User admin = node.signUp("admin@load.test");
      String project = node.project(admin, "Load");
      String code = node.inviteCode(admin, project, 1000);
      long t0 = System.nanoTime();
      // Sign-up hashes with Argon2id on two threads: a few calls in flight keep them busy.
      List<User> users = all(8, USERS, i -> {
        User u = first.signUp("user" + i + "@load.test");
        first.redeem(u, code);
        return u;
      });
      long t1 = System.nanoTime();
      String id = new SurveyCalls(node).draft(admin, project, false, false).getString("id");
      new SurveyCalls(node).open(admin, project, id);

      List<Callable<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < USERS; i++) {
        int n = i;
        User u = users.get(i);
        answers.add(() -> new SurveyCalls(first).answer(u, project, id, n % 3, 1 + n % 5, n % 10 == 0 ? "note " + n : null).status());
        if (i < TWICE) answers.add(() -> new SurveyCalls(first).answer(u, project, id, (n + 1) % 3, 1, null).status());
      }
      List<Integer> statuses = run(32, answers);
      long t2 = System.nanoTime();
      assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(USERS);
      assertThat(statuses.stream().filter(s -> s == 409).count()).isEqualTo(TWICE);
      JsonObject expected = recount(node, admin, project, id);
      assertThat(new SurveyCalls(node).results(admin, project, id)).isEqualTo(expected);
      assertThat(expected.getString("responses")).isEqualTo(Integer.toString(USERS));
      assertThat(new SurveyCalls(node).csv(admin, project, id, "responses").split("\r\n")).hasSize(USERS + 1);
      System.out.printf("survey load: %d sign-ups %.1f s, %d answers (%d duplicates) %.1f s%n", USERS,
          (t1 - t0) / 1e9, USERS + TWICE, TWICE, (t2 - t1) / 1e9);

      node.close();
      node = ModuleNode.start(dir, "hearth-module-survey");
      assertThat(new SurveyCalls(node).results(admin, project, id)).as("after a restart").isEqualTo(expected);

      // Marked untrusted, the store moves its MapDB state aside on open and rebuilds all of it,
      // the results view included (from sequence 0), from the change log.
      node.close();
      Path store = dir.resolve("data/stores/survey");
      Files.writeString(store.resolve("state.db.untrusted"), "test: rebuild from the change log\n");
      node = ModuleNode.start(dir, "hearth-module-survey");
      try (var files = Files.list(store)) {
        assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("damaged-"));
      }
      assertThat(new SurveyCalls(node).results(admin, project, id)).as("after a rebuild").isEqualTo(expected);
      // The one-answer markers came back with the rebuild too.
      assertThat(new SurveyCalls(node).answer(users.get(7), project, id, 0, 1, null).status()).isEqualTo(409);
    } finally {
      node.close();
    }
  }

  /** GetResults' answer computed from ListResponses: what the view must say. */
  private static JsonObject recount(ModuleNode node, User admin, String project, String id) throws Exception {
    long[] colours = new long[3];
    long ratings = 0;
    double sum = 0;
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    List<String> texts = new ArrayList<>();
    int responses = 0;
    String token = "";
    do {
      JsonObject page = node.node.rest.get(SurveyCalls.base(project) + "/" + id + "/responses?pageSize=1000&pageToken=" + token,
          admin.token()).ok();
      for (Object o : page.getJsonArray("responses")) {
        responses++;
        for (Object a : ((JsonObject) o).getJsonArray("answers")) {
          JsonObject answer = (JsonObject) a;
          switch (answer.getString("questionId")) {
            case "q1" -> colours[answer.getJsonArray("choices").getInteger(0)]++;
            case "q3" -> texts.add(answer.getString("text"));
            case "q4" -> {
              double n = answer.getDouble("number");
              ratings++;
              sum += n;
              min = Math.min(min, n);
              max = Math.max(max, n);
            }
            default -> throw new AssertionError("unexpected answer " + answer);
          }
        }
      }
      token = page.getString("nextPageToken");
    } while (!token.isEmpty());
    JsonObject results = new SurveyCalls(node).results(admin, project, id).copy();
    JsonArray questions = results.getJsonArray("questions");
    JsonObject q1 = questions.getJsonObject(0);
    for (int i = 0; i < 3; i++) q1.getJsonArray("options").getJsonObject(i).put("count", Long.toString(colours[i]));
    q1.put("answered", Long.toString(colours[0] + colours[1] + colours[2]));
    JsonObject q3 = questions.getJsonObject(2);
    q3.put("answered", Integer.toString(texts.size()));
    assertThat(q3.getJsonArray("latestTexts").stream().map(String.class::cast).toList())
        .hasSize(Math.min(20, texts.size())).allMatch(texts::contains);
    JsonObject q4 = questions.getJsonObject(3);
    q4.put("answered", Long.toString(ratings)).put("sum", sum).put("min", min).put("max", max).put("average", sum / ratings);
    return results.put("responses", Integer.toString(responses));
  }

  interface Task<T> {
    T run(int i) throws Exception;
  }

  private static <T> List<T> all(int threads, int n, Task<T> task) throws Exception {
    List<Callable<T>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      calls.add(() -> task.run(k));
    }
    return run(threads, calls);
  }

  private static <T> List<T> run(int threads, List<Callable<T>> calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<T> out = new ArrayList<>();
      for (Future<T> f : pool.invokeAll(calls)) out.add(f.get());
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
