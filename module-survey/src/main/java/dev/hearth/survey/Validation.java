package dev.hearth.survey;

import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.survey.v1.Answer;
import dev.hearth.survey.v1.Question;
import dev.hearth.survey.v1.QuestionType;
import dev.hearth.survey.v1.Survey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Checks a response against its survey's questions. Each failure is INVALID_ARGUMENT whose field is
 * {@code answers.<questionId>} (or {@code answers[i].question_id} for an unknown question), so a
 * form can show the error beside the question.
 */
final class Validation {

  static final int MAX_TEXT = 2000;

  private Validation() {}

  /** The answers in question order, empty answers left out; throws naming the first bad one. */
  static List<Answer> check(Survey s, List<Answer> answers) {
    Map<String, Question> byId = new HashMap<>();
    for (Question q : s.getQuestionsList()) byId.put(q.getId(), q);
    Map<String, Answer> given = new HashMap<>();
    for (int i = 0; i < answers.size(); i++) {
      Answer a = answers.get(i);
      if (!byId.containsKey(a.getQuestionId())) {
        throw ModuleException.badField("answers[" + i + "].question_id",
            "'" + Fields.abbreviate(a.getQuestionId()) + "' is not a question of this survey");
      }
      if (given.put(a.getQuestionId(), a) != null) {
        throw ModuleException.badField(field(a.getQuestionId()), "is answered twice");
      }
    }
    List<Answer> out = new ArrayList<>();
    for (Question q : s.getQuestionsList()) {
      Answer a = given.get(q.getId());
      if (a == null || empty(a)) {
        if (q.getRequired()) throw ModuleException.badField(field(q.getId()), "'" + Fields.abbreviate(q.getTitle()) + "' is required");
        continue;
      }
      out.add(answer(q, a));
    }
    return out;
  }

  static String field(String questionId) {
    return "answers." + questionId;
  }

  private static boolean empty(Answer a) {
    return a.getChoicesCount() == 0 && a.getText().isBlank() && !a.hasNumber();
  }

  private static Answer answer(Question q, Answer a) {
    String f = field(q.getId());
    Answer.Builder b = Answer.newBuilder().setQuestionId(q.getId());
    switch (q.getType()) {
      case SINGLE_CHOICE, MULTIPLE_CHOICE -> {
        if (!a.getText().isEmpty() || a.hasNumber()) throw ModuleException.badField(f, "takes choices only");
        LinkedHashSet<Integer> chosen = new LinkedHashSet<>(a.getChoicesList());
        if (chosen.size() != a.getChoicesCount()) throw ModuleException.badField(f, "names an option twice");
        if (q.getType() == QuestionType.SINGLE_CHOICE && chosen.size() != 1) {
          throw ModuleException.badField(f, "takes exactly one choice");
        }
        for (int c : chosen) {
          if (c < 0 || c >= q.getOptionsCount()) {
            throw ModuleException.badField(f, "choice " + c + " is not an option (0 to " + (q.getOptionsCount() - 1) + ")");
          }
        }
        b.addAllChoices(chosen);
      }
      case TEXT -> {
        if (a.getChoicesCount() > 0 || a.hasNumber()) throw ModuleException.badField(f, "takes text only");
        b.setText(Fields.text(f, a.getText(), true, MAX_TEXT));
      }
      case NUMBER -> {
        if (a.getChoicesCount() > 0 || !a.getText().isEmpty() || !a.hasNumber()) {
          throw ModuleException.badField(f, "takes a number only");
        }
        double n = a.getNumber();
        if (!Double.isFinite(n)) throw ModuleException.badField(f, "must be a finite number");
        if (q.getInteger() && n != Math.rint(n)) throw ModuleException.badField(f, "must be a whole number");
        if (q.hasMin() && n < q.getMin()) throw ModuleException.badField(f, n + " is below the minimum " + q.getMin());
        if (q.hasMax() && n > q.getMax()) throw ModuleException.badField(f, n + " is above the maximum " + q.getMax());
        b.setNumber(n);
      }
      default -> throw new ModuleException(ModuleException.Code.INTERNAL, "question " + q.getId() + " has no type");
    }
    return b.build();
  }
}
