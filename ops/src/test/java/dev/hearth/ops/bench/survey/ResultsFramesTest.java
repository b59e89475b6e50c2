package dev.hearth.ops.bench.survey;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResultsFramesTest {

  @Test
  void counts_readEachResultsUpdatedInABatch_andSkipOtherEvents() {
    String batch = "{\"type\":\"batch\",\"frames\":["
        + "{\"type\":\"event\",\"event\":\"response.added\",\"data\":{\"surveyId\":\"s\"}},"
        + "{\"type\":\"event\",\"event\":\"results.updated\",\"data\":{\"surveyId\":\"s\",\"responses\":\"12\","
        + "\"questions\":[{\"answered\":\"12\"}]}},"
        + "{\"type\":\"event\",\"event\":\"results.updated\",\"data\":{\"surveyId\":\"s\",\"responses\":13}}]}";
    assertThat(ResultsFrames.counts(batch)).containsExactly(12L, 13L);
  }

  @Test
  void counts_areZeroWhenProtoJsonLeftTheFieldOut_andEmptyForOtherFrames() {
    assertThat(ResultsFrames.counts("{\"type\":\"event\",\"event\":\"results.updated\",\"data\":{\"surveyId\":\"s\"}}"))
        .containsExactly(0L);
    assertThat(ResultsFrames.counts("{\"type\":\"subscribed\",\"id\":\"2\"}")).isEmpty();
  }
}
