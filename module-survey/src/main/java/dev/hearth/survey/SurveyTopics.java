package dev.hearth.survey;

import dev.hearth.api.v1.Level;
import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.realtime.TopicEvent;
import dev.hearth.module.realtime.Topics;
import dev.hearth.module.store.Codec;
import dev.hearth.survey.v1.Response;
import dev.hearth.survey.v1.Survey;
import dev.hearth.survey.v1.SurveyStatus;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The survey topics:
 * <ul>
 *   <li>{@code survey/survey/<surveyId>}: response.added (no user, ever), survey.updated, and the
 *       ephemeral results.updated ({@link Live}); project users, project admins for a draft;</li>
 *   <li>{@code survey/project/<projectId>}: survey.opened/closed/updated of surveys past draft;
 *       project users.</li>
 * </ul>
 * {@link #route} reads nothing but the event, so a replay routes exactly as the live event did.
 */
final class SurveyTopics implements Topics {

  static String surveyTopic(String surveyId) {
    return "survey/survey/" + surveyId;
  }

  static String projectTopic(String projectId) {
    return "survey/project/" + projectId;
  }

  private final SurveyStore db;
  private final Authorization authorization;

  SurveyTopics(SurveyStore db, Authorization authorization) {
    this.db = db;
    this.authorization = authorization;
  }

  @Override
  public void authorize(Caller caller, String topic) {
    String[] parts = topic.split("/", -1);
    if (parts.length != 3 || !parts[0].equals("survey")) {
      throw ModuleException.invalidArgument("topic: '" + topic + "' is not survey/{survey,project}/<id>");
    }
    if (!caller.authenticated()) throw new ModuleException(ModuleException.Code.UNAUTHENTICATED, "sign in to subscribe");
    switch (parts[1]) {
      case "survey" -> {
        Survey s = db.surveys.get(Fields.id("topic", parts[2])).orElseThrow(() -> Surveys.notFound(parts[2]));
        if (!authorization.allows(caller, s.getStatus() == SurveyStatus.DRAFT ? Level.PROJECT_ADMIN : Level.PROJECT_USER,
            s.getProjectId())) {
          throw Surveys.notFound(parts[2]); // not PERMISSION_DENIED: that would tell the survey exists
        }
      }
      case "project" -> authorization.require(caller, Level.PROJECT_USER, parts[2]);
      default -> throw ModuleException.notFound("topic " + topic + " not found");
    }
  }

  @Override
  public List<TopicEvent> route(ChangeEvent e) {
    if (e.op() != ChangeEvent.Op.PUT) return List.of();
    try {
      switch (e.collection()) {
        case SurveyStore.RESPONSES -> {
          Response r = e.value(Codec.of(Response.parser()));
          return List.of(new TopicEvent(surveyTopic(r.getSurveyId()), "response.added",
              new JsonObject().put("surveyId", r.getSurveyId())));
        }
        case SurveyStore.SURVEYS -> {
          Survey s = e.value(Codec.of(Survey.parser()));
          if (s.getRevision() == 0) return List.of();
          TopicEvent own = new TopicEvent(surveyTopic(s.getId()), "survey.updated", Json.survey(s));
          if (s.getStatus() == SurveyStatus.DRAFT) return List.of(own);
          String type = switch (s.getStatus()) {
            case OPEN -> "survey.opened";
            case CLOSED -> "survey.closed";
            default -> "survey.updated";
          };
          return List.of(own, new TopicEvent(projectTopic(s.getProjectId()), type, Json.survey(s)));
        }
        default -> {
          return List.of();
        }
      }
    } catch (RuntimeException ignored) {
      // route must not throw; a value that does not parse publishes nothing.
      return List.of();
    }
  }
}
