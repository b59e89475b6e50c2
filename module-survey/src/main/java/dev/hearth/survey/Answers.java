package dev.hearth.survey;

import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.store.Ids;
import dev.hearth.survey.v1.Answer;
import dev.hearth.survey.v1.Response;
import dev.hearth.survey.v1.SubmitResponseRequest;
import dev.hearth.survey.v1.Survey;
import dev.hearth.survey.v1.SurveyStatus;
import dev.hearth.survey.v1.Voter;
import io.vertx.core.Future;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Taking answers. The survey's state, the answer's validity, the one-per-user check and the writes
 * happen in one store transaction: the store runs transactions one at a time, so two concurrent
 * answers of one user cannot both find no marker, and a close cannot slip between check and write.
 */
final class Answers {

  private final SurveyStore db;
  private final Surveys surveys;
  private final Live live;

  Answers(SurveyStore db, Surveys surveys, Live live) {
    this.db = db;
    this.surveys = surveys;
    this.live = live;
  }

  Future<Response> submit(Call call, SubmitResponseRequest r) {
    return submit(call, r.getProjectId(), Fields.id("survey_id", r.getSurveyId()), r.getAnswersList());
  }

  Future<Response> submit(Call call, String projectId, String surveyId, List<Answer> answers) {
    String user = call.userId();
    // Peek outside the write so an anonymous survey's write is not recorded under the user's id.
    boolean anonymous = surveys.readable(call, projectId, surveyId).getAnonymous();
    String actor = anonymous ? "survey" : user;
    return db.store.write(actor, projectId, tx -> {
      Survey s = surveys.inProject(tx, projectId, surveyId);
      requireOpen(s, SurveyStore.now());
      // An anonymous response carries no user, no time, and a random id (a UUIDv7 would tell the time).
      Response resp = Response.newBuilder().setSurveyId(s.getId()).setProjectId(projectId)
          .setId(s.getAnonymous() ? UUID.randomUUID().toString() : Ids.next())
          .setUserId(s.getAnonymous() ? "" : user).setCreatedAtMicros(s.getAnonymous() ? 0 : SurveyStore.now())
          .addAllAnswers(Validation.check(s, answers)).build();
      if (!s.getAllowMultiple()) {
        String term = SurveyStore.voterTerm(s.getId(), user);
        if (!tx.findKeys(db.voters, SurveyStore.VOTER, term, 1).isEmpty()) {
          throw new ModuleException(ModuleException.Code.ALREADY_EXISTS, "you already answered survey " + s.getId());
        }
        // A random key of its own: nothing links the marker to the response but the transaction.
        tx.put(db.voters, SurveyStore.pair(s.getId(), UUID.randomUUID().toString()),
            Voter.newBuilder().setTerm(term).build());
      }
      tx.put(db.responses, SurveyStore.pair(s.getId(), resp.getId()), resp);
      return resp;
    }).onSuccess(resp -> live.answered(projectId, surveyId));
  }

  /** Answers are taken while open, and inside the survey's time window when it has one. */
  static void requireOpen(Survey s, long nowMicros) {
    if (s.getStatus() != SurveyStatus.OPEN) {
      throw ModuleException.failedPrecondition("survey " + s.getId() + " is " + s.getStatus().name().toLowerCase(Locale.ROOT)
          + "; it takes no answers");
    }
    if (s.getOpensAtMicros() > 0 && nowMicros < s.getOpensAtMicros()) {
      throw ModuleException.failedPrecondition("survey " + s.getId() + " opens later");
    }
    if (s.getClosesAtMicros() > 0 && nowMicros >= s.getClosesAtMicros()) {
      throw ModuleException.failedPrecondition("survey " + s.getId() + " has closed");
    }
  }
}
