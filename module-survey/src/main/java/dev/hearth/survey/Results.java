package dev.hearth.survey;

import dev.hearth.module.Fields;
import dev.hearth.module.api.Call;
import dev.hearth.module.change.ViewHandle;
import dev.hearth.survey.v1.GetResultsRequest;
import dev.hearth.survey.v1.OptionCount;
import dev.hearth.survey.v1.Question;
import dev.hearth.survey.v1.QuestionResults;
import dev.hearth.survey.v1.QuestionTally;
import dev.hearth.survey.v1.QuestionType;
import dev.hearth.survey.v1.Survey;
import dev.hearth.survey.v1.Tally;
import io.vertx.core.Future;

/** Reads the results view and lays its tally over the survey's questions. */
final class Results {

  private final SurveyStore db;
  private final Surveys surveys;
  private final ResultsView view;
  private final ViewHandle handle;

  Results(SurveyStore db, Surveys surveys, ResultsView view, ViewHandle handle) {
    this.db = db;
    this.surveys = surveys;
    this.view = view;
    this.handle = handle;
  }

  Future<dev.hearth.survey.v1.Results> get(Call call, GetResultsRequest r) {
    Survey s = surveys.readable(call, r.getProjectId(), Fields.id("survey_id", r.getSurveyId()));
    return current().map(v -> of(s));
  }

  /** Completes once the view has folded every write durable now: a caller reads its own answer. */
  Future<Void> current() {
    return handle.awaitSequence(db.store.lastSequence());
  }

  dev.hearth.survey.v1.Results of(Survey s) {
    Tally t = view.tallies.get(s.getId()).orElse(Tally.getDefaultInstance());
    dev.hearth.survey.v1.Results.Builder out = dev.hearth.survey.v1.Results.newBuilder().setSurveyId(s.getId())
        .setTitle(s.getTitle()).setStatus(s.getStatus()).setResponses(t.getResponses()).setAnonymous(s.getAnonymous());
    for (Question q : s.getQuestionsList()) {
      QuestionTally qt = t.getQuestionsOrDefault(q.getId(), QuestionTally.getDefaultInstance());
      QuestionResults.Builder b = QuestionResults.newBuilder().setQuestionId(q.getId()).setTitle(q.getTitle())
          .setType(q.getType()).setAnswered(qt.getAnswered());
      for (int i = 0; i < q.getOptionsCount(); i++) {
        long n = i < qt.getChoiceCountsCount() ? qt.getChoiceCounts(i) : 0;
        b.addOptions(OptionCount.newBuilder().setOption(q.getOptions(i)).setCount(n));
      }
      if (q.getType() == QuestionType.NUMBER && qt.getAnswered() > 0) {
        b.setSum(qt.getSum()).setMin(qt.getMin()).setMax(qt.getMax()).setAverage(qt.getSum() / qt.getAnswered());
      }
      for (int i = qt.getTextsCount() - 1; i >= 0; i--) b.addLatestTexts(qt.getTexts(i));
      out.addQuestions(b);
    }
    return out.build();
  }
}
