package dev.hearth.ops.bench.startup;

import dev.hearth.ops.bench.startup.StartupBench.Kind;
import dev.hearth.ops.bench.startup.StartupBench.Report;
import dev.hearth.ops.bench.startup.StartupBench.Summary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The startup bench's table, JSON and verdict (issue 21: the node's cold start ≤ 3× the bare server's, nothing blocked). */
final class StartupResults {

  /** The goal: node cold start to /ready at most this many times the bare server's start to its first 200. */
  static final double GOAL_RATIO = 3.0;

  private StartupResults() {}

  static String header(StartupBench.Config c) {
    return String.format("hearth bench startup: %d rounds, modules %s, JVM options %s%s; %d cores, Java %s%n", c.runs(),
        c.moduleJars().stream().map(p -> p.getFileName().toString()).toList(), c.jvmOptions().isEmpty() ? "(none)"
            : String.join(" ", c.jvmOptions()), c.cds() ? ", with and without AppCDS" : "",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
  }

  static String table(Report r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%-6s %-12s %5s %10s %10s %10s %10s %8s %8s %9s%n", "", "", "runs", "p50 ms", "min ms", "max ms",
        "CPU p50 ms", "wall/bare", "CPU/bare", "blocked"));
    for (Summary s : r.summaries()) {
      Summary bare = r.summary(s.variant(), Kind.BARE);
      sb.append(String.format("%-6s %-12s %5d %,10.0f %,10.0f %,10.0f %,10.0f %8s %8s %9s%n", s.variant(), s.kind().label, s.runs(),
          s.wallP50Ms(), s.wallMinMs(), s.wallMaxMs(), s.cpuP50Ms(), ratio(s.wallP50Ms(), bare == null ? 0 : bare.wallP50Ms()),
          ratio(s.cpuP50Ms(), bare == null ? 0 : bare.cpuP50Ms()),
          s.blockedWarnings() == 0 ? "none" : s.blockedWarnings() + " (" + s.maxBlockedMs() + " ms)"));
    }
    if (r.config().cds()) {
      sb.append("\nAppCDS / plain, p50 (wall, CPU):");
      for (Kind k : Kind.values()) {
        Summary plain = r.summary(StartupBench.PLAIN, k);
        Summary cds = r.summary(StartupBench.CDS, k);
        if (plain != null && cds != null) {
          sb.append(String.format("  %s %s, %s;", k.label, ratio(cds.wallP50Ms(), plain.wallP50Ms()),
              ratio(cds.cpuP50Ms(), plain.cpuP50Ms())));
        }
      }
      sb.append('\n');
    }
    Double load = r.samples().isEmpty() ? null : r.samples().get(0).load();
    Double loadEnd = r.samples().isEmpty() ? null : r.samples().get(r.samples().size() - 1).load();
    sb.append(String.format("load average: %s at the first start, %s at the last%n", load, loadEnd));
    r.blockedLines().forEach(l -> sb.append("  ").append(l).append('\n'));
    if (r.error() != null) sb.append("FAILED: ").append(r.error()).append('\n');
    for (JsonObject c : checks(r)) {
      Boolean ok = c.getBoolean("ok");
      sb.append(String.format("target %s %s: %s%n", ok == null ? "[ ? ]" : ok ? "[ ok]" : "[NO!]", c.getString("check"),
          c.getString("detail")));
    }
    return sb.toString();
  }

  static List<JsonObject> checks(Report r) {
    List<JsonObject> out = new ArrayList<>();
    Summary bare = r.summary(StartupBench.PLAIN, Kind.BARE);
    Summary cold = r.summary(StartupBench.PLAIN, Kind.NODE_COLD);
    if (bare == null || cold == null) {
      out.add(new JsonObject().put("check", "node cold start <= 3x bare").put("ok", (Boolean) null).put("detail", "not measured"));
    } else {
      double x = cold.wallP50Ms() / bare.wallP50Ms();
      out.add(new JsonObject().put("check", "node cold start <= 3x bare").put("ok", x <= GOAL_RATIO)
          .put("detail", String.format("p50 %,.0f ms / %,.0f ms = %.2fx", cold.wallP50Ms(), bare.wallP50Ms(), x)));
    }
    long warnings = r.samples().stream().filter(s -> s.kind() != Kind.BARE).mapToLong(StartupBench.Sample::blockedWarnings).sum();
    out.add(new JsonObject().put("check", "no blocked-thread warning while the node starts").put("ok", warnings == 0)
        .put("detail", warnings + " warnings in " + r.samples().stream().filter(s -> s.kind() != Kind.BARE).count() + " starts"));
    return out;
  }

  static JsonObject json(Report r) {
    JsonArray samples = new JsonArray();
    r.samples().forEach(s -> samples.add(new JsonObject().put("variant", s.variant()).put("kind", s.kind().name().toLowerCase())
        .put("round", s.round()).put("wallMs", round(s.wallMs())).put("cpuMs", round(s.cpuMs()))
        .put("blockedWarnings", s.blockedWarnings()).put("maxBlockedMs", s.maxBlockedMs()).put("loadAverage", s.load())));
    JsonArray summary = new JsonArray();
    for (Summary s : r.summaries()) {
      Summary bare = r.summary(s.variant(), Kind.BARE);
      summary.add(new JsonObject().put("variant", s.variant()).put("kind", s.kind().name().toLowerCase()).put("runs", s.runs())
          .put("wallP50Ms", round(s.wallP50Ms())).put("wallMinMs", round(s.wallMinMs())).put("wallMaxMs", round(s.wallMaxMs()))
          .put("cpuP50Ms", round(s.cpuP50Ms())).put("wallOverBare", bare == null ? null : round(s.wallP50Ms() / bare.wallP50Ms()))
          .put("cpuOverBare", bare == null ? null : round(s.cpuP50Ms() / bare.cpuP50Ms()))
          .put("blockedWarnings", s.blockedWarnings()).put("maxBlockedMs", s.maxBlockedMs()));
    }
    List<JsonObject> checks = checks(r);
    Boolean holds = checks.stream().anyMatch(c -> c.getBoolean("ok") == null) ? null
        : checks.stream().allMatch(c -> c.getBoolean("ok"));
    return new JsonObject().put("benchmark", "startup").put("config", r.config().toJson())
        .put("machine", new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
            .put("java", System.getProperty("java.version")))
        .put("samples", samples).put("summary", summary).put("blockedLines", new JsonArray(r.blockedLines()))
        .put("target", new JsonObject().put("holds", holds).put("checks", new JsonArray(new ArrayList<>(checks))))
        .put("error", r.error()).put("failed", r.error() != null);
  }

  private static String ratio(double a, double b) {
    return b <= 0 || Double.isNaN(a) || Double.isNaN(b) ? "-" : String.format("%.2fx", a / b);
  }

  private static double round(double v) {
    return Double.isNaN(v) ? -1 : Math.round(v * 10) / 10.0;
  }
}
