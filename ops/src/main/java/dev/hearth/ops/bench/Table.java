package dev.hearth.ops.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The human-readable report: one table per store size, then the target's verdict. */
final class Table {

  private static final String ROW = "%-22s";
  private static final String CELL = "%13s";
  private static final String RATIO = "%15s";

  private Table() {}

  static String of(Results.Size s, StoreBench.Config config) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%n== store size %,d records, %,d-byte values, %s per measurement ==%n",
        s.size(), config.valueBytes(), human(config.duration())));
    boolean ratios = s.run("hearth").isPresent() && (s.run("mapdb").isPresent() || s.run("sqlite").isPresent());
    out.append(String.format(ROW, "metric"));
    s.runs().forEach(r -> out.append(String.format(CELL, r.contender)));
    if (ratios) {
      out.append(String.format(RATIO + RATIO, "hearth/mapdb", "hearth/sqlite"));
    }
    out.append('\n');
    List<Comparison.Ratio> all = Comparison.ratios(s);
    row(out, s, "prefill records/s", r -> r.prefillPerSecond > 0 ? Optional.of(count(r.prefillPerSecond)) : Optional.empty(), null, ratios);
    for (int w : config.writers()) {
      String n = w == 1 ? "1 writer" : w + " writers";
      row(out, s, "writes/s, " + n, r -> r.writes(w).map(x -> count(x.perSecond())), ratio(all, "writes/s " + w + "w"), ratios);
      row(out, s, "  p50 ms", r -> r.writes(w).map(x -> ms(x.p50Ms())), null, ratios);
      row(out, s, "  p99 ms", r -> r.writes(w).map(x -> ms(x.p99Ms())), null, ratios);
      row(out, s, "  p99.9 ms", r -> r.writes(w).map(x -> ms(x.p999Ms())), null, ratios);
      row(out, s, "  max ms", r -> r.writes(w).map(x -> ms(x.maxMs())), null, ratios);
    }
    for (int t : config.readThreads()) {
      String n = t == 1 ? "1 thread" : t + " threads";
      row(out, s, "reads/s, " + n, r -> r.reads(t).map(x -> count(x.perSecond())), ratio(all, "reads/s " + t + "t"), ratios);
    }
    row(out, s, "scans/s, newest 50", r -> Optional.ofNullable(r.scansPerSecond).map(Table::count), ratio(all, "scans/s"), ratios);
    if (config.mixedWriters() > 0) {
      int m = config.mixedWriters();
      row(out, s, "reads/s, " + m + " writing", r -> Optional.ofNullable(r.mixed).map(x -> count(x.readsPerSecond())),
          ratio(all, "reads/s during " + m + "w"), ratios);
      row(out, s, "  read p50 ms", r -> Optional.ofNullable(r.mixed).map(x -> ms(x.readP50Ms())), null, ratios);
      row(out, s, "  read p99 ms", r -> Optional.ofNullable(r.mixed).map(x -> ms(x.readP99Ms())), null, ratios);
      row(out, s, "  read p99.9 ms", r -> Optional.ofNullable(r.mixed).map(x -> ms(x.readP999Ms())), null, ratios);
      row(out, s, "  read max ms", r -> Optional.ofNullable(r.mixed).map(x -> ms(x.readMaxMs())), null, ratios);
      row(out, s, "  writes/s meanwhile", r -> Optional.ofNullable(r.mixed).map(x -> count(x.writesPerSecond())), null, ratios);
    }
    row(out, s, "records at end", r -> Optional.of(String.format("%,d", r.records)), null, ratios);
    row(out, s, "files MiB at end", r -> r.diskBytes >= 0 ? Optional.of(String.format("%,d", r.diskBytes >> 20)) : Optional.empty(), null, ratios);
    row(out, s, "load avg at start", r -> Optional.ofNullable(r.loadAtStart).map(l -> String.format("%.2f", l)), null, ratios);
    for (Results.Run r : s.runs()) {
      if (r.error != null) {
        out.append("error, ").append(r.contender).append(": ").append(firstLine(r.error)).append('\n');
      }
    }
    Comparison.Verdict v = Comparison.target(s);
    out.append(String.format("target at %,d records: %s%n", s.size(), v.word()));
    for (Comparison.Check c : v.checks()) {
      String mark = c.ok() == null ? "[ ? ]" : c.ok() ? "[ ok]" : "[NO!]";
      out.append("  ").append(mark).append(' ').append(c.what()).append(": ").append(c.detail()).append('\n');
    }
    return out.toString();
  }

  /** The closing verdict over every size. */
  static String overall(List<Results.Size> sizes) {
    Comparison.Verdict v = Comparison.overall(sizes);
    List<String> parts = new ArrayList<>();
    v.checks().forEach(c -> parts.add(c.what() + " " + c.detail()));
    return String.format("%nTARGET (hearth >= sqlite durable writes/s at 1, 16, 64 writers; at 16 writers p99.9 <= 25 ms"
        + " and max <= 100 ms; at every size): %s (%s)%n", v.word(), String.join("; ", parts));
  }

  private static void row(StringBuilder out, Results.Size s, String label,
      Function<Results.Run, Optional<String>> cell, Comparison.Ratio ratio, boolean ratios) {
    out.append(String.format(ROW, label));
    s.runs().forEach(r -> out.append(String.format(CELL, cell.apply(r).orElse("-"))));
    if (ratios && ratio != null) {
      out.append(String.format(RATIO + RATIO, times(ratio.overMapdb()), times(ratio.overSqlite())));
    }
    out.append('\n');
  }

  private static Comparison.Ratio ratio(List<Comparison.Ratio> all, String metric) {
    return all.stream().filter(r -> r.metric().equals(metric)).findFirst().orElse(null);
  }

  private static String count(double v) {
    return String.format("%,.0f", v);
  }

  private static String ms(double v) {
    return v < 1 ? String.format("%.3f", v) : v < 10 ? String.format("%.2f", v) : v < 100 ? String.format("%.1f", v) : String.format("%,.0f", v);
  }

  private static String times(Double v) {
    return v == null ? "-" : v < 10 ? String.format("%.2fx", v) : String.format("%,.1fx", v);
  }

  private static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl) + " (details on stderr)";
  }
}
