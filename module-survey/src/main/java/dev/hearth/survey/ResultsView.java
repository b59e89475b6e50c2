package dev.hearth.survey;

import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.change.View;
import dev.hearth.module.change.ViewTx;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Store;
import dev.hearth.survey.v1.Answer;
import dev.hearth.survey.v1.QuestionTally;
import dev.hearth.survey.v1.Response;
import dev.hearth.survey.v1.Tally;
import java.util.List;

/**
 * Live results as a materialized view: one {@link Tally} per survey, folded from its responses,
 * O(answers) per response whatever the number of responses. It needs nothing but the response:
 * counts are by option index and question id, and {@link Results} lays them over the survey's
 * questions when read. Responses are never rewritten, so each PUT is one new response.
 */
final class ResultsView implements View {

  static final String NAME = "results";
  /** Text answers kept per question: the newest; the export of responses has them all. */
  static final int MAX_TEXTS = 20;

  final Collection<Tally> tallies;

  ResultsView(Store store) {
    tallies = store.collection(spec());
  }

  private static CollectionSpec<Tally> spec() {
    return CollectionSpec.of("view.results.tallies", Codec.of(Tally.parser()));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<CollectionSpec<?>> collections() {
    return List.of(spec());
  }

  @Override
  public void apply(ChangeEvent event, ViewTx tx) {
    if (event.op() != ChangeEvent.Op.PUT || !event.collection().equals(SurveyStore.RESPONSES)) return;
    Response r = event.value(Codec.of(Response.parser()));
    Tally.Builder t = tx.get(tallies, r.getSurveyId()).orElse(Tally.getDefaultInstance()).toBuilder();
    t.setResponses(t.getResponses() + 1);
    for (Answer a : r.getAnswersList()) {
      QuestionTally q = t.getQuestionsOrDefault(a.getQuestionId(), QuestionTally.getDefaultInstance());
      t.putQuestions(a.getQuestionId(), fold(q, a));
    }
    tx.put(tallies, r.getSurveyId(), t.build());
  }

  static QuestionTally fold(QuestionTally q, Answer a) {
    QuestionTally.Builder b = q.toBuilder().setAnswered(q.getAnswered() + 1);
    for (int c : a.getChoicesList()) {
      while (b.getChoiceCountsCount() <= c) b.addChoiceCounts(0);
      b.setChoiceCounts(c, b.getChoiceCounts(c) + 1);
    }
    if (a.hasNumber()) {
      double n = a.getNumber();
      boolean first = q.getAnswered() == 0;
      b.setSum(q.getSum() + n).setMin(first ? n : Math.min(q.getMin(), n)).setMax(first ? n : Math.max(q.getMax(), n));
    }
    if (!a.getText().isEmpty()) {
      b.addTexts(a.getText());
      if (b.getTextsCount() > MAX_TEXTS) {
        List<String> keep = List.copyOf(b.getTextsList().subList(b.getTextsCount() - MAX_TEXTS, b.getTextsCount()));
        b.clearTexts().addAllTexts(keep);
      }
    }
    return b.build();
  }
}
