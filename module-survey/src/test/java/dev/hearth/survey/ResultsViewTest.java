package dev.hearth.survey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.survey.v1.Answer;
import dev.hearth.survey.v1.QuestionTally;
import org.junit.jupiter.api.Test;

class ResultsViewTest {

  @Test
  void choices_countByIndex_growingAsHigherOptionsAreChosen() {
    QuestionTally t = ResultsView.fold(QuestionTally.getDefaultInstance(), Answer.newBuilder().addChoices(2).build());
    t = ResultsView.fold(t, Answer.newBuilder().addChoices(0).addChoices(2).build());
    assertThat(t.getChoiceCountsList()).containsExactly(1L, 0L, 2L);
    assertThat(t.getAnswered()).isEqualTo(2);
  }

  @Test
  void numbers_keepSumMinAndMax_fromTheFirstAnswerOn() {
    QuestionTally t = QuestionTally.getDefaultInstance();
    for (double n : new double[] {3, -1, 7}) t = ResultsView.fold(t, Answer.newBuilder().setNumber(n).build());
    assertThat(t.getSum()).isEqualTo(9);
    assertThat(t.getMin()).isEqualTo(-1);
    assertThat(t.getMax()).isEqualTo(7);
  }

  @Test
  void texts_keepOnlyTheNewest() {
    QuestionTally t = QuestionTally.getDefaultInstance();
    for (int i = 0; i < ResultsView.MAX_TEXTS + 5; i++) t = ResultsView.fold(t, Answer.newBuilder().setText("t" + i).build());
    assertThat(t.getTextsCount()).isEqualTo(ResultsView.MAX_TEXTS);
    assertThat(t.getTexts(0)).isEqualTo("t5");
    assertThat(t.getAnswered()).isEqualTo(ResultsView.MAX_TEXTS + 5);
  }
}
