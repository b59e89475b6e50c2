package dev.hearth.survey;

import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.survey.v1.Answer;
import dev.hearth.survey.v1.Question;
import dev.hearth.survey.v1.Response;
import dev.hearth.survey.v1.SubmitFormRequest;
import dev.hearth.survey.v1.Survey;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The survey form page's submit: a card's inputs arrive flat (one top-level value per input), so
 * the form names its inputs after the question ids and this turns those strings into answers.
 */
final class Forms {

  private final Surveys surveys;
  private final Answers answers;

  Forms(Surveys surveys, Answers answers) {
    this.surveys = surveys;
    this.answers = answers;
  }

  Future<Response> submit(Call call, SubmitFormRequest r) {
    String surveyId = Fields.id("survey_id", r.getSurveyId());
    Survey s = surveys.readable(call, r.getProjectId(), surveyId);
    return answers.submit(call, r.getProjectId(), surveyId, parse(s, r));
  }

  static List<Answer> parse(Survey s, SubmitFormRequest r) {
    List<Answer> out = new ArrayList<>();
    for (Question q : s.getQuestionsList()) {
      FieldDescriptor f = SubmitFormRequest.getDescriptor().findFieldByName(q.getId());
      String v = f == null ? "" : ((String) r.getField(f)).strip();
      if (v.isEmpty()) continue;
      Answer.Builder a = Answer.newBuilder().setQuestionId(q.getId());
      try {
        switch (q.getType()) {
          case SINGLE_CHOICE, MULTIPLE_CHOICE -> {
            for (String c : v.split(",")) if (!c.isBlank()) a.addChoices(Integer.parseInt(c.strip()));
          }
          case NUMBER -> a.setNumber(Double.parseDouble(v));
          default -> a.setText(v);
        }
      } catch (NumberFormatException e) {
        throw ModuleException.badField(Validation.field(q.getId()), "'" + Fields.abbreviate(v) + "' is not a number");
      }
      out.add(a.build());
    }
    return out;
  }
}
