package dev.hearth.ops.dashboards;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The metric names a PromQL expression (as a Grafana panel holds it) reads. A small tokenizer, not
 * a full parser: it skips what cannot be a metric name — strings, label matchers {@code {...}},
 * range and subquery brackets {@code [5m]}, label lists after {@code by}, {@code without}, {@code
 * on}, {@code ignoring}, {@code group_left} and {@code group_right}, function and aggregation names
 * (an identifier followed by {@code (}, or an aggregation followed by {@code by}/{@code without}), keywords, numbers and Grafana variables ({@code $x},
 * {@code ${x}}, {@code $__rate_interval}). Every other identifier is a metric name, so a name the
 * tokenizer misreads errs towards being checked, not ignored.
 *
 * <p>{@code label_values(metric, label)} (a Grafana variable query) yields {@code metric}.
 */
public final class PromQlNames {

  private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");

  private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
      "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");

  private PromQlNames() {}

  /** The metric names in {@code expr}, in the order they appear. */
  public static Set<String> of(String expr) {
    Set<String> names = new LinkedHashSet<>();
    int i = 0;
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
      } else if (c == '{') {
        i = skipPast(expr, i, '{', '}');
      } else if (c == '[') {
        i = skipPast(expr, i, '[', ']');
      } else if (c == '$') {
        i = skipVariable(expr, i);
      } else if (c == '#') {
        while (i < n && expr.charAt(i) != '\n') i++; // a comment
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) i++; // 0.99, 1e3, 0x1f
      } else if (isIdentStart(c)) {
        int start = i;
        while (i < n && isIdentPart(expr.charAt(i))) i++;
        String word = expr.substring(start, i);
        int next = skipSpaces(expr, i);
        String lower = word.toLowerCase(Locale.ROOT);
        if (LABEL_LIST_KEYWORDS.contains(lower)) {
          if (next < n && expr.charAt(next) == '(') i = skipPast(expr, next, '(', ')');
        } else if (KEYWORDS.contains(lower)) {
          // an operator or a special number
        } else if (AGGREGATIONS.contains(lower) && (startsWithWord(expr, next, "by") || startsWithWord(expr, next, "without"))) {
          // sum by (le) (...): an aggregation whose label list comes first
        } else if (next < n && expr.charAt(next) == '(') {
          if (word.equals("label_values")) {
            // label_values(metric, label): the metric is read; label_values(label) reads none.
            int close = skipPast(expr, next, '(', ')');
            String args = expr.substring(next + 1, close - 1);
            if (args.contains(",")) names.addAll(of(args.substring(0, args.lastIndexOf(','))));
            i = close;
          }
          // else a function or aggregation: its arguments are read by the loop
        } else {
          names.add(word);
        }
      } else {
        i++;
      }
    }
    return names;
  }

  private static boolean isIdentStart(char c) {
    return Character.isLetter(c) || c == '_' || c == ':';
  }

  private static boolean isIdentPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == ':';
  }

  private static boolean startsWithWord(String s, int i, String word) {
    int end = i + word.length();
    return s.regionMatches(true, i, word, 0, word.length()) && (end >= s.length() || !isIdentPart(s.charAt(end)));
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    return i;
  }

  private static int skipString(String s, int i) {
    char quote = s.charAt(i++);
    while (i < s.length() && s.charAt(i) != quote) {
      if (s.charAt(i) == '\\' && quote != '`') i++;
      i++;
    }
    return Math.min(i + 1, s.length());
  }

  /** From an opening bracket to just past its matching close, minding strings and nesting. */
  private static int skipPast(String s, int i, char open, char close) {
    int depth = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(s, i);
        continue;
      }
      if (c == open) depth++;
      if (c == close && --depth == 0) return i + 1;
      i++;
    }
    return i;
  }

  /** {@code $name}, {@code ${name}} or {@code ${name:format}}. */
  private static int skipVariable(String s, int i) {
    i++;
    if (i < s.length() && s.charAt(i) == '{') return skipPast(s, i, '{', '}');
    while (i < s.length() && isIdentPart(s.charAt(i))) i++;
    return i;
  }
}
