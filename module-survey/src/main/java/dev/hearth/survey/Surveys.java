package dev.hearth.survey;

import dev.hearth.api.v1.Level;
import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Ids;
import dev.hearth.module.store.Tx;
import dev.hearth.survey.v1.CreateFromFormRequest;
import dev.hearth.survey.v1.CreateSurveyRequest;
import dev.hearth.survey.v1.GetSurveyRequest;
import dev.hearth.survey.v1.ListSurveysRequest;
import dev.hearth.survey.v1.ListSurveysResponse;
import dev.hearth.survey.v1.Survey;
import dev.hearth.survey.v1.SurveyRef;
import dev.hearth.survey.v1.SurveyStatus;
import dev.hearth.survey.v1.UpdateSurveyRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** A survey's life: drafted, edited while a draft, opened, closed; and reading surveys. */
final class Surveys {

  /** A project lists at most this many surveys; more would need paging. */
  static final int MAX_LISTED = 1000;

  private final SurveyStore db;
  private final Authorization authorization;

  Surveys(SurveyStore db, Authorization authorization) {
    this.db = db;
    this.authorization = authorization;
  }

  Future<Survey> create(Call call, CreateSurveyRequest r) {
    String user = call.userId();
    Survey.Builder b = Survey.newBuilder()
        .setTitle(Fields.text("title", r.getTitle(), true, Definitions.MAX_TITLE))
        .setDescription(Fields.text("description", r.getDescription(), false, Definitions.MAX_DESCRIPTION))
        .addAllQuestions(Definitions.questions(r.getQuestionsList()))
        .setAnonymous(r.getAnonymous()).setAllowMultiple(r.getAllowMultiple())
        .setOpensAtMicros(r.getOpensAtMicros()).setClosesAtMicros(r.getClosesAtMicros());
    Definitions.window(r.getOpensAtMicros(), r.getClosesAtMicros());
    return db.store.write(user, r.getProjectId(), tx -> {
      Survey s = b.setId(Ids.next()).setProjectId(r.getProjectId()).setStatus(SurveyStatus.DRAFT)
          .setCreatorId(user).setCreatedAtMicros(SurveyStore.now()).build();
      tx.put(db.surveys, s.getId(), s);
      tx.put(db.projectSurveys, SurveyStore.pair(s.getProjectId(), s.getId()), s.getId());
      return s;
    });
  }

  /** The shell's form: questions as lines ({@link QuestionLines}), toggles as "true"/"false". */
  Future<Survey> createFromForm(Call call, CreateFromFormRequest r) {
    CreateSurveyRequest request = CreateSurveyRequest.newBuilder().setProjectId(r.getProjectId())
        .setTitle(r.getTitle()).setDescription(r.getDescription())
        .addAllQuestions(QuestionLines.parse(r.getQuestions()))
        .setAnonymous(toggle("anonymous", r.getAnonymous())).setAllowMultiple(toggle("allow_multiple", r.getAllowMultiple()))
        .build();
    boolean open = toggle("open_now", r.getOpenNow());
    return create(call, request).compose(s -> open
        ? open(call, SurveyRef.newBuilder().setProjectId(s.getProjectId()).setSurveyId(s.getId()).build())
        : Future.succeededFuture(s));
  }

  private static boolean toggle(String field, String value) {
    return switch (value) {
      case "", "false" -> false;
      case "true" -> true;
      default -> throw ModuleException.badField(field, "must be true or false, was '" + value + "'");
    };
  }

