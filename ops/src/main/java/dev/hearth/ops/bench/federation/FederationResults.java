package dev.hearth.ops.bench.federation;

import static dev.hearth.ops.bench.federation.FederationBench.latency;
import static dev.hearth.ops.bench.federation.FederationBench.max;
import static dev.hearth.ops.bench.federation.FederationBench.ms;
import static dev.hearth.ops.bench.federation.FederationBench.round;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;

/** The federation bench's table (for stderr), JSON (for stdout) and verdict. */
final class FederationResults {

  /** A lag run with more failed posts than this share fails. */
  static final double MAX_ERROR_RATE = 0.01;
  /** Below this share of the target rate, the table says the rate was not reached (not a failure). */
  static final double RATE_REACHED = 0.95;

  private FederationResults() {}

  static String header(FederationBench.Config c) {
    return String.format("hearth bench federation: two nodes and two nats-servers (b a leaf of a) on this machine; %,.0f"
        + " msgs/s for %s after %s warmup, backlog %,d; %d cores, Java %s%n", c.rate(), FederationBench.human(c.duration()),
        FederationBench.human(c.warmup()), c.backlog(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
  }

  static String table(FederationBench.Report r) {
    StringBuilder sb = new StringBuilder();
    sb.append(header(r.config()));
    NatsCeiling.Result c = r.ceiling();
    double ceiling = c == null ? Double.NaN : c.perSecond();
    sb.append(String.format("%n%-52s %14s %14s%n", "", "value", "/ NATS ceiling"));
    if (c != null) {
      sb.append(row("NATS publish ceiling, msgs/s (1 KiB, window " + c.window() + ")", c.perSecond(), "%,.0f", Double.NaN));
      sb.append(row("  ack p50 / p99 ms", String.format("%.2f / %.2f", ms(c.latencyMicros(), 50), ms(c.latencyMicros(), 99)), ""));
    }
    FederationBench.LagRun lag = r.lag();
    if (lag != null) {
      var p = lag.posts();
      var j = lag.joined();
      sb.append(row(String.format("lag run: target %,.0f msgs/s, achieved (acked)", r.config().rate()), p.perSecond(), "%,.0f",
          p.perSecond() / ceiling));
      sb.append(row("  posts acked / failed / sent >5 ms late", String.format("%,d / %,d / %,d", p.acknowledged(), p.errors(),
          p.late()), ""));
      sb.append(row("  post ack p50 / p99 ms", String.format("%.2f / %.2f", ms(p.ackMicros(), 50), ms(p.ackMicros(), 99)), ""));
      sb.append(row("  messages written on a / replicated to b", String.format("%,d / %,d", j.written(), j.applied()), ""));
      sb.append(row("  lag a->b p50 ms", ms(j.lagMicros(), 50), "%.2f", Double.NaN));
      sb.append(row("  lag a->b p99 ms", ms(j.lagMicros(), 99), "%.2f", Double.NaN));
      sb.append(row("  lag a->b max ms", max(j.lagMicros()), "%.2f", Double.NaN));
      sb.append(row("  lag p50 ms by 5 s of the run", lagByWindow(j, 5).stream().map(v -> String.format("%.0f", v))
          .collect(Collectors.joining(" ")), ""));
      sb.append(row("  (b's store stamp - a's) p50 / p99 ms", String.format("%.2f / %.2f", ms(j.stampLagMicros(), 50),
          ms(j.stampLagMicros(), 99)), ""));
    }
    FederationBench.CatchUp cu = r.catchUp();
    if (cu != null) {
      var b = cu.backlogPosts();
      sb.append(row("backlog written on a while b paused, msgs/s", b.perSecond(), "%,.0f", b.perSecond() / ceiling));
      sb.append(row("  messages / seconds", String.format("%,d / %.1f", b.acknowledged(), b.seconds()), ""));
      sb.append(row("catch-up on b after resume, events/s", cu.eventsPerSecond(), "%,.0f", cu.eventsPerSecond() / ceiling));
      sb.append(row("  between 10% and 90% of the backlog, events/s", cu.steadyEventsPerSecond(), "%,.0f",
          cu.steadyEventsPerSecond() / ceiling));
      sb.append(row("  backlog applied on b / written", String.format("%,d / %,d", cu.backlog().applied(), cu.backlog().written()), ""));
      sb.append(row("  first / last applied, s after resume", String.format("%.2f / %.1f", cu.firstAppliedSeconds(),
          cu.allAppliedSeconds()), ""));
      sb.append(row("  lag under 1 s again, s after resume", cu.lagUnderOneSecondAfter() == null ? "never"
          : String.format("%.1f", cu.lagUnderOneSecondAfter()), ""));
      sb.append(row("  live msgs meanwhile: acked / replicated", String.format("%,d / %,d", cu.livePosts().acknowledged(),
          cu.live().applied()), ""));
    }
    sb.append(String.format("%nsetup %.1f s%s%n", r.setupSeconds(), loads(r)));
    if (c != null && r.lag() != null && r.lag().posts().perSecond() < RATE_REACHED * r.config().rate()) {
      sb.append(String.format("NOTE: the target rate was not reached (%,.0f of %,.0f msgs/s): the lag is for the rate achieved%n",
          r.lag().posts().perSecond(), r.config().rate()));
    }
    List<String> problems = problems(r);
    sb.append(problems.isEmpty() ? "RESULT: OK\n" : "RESULT: FAILED (" + String.join("; ", problems) + ")\n");
    return sb.toString();
  }

  private static String loads(FederationBench.Report r) {
    List<String> parts = new ArrayList<>();
    if (r.lag() != null && r.lag().loadAtStart() != null) parts.add(String.format("lag run %.2f", r.lag().loadAtStart()));
    if (r.catchUp() != null && r.catchUp().loadAtStart() != null) parts.add(String.format("backlog %.2f", r.catchUp().loadAtStart()));
    return parts.isEmpty() ? "" : "; load average at start: " + String.join(", ", parts);
  }

  private static String row(String label, double value, String format, double ratio) {
    return row(label, Double.isNaN(value) ? "-" : String.format(format, value),
        Double.isNaN(ratio) ? "" : String.format("%.3fx", ratio));
  }

  private static String row(String label, String value, String ratio) {
    return String.format("%-52s %14s %14s%n", label, value, ratio);
  }

  /** Why the run failed: an error, messages not replicated, too many failed posts, no catch-up. */
  static List<String> problems(FederationBench.Report r) {
    List<String> out = new ArrayList<>();
    if (r.error() != null) out.add(r.error());
    if (r.ceiling() != null && r.ceiling().acknowledged() == 0) out.add("NATS ceiling: nothing acknowledged");
    FederationBench.LagRun lag = r.lag();
    if (lag != null) {
      var p = lag.posts();
      if (p.acknowledged() == 0) out.add("lag run: no post acknowledged");
      if (p.errors() > MAX_ERROR_RATE * Math.max(1, p.sent())) out.add("lag run: " + p.errors() + " posts failed " + p.errorsByKind());
      if (lag.joined().applied() != lag.joined().written()) {
        out.add(String.format("lag run: %,d of %,d messages replicated", lag.joined().applied(), lag.joined().written()));
      }
      if (lag.joined().written() < p.acknowledged()) {
        out.add(String.format("lag run: a's store shows %,d of %,d acknowledged posts", lag.joined().written(), p.acknowledged()));
      }
    }
    FederationBench.CatchUp cu = r.catchUp();
    if (cu != null) {
      if (cu.backlog().applied() != cu.backlog().written() || cu.backlog().written() < cu.backlogPosts().acknowledged()) {
        out.add(String.format("catch-up: %,d of %,d backlog messages replicated", cu.backlog().applied(), cu.backlog().written()));
      }
      if (cu.live().applied() != cu.live().written()) {
        out.add(String.format("catch-up: %,d of %,d live messages replicated", cu.live().applied(), cu.live().written()));
      }
      if (cu.lagUnderOneSecondAfter() == null) out.add("catch-up: the lag never came back under 1 s");
    }
    return out;
  }

  static JsonObject json(FederationBench.Report r) {
    JsonObject out = new JsonObject().put("benchmark", "federation").put("config", r.config().toJson())
        .put("machine", new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
            .put("java", System.getProperty("java.version")))
        .put("setupSeconds", num(r.setupSeconds()));
    NatsCeiling.Result c = r.ceiling();
    double ceiling = c == null ? Double.NaN : c.perSecond();
    out.put("natsCeiling", c == null ? null : c.toJson());
    FederationBench.LagRun lag = r.lag();
    if (lag != null) {
      var p = lag.posts();
      var j = lag.joined();
      out.put("lag", new JsonObject().put("targetPerSecond", r.config().rate()).put("achievedPerSecond", num(p.perSecond()))
          .put("achievedOverCeiling", ratio(p.perSecond(), ceiling)).put("posts", posts(p))
          .put("written", j.written()).put("replicated", j.applied()).put("lagMs", latency(j.lagMicros()))
          .put("storeStampLagMs", latency(j.stampLagMicros())).put("lagP50MsBy5s", new JsonArray(lagByWindow(j, 5))).put("drainSeconds", num(lag.drainSeconds()))
          .put("loadAverageAtStart", lag.loadAtStart()));
    }
    FederationBench.CatchUp cu = r.catchUp();
    if (cu != null) {
      JsonArray progress = new JsonArray();
      long lastSecond = -1;
      for (long[] s : cu.progress()) {
        if (s[0] / 1000 != lastSecond) {
          lastSecond = s[0] / 1000;
          progress.add(new JsonArray().add(s[0]).add(s[1]));
        }
      }
      out.put("catchUp", new JsonObject().put("backlog", posts(cu.backlogPosts()))
          .put("backlogWrittenPerSecond", num(cu.backlogPosts().perSecond()))
          .put("backlogWritten", cu.backlogWritten()).put("pendingAtResume", cu.pendingAtResume())
          .put("publishedSecondsAfterLastWrite", num(cu.publishedAfterSeconds()))
          .put("replicated", cu.backlog().applied()).put("firstAppliedSeconds", num(cu.firstAppliedSeconds()))
          .put("allAppliedSeconds", num(cu.allAppliedSeconds())).put("eventsPerSecond", num(cu.eventsPerSecond()))
          .put("eventsOverCeiling", ratio(cu.eventsPerSecond(), ceiling))
          .put("steadyEventsPerSecond", num(cu.steadyEventsPerSecond()))
          .put("steadyOverCeiling", ratio(cu.steadyEventsPerSecond(), ceiling))
          .put("lagUnderOneSecondAfterSeconds", cu.lagUnderOneSecondAfter() == null ? null : num(cu.lagUnderOneSecondAfter()))
          .put("live", new JsonObject().put("posts", posts(cu.livePosts())).put("written", cu.live().written())
              .put("replicated", cu.live().applied()).put("lagMs", latency(cu.live().lagMicros())))
          .put("appliedBySecond", progress).put("loadAverageAtStart", cu.loadAtStart()));
    }
    List<String> problems = problems(r);
    return out.put("error", r.error()).put("failed", !problems.isEmpty()).put("problems", new JsonArray(problems));
  }

  /** The lag's median (ms) per window of {@code seconds} of the owner's commit times, in order: does it grow? */
  static List<Double> lagByWindow(ReplicationWatch.Joined j, int seconds) {
    long[] owner = j.ownerMicros();
    long[] received = j.receivedMicros();
    List<Double> out = new ArrayList<>();
    if (owner.length == 0) return out;
    long start = Arrays.stream(owner).min().getAsLong();
    long width = seconds * 1_000_000L;
    int windows = (int) ((Arrays.stream(owner).max().getAsLong() - start) / width) + 1;
    List<List<Long>> lags = new ArrayList<>();
    for (int w = 0; w < windows; w++) lags.add(new ArrayList<>());
    for (int i = 0; i < owner.length; i++) lags.get((int) ((owner[i] - start) / width)).add(received[i] - owner[i]);
    for (List<Long> l : lags) {
      if (l.isEmpty()) continue;
      Collections.sort(l);
      out.add(Math.round(l.get(l.size() / 2) / 10.0) / 100.0);
    }
    return out;
  }

  private static JsonObject posts(Poster.Outcome p) {
    return new JsonObject().put("sent", p.sent()).put("acknowledged", p.acknowledged()).put("errors", p.errors())
        .put("late", p.late()).put("seconds", num(p.seconds())).put("perSecond", num(p.perSecond()))
        .put("ackMs", latency(p.ackMicros())).put("errorsByKind", new JsonObject(new LinkedHashMap<>(p.errorsByKind())))
        .put("firstError", p.firstError());
  }

  private static Double ratio(double v, double ceiling) {
    return Double.isNaN(v) || Double.isNaN(ceiling) || ceiling == 0 ? null : Math.round(v / ceiling * 10000) / 10000.0;
  }

  /** A number for JSON: rounded to 2 decimals; null when it was not measured (NaN). */
  private static Double num(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : round(v);
  }
}
