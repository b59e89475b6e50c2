package dev.hearth.survey;

import dev.hearth.module.realtime.Realtime;

/**
 * Pushes new counts to a survey's subscribers after each answer: once the results view has folded
 * the answer, an ephemeral {@code results.updated} event with the whole results goes to
 * {@code survey/survey/<id>}. Ephemeral because the counts are the view's state now, not part of
 * the logged event (a replay would show today's counts for an old answer); a client that was away
 * reloads GetResults, and the durable {@code response.added} event tells it to.
 */
final class Live {

  private final SurveyStore db;
  private final Results results;
  private final Realtime realtime;

  Live(SurveyStore db, Results results, Realtime realtime) {
    this.db = db;
    this.results = results;
    this.realtime = realtime;
  }

  void answered(String projectId, String surveyId) {
    results.current().onSuccess(v -> db.surveys.get(surveyId).ifPresent(s ->
        realtime.publish(SurveyTopics.surveyTopic(surveyId), "results.updated", Json.results(results.of(s)))));
  }
}
