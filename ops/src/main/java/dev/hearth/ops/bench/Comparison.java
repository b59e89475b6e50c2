package dev.hearth.ops.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Hearth against the others: the ratios hearth/mapdb and hearth/sqlite of each throughput, and the
 * target of issue 2 — at every size, Hearth at least matches SQLite on durable writes/s with 1, 16
 * and 64 writers, and at 16 writers its p99.9 is at most 25 ms and its maximum at most 100 ms.
 */
final class Comparison {

  static final int[] TARGET_WRITERS = {1, 16, 64};
  static final int TAIL_WRITERS = 16;
  static final double MAX_P999_MS = 25;
  static final double MAX_MAX_MS = 100;

  private Comparison() {}

  /** One throughput metric and the Hearth ratios over MapDB and SQLite (null when not measured). */
  record Ratio(String metric, Double overMapdb, Double overSqlite) {}

  /** One condition of the target; {@code ok} is null when it could not be evaluated. */
  record Check(String what, Boolean ok, String detail) {}

  /** All checks; {@code holds} is false if any failed, null if any could not be evaluated. */
  record Verdict(Boolean holds, List<Check> checks) {

    static Verdict of(List<Check> checks) {
      boolean unknown = false;
      for (Check c : checks) {
        if (Boolean.FALSE.equals(c.ok())) {
          return new Verdict(false, checks);
        }
        unknown |= c.ok() == null;
      }
      return new Verdict(unknown ? null : true, checks);
    }

    String word() {
      return holds == null ? "NOT EVALUATED" : holds ? "HOLDS" : "FAILS";
    }

    JsonObject toJson() {
      JsonArray a = new JsonArray();
      checks.forEach(c -> a.add(new JsonObject().put("check", c.what()).put("ok", c.ok()).put("detail", c.detail())));
      return new JsonObject().put("holds", holds).put("checks", a);
    }
  }

  static List<Ratio> ratios(Results.Size s) {
    List<Ratio> out = new ArrayList<>();
    for (Results.Run r : s.runs()) {
      r.writes.forEach(w -> addOnce(out, "writes/s " + w.writers() + "w", s,
          x -> x.writes(w.writers()).map(Results.Writes::perSecond)));
      r.reads.forEach(t -> addOnce(out, "reads/s " + t.threads() + "t", s,
          x -> x.reads(t.threads()).map(Results.Reads::perSecond)));
    }
    if (!s.runs().isEmpty()) {
      addOnce(out, "scans/s", s, x -> Optional.ofNullable(x.scansPerSecond));
    }
    for (Results.Run r : s.runs()) {
      if (r.mixed != null) {
        addOnce(out, "reads/s during " + r.mixed.writers() + "w", s,
            x -> Optional.ofNullable(x.mixed).map(Results.Mixed::readsPerSecond));
      }
    }
    return out;
  }

  private static void addOnce(List<Ratio> out, String metric, Results.Size s,
      Function<Results.Run, Optional<Double>> value) {
    if (out.stream().anyMatch(r -> r.metric().equals(metric))) {
      return;
    }
    Optional<Double> hearth = s.run("hearth").flatMap(value);
    out.add(new Ratio(metric,
        ratio(hearth, s.run("mapdb").flatMap(value)), ratio(hearth, s.run("sqlite").flatMap(value))));
  }

  private static Double ratio(Optional<Double> c, Optional<Double> other) {
    return c.isPresent() && other.isPresent() && other.get() > 0 ? c.get() / other.get() : null;
  }

  static JsonObject ratiosJson(Results.Size s) {
    JsonObject o = new JsonObject();
    for (Ratio r : ratios(s)) {
      o.put(r.metric(), new JsonObject().put("hearth/mapdb", round(r.overMapdb())).put("hearth/sqlite", round(r.overSqlite())));
    }
    return o;
  }

  private static Double round(Double v) {
    return v == null ? null : Math.round(v * 1000) / 1000.0;
  }

  static Verdict target(Results.Size s) {
    List<Check> checks = new ArrayList<>();
    Optional<Results.Run> hearth = s.run("hearth").filter(r -> r.error == null);
    Optional<Results.Run> sqlite = s.run("sqlite").filter(r -> r.error == null);
    for (int w : TARGET_WRITERS) {
      Optional<Results.Writes> h = hearth.flatMap(r -> r.writes(w));
      Optional<Results.Writes> q = sqlite.flatMap(r -> r.writes(w));
      String what = "hearth >= sqlite writes/s at " + w + (w == 1 ? " writer" : " writers");
      if (h.isEmpty() || q.isEmpty()) {
        checks.add(new Check(what, null, "not measured"));
      } else {
        double hv = h.get().perSecond();
        double qv = q.get().perSecond();
        checks.add(new Check(what, hv >= qv, String.format("%,.0f vs %,.0f", hv, qv)));
      }
    }
    Optional<Results.Writes> tail = hearth.flatMap(r -> r.writes(TAIL_WRITERS));
    String p999 = "hearth p99.9 <= " + (int) MAX_P999_MS + " ms at " + TAIL_WRITERS + " writers";
    String max = "hearth max <= " + (int) MAX_MAX_MS + " ms at " + TAIL_WRITERS + " writers";
    if (tail.isEmpty()) {
      checks.add(new Check(p999, null, "not measured"));
      checks.add(new Check(max, null, "not measured"));
    } else {
      Results.Writes t = tail.get();
      checks.add(new Check(p999, t.p999Ms() <= MAX_P999_MS, t.p999Ms() + " ms"));
      checks.add(new Check(max, t.maxMs() <= MAX_MAX_MS, t.maxMs() + " ms"));
    }
    return Verdict.of(checks);
  }

  /** The target at every size measured. */
  static Verdict overall(List<Results.Size> sizes) {
    List<Check> checks = new ArrayList<>();
    for (Results.Size s : sizes) {
      Verdict v = target(s);
      checks.add(new Check(String.format("target at %,d records", s.size()), v.holds(), v.word()));
    }
    if (sizes.size() < 2) {
      checks.add(new Check("measured at two sizes", null,
          "only " + sizes.size() + " measured: the target needs a small and a large store (--sizes 100000,1000000)"));
    }
    return Verdict.of(checks);
  }
}