  Future<Survey> update(Call call, UpdateSurveyRequest r) {
    Fields.id("survey_id", r.getSurveyId());
    String title = Fields.text("title", r.getTitle(), true, Definitions.MAX_TITLE);
    String description = Fields.text("description", r.getDescription(), false, Definitions.MAX_DESCRIPTION);
    var questions = Definitions.questions(r.getQuestionsList());
    Definitions.window(r.getOpensAtMicros(), r.getClosesAtMicros());
    return change(call, r.getProjectId(), r.getSurveyId(), s -> {
      if (s.getStatus() != SurveyStatus.DRAFT) throw ModuleException.failedPrecondition("survey " + s.getId()
          + " is " + s.getStatus().name().toLowerCase(Locale.ROOT) + "; only a draft can be changed");
      return s.toBuilder().setTitle(title).setDescription(description).clearQuestions().addAllQuestions(questions)
          .setAnonymous(r.getAnonymous()).setAllowMultiple(r.getAllowMultiple())
          .setOpensAtMicros(r.getOpensAtMicros()).setClosesAtMicros(r.getClosesAtMicros()).build();
    });
  }

  Future<Survey> open(Call call, SurveyRef r) {
    Fields.id("survey_id", r.getSurveyId());
    return change(call, r.getProjectId(), r.getSurveyId(), s -> {
      if (s.getStatus() != SurveyStatus.DRAFT) {
        throw ModuleException.failedPrecondition("survey " + s.getId() + " was already opened");
      }
      return s.toBuilder().setStatus(SurveyStatus.OPEN).build();
    });
  }

  Future<Survey> close(Call call, SurveyRef r) {
    Fields.id("survey_id", r.getSurveyId());
    return change(call, r.getProjectId(), r.getSurveyId(), s -> {
      if (s.getStatus() == SurveyStatus.CLOSED) throw ModuleException.failedPrecondition("survey " + s.getId() + " is already closed");
      return s.toBuilder().setStatus(SurveyStatus.CLOSED).build();
    });
  }

  /** Reads and rewrites a survey in one transaction, so a close cannot race an edit or an answer. */
  private Future<Survey> change(Call call, String projectId, String surveyId, UnaryOperator<Survey> fn) {
    return db.store.write(call.userId(), projectId, tx -> {
      Survey s = inProject(tx, projectId, surveyId);
      Survey next = fn.apply(s).toBuilder().setRevision(s.getRevision() + 1).build();
      tx.put(db.surveys, surveyId, next);
      return next;
    });
  }

  Future<ListSurveysResponse> list(Call call, ListSurveysRequest r) {
    boolean admin = authorization.allows(call.caller(), Level.PROJECT_ADMIN, r.getProjectId());
    List<Survey> out = new ArrayList<>();
    for (Entry<String> e : db.projectSurveys.scanPrefix(SurveyStore.prefix(r.getProjectId()), MAX_LISTED, true)) {
      db.surveys.get(e.value()).filter(s -> admin || s.getStatus() != SurveyStatus.DRAFT).ifPresent(out::add);
    }
    return Future.succeededFuture(ListSurveysResponse.newBuilder().addAllSurveys(out).build());
  }

  Future<Survey> get(Call call, GetSurveyRequest r) {
    return Future.succeededFuture(readable(call, r.getProjectId(), Fields.id("survey_id", r.getSurveyId())));
  }

  /** A survey of the project the caller may read: drafts are for project admins. */
  Survey readable(Call call, String projectId, String surveyId) {
    Survey s = db.surveys.get(surveyId).filter(x -> x.getProjectId().equals(projectId))
        .orElseThrow(() -> notFound(surveyId));
    if (s.getStatus() == SurveyStatus.DRAFT && !authorization.allows(call.caller(), Level.PROJECT_ADMIN, projectId)) {
      throw notFound(surveyId);
    }
    return s;
  }

  /** The survey inside a write, checked to belong to the project. */
  Survey inProject(Tx tx, String projectId, String surveyId) {
    return tx.get(db.surveys, surveyId).filter(x -> x.getProjectId().equals(projectId))
        .orElseThrow(() -> notFound(surveyId));
  }

  static ModuleException notFound(String surveyId) {
    return ModuleException.notFound("survey " + surveyId + " not found");
  }
}
