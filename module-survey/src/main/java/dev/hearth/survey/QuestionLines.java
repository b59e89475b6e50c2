package dev.hearth.survey;

import dev.hearth.module.ModuleException;
import dev.hearth.survey.v1.Question;
import dev.hearth.survey.v1.QuestionType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Questions written as lines of text, for the survey form of the web shell (a card has no
 * repeating inputs). One question per line, blank lines ignored, a trailing {@code *} marks it
 * required:
 * <pre>
 * Title                 a text answer
 * Title: a | b | c      one choice
 * Title:: a | b | c     several choices
 * Title: 1..5           a number in range (whole numbers when both bounds are)
 * </pre>
 * The questions then pass {@link Definitions#questions} like any others.
 */
final class QuestionLines {

  private static final Pattern RANGE = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\s*\\.\\.\\s*(-?\\d+(?:\\.\\d+)?)");

  private QuestionLines() {}

  static List<Question> parse(String text) {
    List<Question> out = new ArrayList<>();
    String[] lines = text.split("\\r?\\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) continue;
      out.add(question(line, i + 1));
    }
    if (out.isEmpty()) throw ModuleException.badField("questions", "has no question: write one per line");
    return out;
  }

  private static Question question(String line, int number) {
    boolean required = line.endsWith("*");
    if (required) line = line.substring(0, line.length() - 1).strip();
    Question.Builder q = Question.newBuilder().setRequired(required);
    int colon = line.indexOf(':');
    if (colon < 0) {
      return q.setTitle(title(line, number)).setType(QuestionType.TEXT).build();
    }
    boolean several = line.startsWith("::", colon);
    String title = title(line.substring(0, colon), number);
    String rest = line.substring(colon + (several ? 2 : 1)).strip();
    Matcher range = RANGE.matcher(rest);
    if (!several && range.matches()) {
      boolean whole = !range.group(1).contains(".") && !range.group(2).contains(".");
      return q.setTitle(title).setType(QuestionType.NUMBER).setMin(Double.parseDouble(range.group(1)))
          .setMax(Double.parseDouble(range.group(2))).setInteger(whole).build();
    }
    List<String> options = new ArrayList<>();
    for (String o : rest.split("\\|")) {
      if (!o.isBlank()) options.add(o.strip());
    }
    if (options.size() < 2) {
      throw ModuleException.badField("questions", "line " + number + ": a choice question needs at least two options "
          + "separated by |, as in 'Lunch: pizza | soup'");
    }
    return q.setTitle(title).setType(several ? QuestionType.MULTIPLE_CHOICE : QuestionType.SINGLE_CHOICE)
        .addAllOptions(options).build();
  }

  private static String title(String s, int number) {
    String t = s.strip();
    if (t.isEmpty()) throw ModuleException.badField("questions", "line " + number + " has no question before ':'");
    return t;
  }
}
