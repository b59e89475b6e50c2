package dev.hearth.survey;

import dev.hearth.survey.v1.OptionCount;
import dev.hearth.survey.v1.QuestionResults;
import dev.hearth.survey.v1.Survey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Realtime event data in the proto3 JSON shape REST clients already see (lowerCamelCase names,
 * int64 as strings). Built by hand: the SDK does not give modules protobuf-java-util's JsonFormat.
 */
final class Json {

  private Json() {}

  /** What a survey event tells: no title or questions, which a draft's readers may not see. */
  static JsonObject survey(Survey s) {
    return new JsonObject().put("id", s.getId()).put("projectId", s.getProjectId())
        .put("status", s.getStatus().name()).put("revision", Long.toString(s.getRevision()));
  }

  static JsonObject results(dev.hearth.survey.v1.Results r) {
    JsonArray questions = new JsonArray();
    for (QuestionResults q : r.getQuestionsList()) {
      JsonArray options = new JsonArray();
      for (OptionCount o : q.getOptionsList()) {
        options.add(new JsonObject().put("option", o.getOption()).put("count", Long.toString(o.getCount())));
      }
      questions.add(new JsonObject().put("questionId", q.getQuestionId()).put("type", q.getType().name())
          .put("answered", Long.toString(q.getAnswered())).put("options", options)
          .put("sum", q.getSum()).put("min", q.getMin()).put("max", q.getMax()).put("average", q.getAverage())
          .put("latestTexts", new JsonArray(q.getLatestTextsList())));
    }
    return new JsonObject().put("surveyId", r.getSurveyId()).put("status", r.getStatus().name())
        .put("responses", Long.toString(r.getResponses())).put("questions", questions);
  }
}
