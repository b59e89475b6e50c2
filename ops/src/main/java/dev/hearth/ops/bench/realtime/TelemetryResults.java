package dev.hearth.ops.bench.realtime;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * {@code hearth bench telemetry}'s output: per mode the median over rounds of messages/s, send
 * acknowledgement p50/p99 and commit-to-last-subscriber p50/p99, each also as a ratio to the
 * {@code off} baseline of the same run; every measurement in the JSON.
 */
final class TelemetryResults {

  private TelemetryResults() {}

  /** The medians of one mode. */
  record Summary(TelemetryMode mode, int rounds, double perSecond, double ackP50, double ackP99, double deliveryP50,
      double deliveryP99, double cpuMsPerMessage, double pairedThroughput, double pairedCpu) {}

  static List<Summary> summarize(TelemetryBench.Report r) {
    List<Summary> out = new ArrayList<>();
    for (TelemetryMode m : TelemetryMode.values()) {
      List<TelemetryBench.Measurement> ms = r.measurements().stream().filter(x -> x.mode() == m).toList();
      out.add(new Summary(m, ms.size(), median(ms, x -> x.posts().perSecond()), median(ms, x -> x.posts().p50Ms()),
          median(ms, x -> x.posts().p99Ms()), median(ms, x -> ChatBench.ms(x.deliveries().commitToLast(), 50)),
          median(ms, x -> ChatBench.ms(x.deliveries().commitToLast(), 99)), median(ms, x -> x.cpuMsPerMessage()),
          paired(r, m, x -> x.posts().perSecond()), paired(r, m, x -> x.cpuMsPerMessage())));
    }
    return out;
  }

  /** The median over rounds of this mode's value over the off node's value in the same round. */
  private static double paired(TelemetryBench.Report r, TelemetryMode m, ToDoubleFunction<TelemetryBench.Measurement> f) {
    List<Double> ratios = new ArrayList<>();
    for (TelemetryBench.Measurement x : r.measurements()) {
      if (x.mode() != m) continue;
      r.measurements().stream().filter(o -> o.mode() == TelemetryMode.OFF && o.round() == x.round()).findFirst()
          .ifPresent(o -> ratios.add(ratio(f.applyAsDouble(x), f.applyAsDouble(o))));
    }
    double[] v = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) return 0;
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static String table(TelemetryBench.Report r) {
    List<Summary> s = summarize(r);
    Summary off = s.get(0);
    StringBuilder b = new StringBuilder();
    b.append(String.format("chat load: %d senders (closed loop), %,d subscribers, %d users, %s measured per round, %d rounds,"
        + " medians over rounds%n", r.config().senders(), r.config().subscribers(), r.config().users(),
        ChatBench.human(r.config().duration()), r.config().rounds()));
    b.append(String.format("%-16s %12s %8s %10s %8s %10s %8s %12s %8s %12s %8s%n", "mode", "messages/s", "ratio", "ack p50 ms",
        "ratio", "ack p99 ms", "ratio", "deliv p50 ms", "ratio", "deliv p99 ms", "ratio"));
    for (Summary x : s) {
      b.append(String.format("%-16s %,12.0f %8.3f %10.3f %8.3f %10.3f %8.3f %12.3f %8.3f %12.3f %8.3f%n", x.mode().label,
          x.perSecond(), ratio(x.perSecond(), off.perSecond()), x.ackP50(), ratio(x.ackP50(), off.ackP50()), x.ackP99(),
          ratio(x.ackP99(), off.ackP99()), x.deliveryP50(), ratio(x.deliveryP50(), off.deliveryP50()), x.deliveryP99(),
          ratio(x.deliveryP99(), off.deliveryP99())));
    }
    b.append(String.format("%nCPU time of this process per message, and each round's value over the off node's in the same round"
        + " (median over rounds):%n%-16s %14s %8s %20s %20s%n", "mode", "CPU ms/msg", "ratio", "paired msgs/s ratio",
        "paired CPU ratio"));
    for (Summary x : s) {
      b.append(String.format("%-16s %14.3f %8.3f %20.3f %20.3f%n", x.mode().label, x.cpuMsPerMessage(),
          ratio(x.cpuMsPerMessage(), off.cpuMsPerMessage()), x.pairedThroughput(), x.pairedCpu()));
    }
    b.append(String.format("traces: %,d exports, %,.1f MiB to the in-process OTLP/HTTP sink%n", r.traceExports(),
        r.traceBytes() / 1048576.0));
    return b.toString();
  }

