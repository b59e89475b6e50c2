package dev.hearth.survey;

import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.survey.v1.Question;
import dev.hearth.survey.v1.QuestionType;
import java.util.ArrayList;
import java.util.List;

/** Checks a survey's definition and gives its questions their ids (q1, q2, ...). */
final class Definitions {

  /** The survey form page has one input per question, named q1..q20 (SubmitFormRequest). */
  static final int MAX_QUESTIONS = 20;
  static final int MAX_OPTIONS = 20;
  static final int MAX_TITLE = 200;
  static final int MAX_DESCRIPTION = 2000;

  private Definitions() {}

  static List<Question> questions(List<Question> in) {
    if (in.isEmpty()) throw ModuleException.badField("questions", "a survey needs at least one question");
    if (in.size() > MAX_QUESTIONS) throw ModuleException.badField("questions", "at most " + MAX_QUESTIONS + " questions");
    List<Question> out = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) out.add(question("questions[" + i + "]", "q" + (i + 1), in.get(i)));
    return out;
  }

  private static Question question(String field, String id, Question q) {
    Question.Builder b = Question.newBuilder().setId(id).setRequired(q.getRequired())
        .setTitle(Fields.text(field + ".title", q.getTitle(), true, MAX_TITLE));
    switch (q.getType()) {
      case SINGLE_CHOICE, MULTIPLE_CHOICE -> {
        if (q.getOptionsCount() < 2 || q.getOptionsCount() > MAX_OPTIONS) {
          throw ModuleException.badField(field + ".options", "a choice question needs 2 to " + MAX_OPTIONS + " options");
        }
        for (int i = 0; i < q.getOptionsCount(); i++) {
          b.addOptions(Fields.text(field + ".options[" + i + "]", q.getOptions(i), true, MAX_TITLE));
        }
      }
      case NUMBER -> {
        if (q.hasMin()) b.setMin(finite(field + ".min", q.getMin()));
        if (q.hasMax()) b.setMax(finite(field + ".max", q.getMax()));
        if (q.hasMin() && q.hasMax() && q.getMin() > q.getMax()) {
          throw ModuleException.badField(field + ".max", "is below min");
        }
        b.setInteger(q.getInteger());
      }
      case TEXT -> { }
      default -> throw ModuleException.badField(field + ".type", "must be SINGLE_CHOICE, MULTIPLE_CHOICE, TEXT or NUMBER");
    }
    if (q.getType() != QuestionType.NUMBER && (q.hasMin() || q.hasMax())) {
      throw ModuleException.badField(field + ".min", "only number questions have a range");
    }
    return b.setType(q.getType()).build();
  }

  private static double finite(String field, double v) {
    if (!Double.isFinite(v)) throw ModuleException.badField(field, "must be a finite number");
    return v;
  }

  /** Open and close times: both optional, close after open. */
  static void window(long opensAt, long closesAt) {
    if (opensAt < 0) throw ModuleException.badField("opens_at_micros", "must not be negative");
    if (closesAt < 0) throw ModuleException.badField("closes_at_micros", "must not be negative");
    if (opensAt > 0 && closesAt > 0 && closesAt <= opensAt) {
      throw ModuleException.badField("closes_at_micros", "must be after opens_at_micros");
    }
  }
}
