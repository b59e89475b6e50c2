package dev.hearth.ops.bench.survey;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** The survey bench's report: as JSON, as a short table, and the problems that make the exit code 1. */
final class SurveyResults {

  /** Histograms in microseconds. Counts are "measured" answers: sent after the warmup. */
  record Report(SurveyBench.Config config, double setupSeconds, Double loadAverage, long sent, long measured, long acknowledged,
      double measuredSeconds, Histogram ack, Histogram ackToResults, Histogram sendToResults, long unseen, long seenBeforeAck,
      long finalCount, long events, Map<String, Long> errors, String firstError, Map<String, Long> closedByNode,
      long storedCount) {

    Report with(Map<String, Long> closed, long stored) {
      return new Report(config, setupSeconds, loadAverage, sent, measured, acknowledged, measuredSeconds, ack, ackToResults,
          sendToResults, unseen, seenBeforeAck, finalCount, events, errors, firstError, closed, stored);
    }

    double achievedPerSecond() {
      return measuredSeconds <= 0 ? 0 : acknowledged / measuredSeconds;
    }

    long errorCount() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private SurveyResults() {}

  static JsonObject json(Report r) {
    SurveyBench.Config c = r.config();
    return new JsonObject()
        .put("benchmark", "survey")
        .put("failed", !problems(r).isEmpty())
        .put("config", new JsonObject().put("users", c.users()).put("targetPerSecond", c.rate())
            .put("durationMs", c.duration().toMillis()).put("warmupMs", c.warmup().toMillis()).put("drainMs", c.drain().toMillis()))
        .put("setupSeconds", round(r.setupSeconds()))
        .put("loadAverage", r.loadAverage())
        .put("answers", new JsonObject().put("sent", r.sent()).put("measured", r.measured()).put("acknowledged", r.acknowledged())
            .put("errors", r.errorCount()).put("errorsByKind", new JsonObject(new TreeMap<>(r.errors())))
            .put("firstError", r.firstError()))
        .put("targetPerSecond", c.rate())
        .put("achievedPerSecond", round(r.achievedPerSecond()))
        .put("ackMs", percentiles(r.ack()))
        .put("ackToResultsMs", percentiles(r.ackToResults()))
        .put("sendToResultsMs", percentiles(r.sendToResults()))
        .put("unseen", r.unseen())
        .put("seenBeforeAck", r.seenBeforeAck())
        .put("finalCount", r.finalCount())
        .put("storedCount", r.storedCount())
        .put("measuredSeconds", round(r.measuredSeconds()))
        .put("resultsEvents", r.events())
        .put("closedByNode", new JsonObject(new TreeMap<>(r.closedByNode())));
  }

  static String table(Report r) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "survey results latency: %d users, target %.0f answers/s, achieved %.1f/s over %.1f s"
        + " (%,d measured, %,d acknowledged, %,d errors)%n", r.config().users(), r.config().rate(), r.achievedPerSecond(),
        r.measuredSeconds(), r.measured(), r.acknowledged(), r.errorCount()));
    b.append(String.format(Locale.ROOT, "%-34s %10s %10s %10s%n", "ms", "p50", "p99", "max"));
    row(b, "send -> acknowledged", r.ack());
    row(b, "acknowledged -> results.updated", r.ackToResults());
    row(b, "send -> results.updated", r.sendToResults());
    b.append(String.format(Locale.ROOT, "%,d answers never seen in a count, %,d seen before their acknowledgement,"
        + " final count %,d (GetResults: %,d), %,d results.updated events%n", r.unseen(), r.seenBeforeAck(), r.finalCount(),
        r.storedCount(), r.events()));
    return b.toString();
  }

  static List<String> problems(Report r) {
    List<String> out = new ArrayList<>();
    if (r.unseen() > 0) out.add(r.unseen() + " acknowledged answers never showed in a results.updated count");
    if (r.measured() > 0 && r.errorCount() * 100 > r.measured()) {
      out.add(r.errorCount() + " answers failed " + r.errors() + ", first: " + r.firstError());
    }
    if (r.acknowledged() == 0) out.add("no answer was acknowledged");
    if (r.storedCount() >= 0 && r.storedCount() > r.sent()) {
      out.add("GetResults counts " + r.storedCount() + " responses, more than the " + r.sent() + " answers sent");
    }
    if (!r.closedByNode().isEmpty()) out.add("the node closed the subscriber: " + r.closedByNode());
    return out;
  }

  private static void row(StringBuilder b, String name, Histogram h) {
    b.append(String.format(Locale.ROOT, "%-34s %10.3f %10.3f %10.3f%n", name, ms(h, 50), ms(h, 99), max(h)));
  }

  private static JsonObject percentiles(Histogram h) {
    return new JsonObject().put("p50", round(ms(h, 50))).put("p99", round(ms(h, 99))).put("max", round(max(h)))
        .put("count", h.getTotalCount());
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static double max(Histogram h) {
    return h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