  static JsonObject json(TelemetryBench.Report r) {
    TelemetryBench.Config c = r.config();
    JsonObject out = new JsonObject().put("config", new JsonObject().put("subscribers", c.subscribers()).put("senders", c.senders())
        .put("users", c.users()).put("durationMs", c.duration().toMillis()).put("warmupMs", c.warmup().toMillis())
        .put("rounds", c.rounds()).put("scrapeEveryMs", c.scrapeEvery().toMillis()).put("textBytes", c.textBytes()));
    List<Summary> s = summarize(r);
    Summary off = s.get(0);
    JsonArray modes = new JsonArray();
    for (Summary x : s) {
      modes.add(new JsonObject().put("mode", x.mode().label).put("rounds", x.rounds()).put("messagesPerSecond", x.perSecond())
          .put("ackP50Ms", x.ackP50()).put("ackP99Ms", x.ackP99()).put("deliveryP50Ms", x.deliveryP50())
          .put("deliveryP99Ms", x.deliveryP99()).put("cpuMsPerMessage", x.cpuMsPerMessage())
          .put("pairedRatioToOff", new JsonObject().put("messagesPerSecond", x.pairedThroughput()).put("cpuMsPerMessage", x.pairedCpu()))
          .put("ratioToOff", new JsonObject().put("cpuMsPerMessage", ratio(x.cpuMsPerMessage(), off.cpuMsPerMessage()))
              .put("messagesPerSecond", ratio(x.perSecond(), off.perSecond())).put("ackP50", ratio(x.ackP50(), off.ackP50()))
              .put("ackP99", ratio(x.ackP99(), off.ackP99())).put("deliveryP50", ratio(x.deliveryP50(), off.deliveryP50()))
              .put("deliveryP99", ratio(x.deliveryP99(), off.deliveryP99()))));
    }
    JsonArray runs = new JsonArray();
    for (TelemetryBench.Measurement m : r.measurements()) {
      runs.add(new JsonObject().put("round", m.round() + 1).put("mode", m.mode().label).put("posts", m.posts().toJson())
          .put("deliveryP50Ms", ChatBench.ms(m.deliveries().commitToLast(), 50))
          .put("deliveryP99Ms", ChatBench.ms(m.deliveries().commitToLast(), 99))
          .put("missedDeliveries", m.deliveries().missedDeliveries()).put("scrapes", m.scrapes()).put("cpuMsPerMessage", m.cpuMsPerMessage()).put("loadAtStart", m.loadAtStart()));
    }
    return out.put("modes", modes).put("measurements", runs)
        .put("traces", new JsonObject().put("exports", r.traceExports()).put("bytes", r.traceBytes()));
  }

  /** Missed deliveries, more than 1% failed posts, a traced node that exported nothing. */
  static List<String> problems(TelemetryBench.Report r) {
    List<String> p = new ArrayList<>();
    for (TelemetryBench.Measurement m : r.measurements()) {
      String where = "round " + (m.round() + 1) + " " + m.mode().label;
      if (m.deliveries().missedDeliveries() > 0) p.add(where + ": " + m.deliveries().missedDeliveries() + " deliveries missed");
      if (m.posts().errorRate() > 0.01) p.add(where + ": " + m.posts().errors() + " posts failed " + m.posts().errorsByKind());
    }
    if (r.traceExports() == 0) p.add("the traced node exported no spans");
    return p;
  }

  static double ratio(double x, double base) {
    return base == 0 ? 0 : Math.round(x / base * 1000) / 1000.0;
  }

  private static double median(List<TelemetryBench.Measurement> ms, ToDoubleFunction<TelemetryBench.Measurement> f) {
    double[] v = ms.stream().mapToDouble(f).sorted().toArray();
    if (v.length == 0) return 0;
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
