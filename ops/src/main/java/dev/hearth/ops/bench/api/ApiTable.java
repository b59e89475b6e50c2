package dev.hearth.ops.bench.api;

import java.util.List;
import java.util.stream.Collectors;

/** The human-readable report: one row per scenario, latencies also as multiples of the health baseline. */
final class ApiTable {

  static final List<String> COLUMNS = List.of("scenario", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms",
      "max ms", "errors", "p50/health", "p99/health", "load");
  private static final String FIRST = "%-10s";
  private static final String CELL = "%11s";

  private ApiTable() {}

  static String header(ApiBench.Config c) {
    return String.format("hearth bench api: %s, %d users, %d in flight, %s per scenario after %s warmup; %d cores, Java %s%n",
        c.url(), c.users(), c.concurrency(), ApiBench.human(c.duration()), ApiBench.human(c.warmup()),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
  }

  static String of(ApiResults.Report report) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(FIRST, COLUMNS.get(0)));
    COLUMNS.subList(1, COLUMNS.size()).forEach(c -> out.append(String.format(CELL, c)));
    out.append('\n');
    for (ApiResults.Run r : report.runs()) {
      out.append(String.format(FIRST, r.scenario()));
      cells(out, String.format("%,d", r.requests()), String.format("%,.0f", r.perSecond()), ms(r.p50Ms()), ms(r.p90Ms()),
          ms(r.p99Ms()), ms(r.p999Ms()), ms(r.maxMs()), String.format("%,d", r.errors()), times(report.p50VsHealth(r)),
          times(report.p99VsHealth(r)), r.loadAtStart() == null ? "-" : String.format("%.2f", r.loadAtStart()));
      out.append('\n');
    }
    for (ApiResults.Run r : report.runs()) {
      if (r.errors() > 0) {
        String kinds = r.errorsByKind().entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
            .collect(Collectors.joining(", "));
        out.append("errors, ").append(r.scenario()).append(": ").append(kinds).append("; first: ").append(r.firstError()).append('\n');
        if (r.errorsByKind().containsKey("HTTP 429")) {
          out.append("  429 = rate limited: ").append(ApiBench.RATE_LIMIT_HINT).append('\n');
        }
      }
    }
    if (report.setupSeconds() > 0) {
      out.append(String.format("setup (sign-up + org for %d users): %.1f s%n", report.config().users(), report.setupSeconds()));
    }
    List<String> problems = report.problems();
    out.append(problems.isEmpty() ? String.format("RESULT: OK (every scenario answered, errors <= %.0f%%)%n", ApiResults.MAX_ERROR_RATE * 100)
        : "RESULT: FAILED (" + String.join("; ", problems) + ")\n");
    return out.toString();
  }

  private static void cells(StringBuilder out, String... cells) {
    for (String c : cells) {
      out.append(String.format(CELL, c));
    }
  }

  static String ms(double v) {
    return v < 1 ? String.format("%.3f", v) : v < 10 ? String.format("%.2f", v) : v < 100 ? String.format("%.1f", v)
        : String.format("%,.0f", v);
  }

  static String times(Double v) {
    return v == null ? "-" : v < 10 ? String.format("%.2fx", v) : String.format("%,.1fx", v);
  }
}
