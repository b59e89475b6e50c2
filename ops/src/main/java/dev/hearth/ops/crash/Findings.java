package dev.hearth.ops.crash;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What one cycle found wrong: every occurrence counted, the first few of each kind described. */
final class Findings {

  static final int DETAILS_PER_KIND = 8;

  private final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
  private final List<Finding> details = new ArrayList<>();

  record Finding(Kind kind, String detail) {}

  void add(Kind kind, String detail) {
    int n = counts.merge(kind, 1, Integer::sum);
    if (n <= DETAILS_PER_KIND) {
      details.add(new Finding(kind, detail));
    }
  }

  void add(Kind kind, String detail, Throwable error) {
    add(kind, detail + "\n" + stackTrace(error));
  }

  boolean isEmpty() {
    return counts.isEmpty();
  }

  int count(Kind kind) {
    return counts.getOrDefault(kind, 0);
  }

  Map<Kind, Integer> counts() {
    return counts;
  }

  List<Finding> details() {
    return details;
  }

  static String stackTrace(Throwable t) {
    StringWriter s = new StringWriter();
    t.printStackTrace(new PrintWriter(s));
    return s.toString().stripTrailing();
  }
}
