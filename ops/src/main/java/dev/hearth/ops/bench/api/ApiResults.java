package dev.hearth.ops.bench.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** What a run measured, in the shape both the table and the JSON read. */
public final class ApiResults {

  /** A scenario with more errors than this share of its requests fails the run (exit code 1). */
  static final double MAX_ERROR_RATE = 0.01;

  private ApiResults() {}

  /**
   * One scenario: {@code requests} answered 2xx (their latencies in ms), {@code errors} answered
   * otherwise or failed, by kind ({@code "HTTP 429"}, {@code "ConnectException"}, ...).
   */
  public record Run(String scenario, int concurrency, long requests, long errors, Map<String, Long> errorsByKind, String firstError,
      double seconds, double perSecond, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs, double meanMs,
      Double loadAtStart) {

    static Run of(String scenario, int concurrency, Histogram h, Map<String, Long> errorsByKind, String firstError,
        double seconds, Double loadAtStart) {
      long errors = errorsByKind.values().stream().mapToLong(Long::longValue).sum();
      return new Run(scenario, concurrency, h.getTotalCount(), errors, Collections.unmodifiableMap(new TreeMap<>(errorsByKind)), firstError, seconds,
          h.getTotalCount() / seconds, ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
          ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getMean() / 1000, loadAtStart);
    }

    /** Errors over everything sent in the measured time (0 when nothing was). */
    public double errorRate() {
      long all = requests + errors;
      return all == 0 ? 0 : (double) errors / all;
    }

    private JsonObject kinds() {
      JsonObject o = new JsonObject();
      errorsByKind.forEach(o::put);
      return o;
    }

    public JsonObject toJson() {
      return new JsonObject().put("scenario", scenario).put("concurrency", concurrency).put("requests", requests)
          .put("errors", errors).put("errorRate", Math.round(errorRate() * 1e6) / 1e6)
          .put("errorsByKind", kinds()).put("firstError", firstError)
          .put("seconds", round(seconds)).put("perSecond", round(perSecond)).put("p50Ms", p50Ms).put("p90Ms", p90Ms)
          .put("p99Ms", p99Ms).put("p999Ms", p999Ms).put("maxMs", maxMs).put("meanMs", round(meanMs))
          .put("loadAverageAtStart", loadAtStart);
    }
  }

  /** The whole run: the scenarios in the order they ran, and the setup time. */
  record Report(ApiBench.Config config, double setupSeconds, List<Run> runs) {

    /** The {@code health} scenario of this run, if it ran and answered. */
    Optional<Run> baseline() {
      return runs.stream().filter(r -> r.scenario().equals(Scenario.BASELINE.label()) && r.requests() > 0).findFirst();
    }

    /** {@code r}'s p50 over the baseline's, or null without a baseline. */
    Double p50VsHealth(Run r) {
      return baseline().map(b -> ratio(r.p50Ms(), b.p50Ms())).orElse(null);
    }

    Double p99VsHealth(Run r) {
      return baseline().map(b -> ratio(r.p99Ms(), b.p99Ms())).orElse(null);
    }

    /** Why the run failed: a scenario with more than 1% errors or with no answered request. Empty if it did not. */
    List<String> problems() {
      List<String> out = new ArrayList<>();
      for (Run r : runs) {
        if (r.errorRate() > MAX_ERROR_RATE) {
          out.add(String.format("%s: %.2f%% of requests failed (more than %.0f%%)", r.scenario(), r.errorRate() * 100,
              MAX_ERROR_RATE * 100));
        } else if (r.requests() == 0) {
          out.add(r.scenario() + ": no request was answered with 2xx");
        }
      }
      return out;
    }

    boolean failed() {
      return !problems().isEmpty();
    }

    JsonObject toJson() {
      JsonArray scenarios = new JsonArray();
      for (Run r : runs) {
        scenarios.add(r.toJson().put("p50VsHealth", round(p50VsHealth(r))).put("p99VsHealth", round(p99VsHealth(r))));
      }
      return new JsonObject().put("benchmark", "api").put("config", config.toJson())
          .put("machine", new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
              .put("java", System.getProperty("java.version")))
          .put("setupSeconds", round(setupSeconds)).put("scenarios", scenarios)
          .put("failed", failed()).put("problems", new JsonArray(problems()));
    }
  }

  private static Double ratio(double v, double base) {
    return base > 0 ? v / base : null;
  }

  static double ms(long micros) {
    return micros / 1000.0;
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static Double round(Double v) {
    return v == null ? null : round(v.doubleValue());
  }
}
