package dev.hearth.survey;

import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.store.Entry;
import dev.hearth.survey.v1.Answer;
import dev.hearth.survey.v1.CsvExport;
import dev.hearth.survey.v1.ListResponsesRequest;
import dev.hearth.survey.v1.ListResponsesResponse;
import dev.hearth.survey.v1.OptionCount;
import dev.hearth.survey.v1.Question;
import dev.hearth.survey.v1.QuestionResults;
import dev.hearth.survey.v1.QuestionType;
import dev.hearth.survey.v1.Response;
import dev.hearth.survey.v1.Survey;
import dev.hearth.survey.v1.SurveyRef;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The stored responses, paged and as CSV, and the results as CSV. */
final class Exports {

  static final int MAX_PAGE = 1000;
  /** An export holds at most this many responses; beyond it, page through ListResponses. */
  static final int MAX_EXPORTED = 50_000;

  private final SurveyStore db;
  private final Surveys surveys;
  private final Results results;

  Exports(SurveyStore db, Surveys surveys, Results results) {
    this.db = db;
    this.surveys = surveys;
    this.results = results;
  }

  Future<ListResponsesResponse> list(Call call, ListResponsesRequest r) {
    Survey s = surveys.readable(call, r.getProjectId(), Fields.id("survey_id", r.getSurveyId()));
    if (r.getPageSize() < 0 || r.getPageSize() > MAX_PAGE) throw ModuleException.badField("page_size", "must be 1 to " + MAX_PAGE);
    int size = r.getPageSize() == 0 ? 100 : r.getPageSize();
    String from = SurveyStore.prefix(s.getId());
    if (!r.getPageToken().isEmpty()) from += Fields.id("page_token", r.getPageToken()) + "\u0000";
    List<Entry<Response>> page = db.responses.scan(from, SurveyStore.prefix(s.getId()) + Character.MAX_VALUE, size + 1, false);
    ListResponsesResponse.Builder out = ListResponsesResponse.newBuilder();
    for (int i = 0; i < Math.min(size, page.size()); i++) out.addResponses(page.get(i).value());
    if (page.size() > size) out.setNextPageToken(page.get(size - 1).value().getId());
    return Future.succeededFuture(out.build());
  }

  Future<CsvExport> responses(Call call, SurveyRef r) {
    Survey s = surveys.readable(call, r.getProjectId(), Fields.id("survey_id", r.getSurveyId()));
    Csv csv = new Csv();
    List<String> header = new ArrayList<>(s.getAnonymous() ? List.of() : List.of("response_id", "respondent_id", "submitted_at"));
    for (Question q : s.getQuestionsList()) header.add(q.getId() + ": " + q.getTitle());
    csv.row(header);
    for (Entry<Response> e : db.responses.scanPrefix(SurveyStore.prefix(s.getId()), MAX_EXPORTED, false)) {
      Response resp = e.value();
      List<String> row = new ArrayList<>();
      if (!s.getAnonymous()) {
        row.addAll(List.of(resp.getId(), resp.getUserId(), Instant.ofEpochSecond(0, resp.getCreatedAtMicros() * 1000).toString()));
      }
      Map<String, Answer> byQuestion = new HashMap<>();
      for (Answer a : resp.getAnswersList()) byQuestion.put(a.getQuestionId(), a);
      for (Question q : s.getQuestionsList()) row.add(cell(q, byQuestion.get(q.getId())));
      csv.row(row);
    }
    return Future.succeededFuture(export(s, "responses", csv));
  }

  Future<CsvExport> results(Call call, SurveyRef r) {
    Survey s = surveys.readable(call, r.getProjectId(), Fields.id("survey_id", r.getSurveyId()));
    return results.current().map(v -> {
      Csv csv = new Csv().row("question_id", "question", "item", "value");
      dev.hearth.survey.v1.Results res = results.of(s);
      csv.row("", "", "responses", Long.toString(res.getResponses()));
      for (QuestionResults q : res.getQuestionsList()) {
        csv.row(q.getQuestionId(), q.getTitle(), "answered", Long.toString(q.getAnswered()));
        for (OptionCount o : q.getOptionsList()) csv.row(q.getQuestionId(), q.getTitle(), o.getOption(), Long.toString(o.getCount()));
        if (q.getType() == QuestionType.NUMBER && q.getAnswered() > 0) {
          csv.row(q.getQuestionId(), q.getTitle(), "min", num(q.getMin()));
          csv.row(q.getQuestionId(), q.getTitle(), "max", num(q.getMax()));
          csv.row(q.getQuestionId(), q.getTitle(), "sum", num(q.getSum()));
          csv.row(q.getQuestionId(), q.getTitle(), "average", num(q.getAverage()));
        }
        for (String t : q.getLatestTextsList()) csv.row(q.getQuestionId(), q.getTitle(), "text", t);
      }
      return export(s, "results", csv);
    });
  }

  private static String cell(Question q, Answer a) {
    if (a == null) return "";
    return switch (q.getType()) {
      case SINGLE_CHOICE, MULTIPLE_CHOICE -> String.join("; ", a.getChoicesList().stream().map(q::getOptions).toList());
      case NUMBER -> num(a.getNumber());
      default -> a.getText();
    };
  }

  static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private static CsvExport export(Survey s, String what, Csv csv) {
    return CsvExport.newBuilder().setCsv(csv.toString()).setFileName("survey-" + s.getId() + "-" + what + ".csv").build();
  }
}
