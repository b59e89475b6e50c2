package dev.hearth.ops.bench.history;

import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The table {@code hearth bench history} prints, and its verdict against issue 21's goal. */
final class HistoryResults {

  /** Issue 21: a page of the largest channel takes at most this many times a page of the smallest. */
  static final double GOAL = 1.2;

  private HistoryResults() {}

  static String table(HistoryBench.Report r) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "hearth bench history: pages of %d messages over REST, one call at a time,"
        + " the channels taking turns; seeding %.1f s, unread view fold %.1f s%s%n", r.limit(), r.seedSeconds(),
        r.foldSeconds(), r.loadAverage() == null ? "" : String.format(Locale.ROOT, ", load average %.2f", r.loadAverage())));
    b.append(String.format(Locale.ROOT, "%-12s %-7s %10s %10s %10s %8s%n", "messages", "page", "p50 ms", "p99 ms", "max ms",
        "count"));
    for (HistoryBench.Channel c : r.channels()) {
      row(b, c.size(), "newest", c.newest());
      row(b, c.size(), "deep", c.deep());
    }
    HistoryBench.Channel small = r.channels().get(0);
    HistoryBench.Channel large = r.channels().get(r.channels().size() - 1);
    if (small != large) {
      b.append(String.format(Locale.ROOT, "%n%,d vs %,d messages, p50 ratio (goal <= %.1fx): newest page %s, deep page %s%n",
          large.size(), small.size(), GOAL, verdict(ratio(large.newest(), small.newest())),
          verdict(ratio(large.deep(), small.deep()))));
    }
    return b.toString();
  }

  /** What fails the goal, for the exit code. */
  static List<String> problems(HistoryBench.Report r) {
    HistoryBench.Channel small = r.channels().get(0);
    HistoryBench.Channel large = r.channels().get(r.channels().size() - 1);
    if (small == large) return List.of();
    double newest = ratio(large.newest(), small.newest());
    double deep = ratio(large.deep(), small.deep());
    if (newest <= GOAL && deep <= GOAL) return List.of();
    return List.of(String.format(Locale.ROOT, "a page at %,d messages takes %.2fx (newest) and %.2fx (deep) one at %,d;"
        + " the goal is <= %.1fx", large.size(), newest, deep, small.size(), GOAL));
  }

  static double ratio(Histogram large, Histogram small) {
    return (double) large.getValueAtPercentile(50) / Math.max(1, small.getValueAtPercentile(50));
  }

  private static String verdict(double ratio) {
    return String.format(Locale.ROOT, "%.2fx [%s]", ratio, ratio <= GOAL ? " ok" : "NO!");
  }

  private static void row(StringBuilder b, int size, String page, Histogram h) {
    b.append(String.format(Locale.ROOT, "%-12s %-7s %10.3f %10.3f %10.3f %8d%n", String.format(Locale.ROOT, "%,d", size),
        page, h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6, h.getTotalCount()));
  }
}
