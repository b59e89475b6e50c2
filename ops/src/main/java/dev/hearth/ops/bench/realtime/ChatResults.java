package dev.hearth.ops.bench.realtime;

import static dev.hearth.ops.bench.realtime.ChatBench.ms;

import dev.hearth.ops.bench.StoreCeiling;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/** The chat bench's table, JSON and verdict. */
final class ChatResults {

  /** A run with more failed posts than this share fails (exit code 1). */
  static final double MAX_ERROR_RATE = 0.01;

  private ChatResults() {}

  static String header(ChatBench.Config c) {
    return String.format("hearth bench chat: %s, %,d WebSocket subscribers on one public channel, %d users, %s warmup +"
        + " %s measured per sender count, %d-byte texts; client: %d cores, Java %s%n", c.url(), c.subscribers(), c.users(),
        ChatBench.human(c.warmup()), ChatBench.human(c.duration()), c.textBytes(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
  }

  static String table(ChatBench.Report r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%-8s %9s %10s %10s %13s %13s %11s %11s %13s %7s %5s %7s %6s%n", "senders", "msgs/s",
        "ack p50", "ack p99", "commit>last", "commit>last", "send>last", "send>last", "deliveries/s", "missed", "dup",
        "errors", "load"));
    sb.append(String.format("%-8s %9s %10s %10s %13s %13s %11s %11s %13s %7s %5s %7s %6s%n", "", "", "ms", "ms", "p50 ms",
        "p99 ms", "p50 ms", "p99 ms", "", "", "", "", ""));
    for (ChatBench.Run run : r.runs()) {
      var d = run.deliveries();
      sb.append(String.format("%-8d %,9.0f %10.3f %10.3f %13.3f %13.3f %11.3f %11.3f %,13.0f %,7d %,5d %,7d %6s%n",
          run.senders(), run.posts().perSecond(), run.posts().p50Ms(), run.posts().p99Ms(), ms(d.commitToLast(), 50),
          ms(d.commitToLast(), 99), ms(d.sendToLast(), 50), ms(d.sendToLast(), 99),
          run.posts().perSecond() * r.config().subscribers(), d.missedDeliveries(), d.duplicates(), run.posts().errors(),
          run.loadAtStart() == null ? "-" : String.format("%.2f", run.loadAtStart())));
    }
    if (!r.wsCeiling().isEmpty() || r.wsCeilingError() != null) {
      sb.append(String.format("%nWebSocket ceiling (a bare Vert.x broadcast server in its own JVM, one server instance per event loop,"
          + " the same %,d subscribers, clients and senders):%n", r.config().subscribers()));
      sb.append(String.format("%-8s %9s %13s %13s %13s %7s %6s   %s%n", "senders", "msgs/s", "commit>last", "commit>last",
          "deliveries/s", "missed", "load", "node deliveries/s / this"));
      for (ChatBench.Run c : r.wsCeiling()) {
        sb.append(String.format("%-8d %,9.0f %13.3f %13.3f %,13.0f %,7d %6s   %s%n", c.senders(), c.posts().perSecond(),
            ms(c.deliveries().commitToLast(), 50), ms(c.deliveries().commitToLast(), 99),
            c.posts().perSecond() * r.config().subscribers(), c.deliveries().missedDeliveries(),
            c.loadAtStart() == null ? "-" : String.format("%.2f", c.loadAtStart()),
            wsRatio(r, c).map(x -> String.format("%.3fx", x)).orElse("-")));
      }
      if (r.wsCeilingError() != null) sb.append("WebSocket ceiling FAILED: ").append(r.wsCeilingError()).append('\n');
      for (ChatBench.Run c : r.wsCeiling()) {
        wsRatio(r, c).ifPresent(x -> sb.append(String.format("target %s node deliveries/s >= %.1fx the ceiling at %d senders:"
            + " %.3fx%n", x >= WS_GOAL ? "[ ok]" : "[NO!]", WS_GOAL, c.senders(), x)));
      }
    }
    if (!r.ceiling().isEmpty() || r.ceilingError() != null) {
      sb.append(String.format("%nstore ceiling (the Hearth store alone, in this process, %,d records prefilled, 1 KiB values,"
          + " durable writes as `hearth bench store` measures them):%n", r.config().storeSize()));
      sb.append(String.format("%-8s %10s %9s %9s   %s%n", "writers", "writes/s", "p50 ms", "p99 ms", "chat msgs/s at as many senders / this"));
      for (StoreCeiling.Result c : r.ceiling()) {
        String ratio = chatAt(r, c.writers()).map(run -> String.format("%.3fx", run.posts().perSecond() / c.perSecond())).orElse("-");
        sb.append(String.format("%-8d %,10.0f %9.3f %9.3f   %s%n", c.writers(), c.perSecond(), c.p50Ms(), c.p99Ms(), ratio));
      }
      if (r.ceilingError() != null) sb.append("store ceiling FAILED: ").append(r.ceilingError()).append('\n');
    }
    sb.append(String.format("%nsetup %.1f s; %,d subscribers open at the end; connections the node closed: %s%n",
        r.setupSeconds(), r.subscribersOpen(), r.closedByNode().isEmpty() ? "none" : r.closedByNode()));
    List<String> problems = problems(r);
    sb.append(problems.isEmpty() ? "RESULT: OK\n" : "RESULT: FAILED (" + String.join("; ", problems) + ")\n");
    return sb.toString();
  }

  /** Issue 21's goal: the node's deliveries/s at least this share of the bare broadcast server's. */
  static final double WS_GOAL = 0.6;

  /** The node's messages/s (= deliveries/s over the same subscribers) over the ceiling's, at the same sender count. */
  static Optional<Double> wsRatio(ChatBench.Report r, ChatBench.Run ceiling) {
    return chatAt(r, ceiling.senders()).filter(x -> ceiling.posts().perSecond() > 0)
        .map(run -> run.posts().perSecond() / ceiling.posts().perSecond());
  }

  private static Optional<ChatBench.Run> chatAt(ChatBench.Report r, int senders) {
    return r.runs().stream().filter(run -> run.senders() == senders).findFirst();
  }

  /** Why the run failed: lost, repeated or missing deliveries, too many failed posts, no posts at all. */
  static List<String> problems(ChatBench.Report r) {
    List<String> out = new ArrayList<>();
    for (ChatBench.Run run : r.runs()) {
      var d = run.deliveries();
      String at = run.senders() + " senders: ";
      if (run.posts().requests() == 0) out.add(at + "no post was acknowledged");
      if (run.posts().errorRate() > MAX_ERROR_RATE) {
        out.add(String.format("%s%.2f%% of posts failed %s", at, run.posts().errorRate() * 100, run.posts().errorsByKind()));
      }
      if (d.missedDeliveries() > 0) out.add(at + d.missedDeliveries() + " deliveries missed (" + d.incompleteMessages() + " messages)");
      if (d.duplicates() > 0) out.add(at + d.duplicates() + " duplicate deliveries");
    }
    if (!r.closedByNode().isEmpty()) out.add("the node closed subscribers " + r.closedByNode() + " (4008: slow consumer)");
    if (r.ceilingError() != null) out.add("store ceiling failed");
    if (r.wsCeilingError() != null) out.add("WebSocket ceiling failed");
    return out;
  }

  static JsonObject json(ChatBench.Report r) {
    JsonArray runs = new JsonArray();
    for (ChatBench.Run run : r.runs()) {
      var d = run.deliveries();
      runs.add(new JsonObject().put("senders", run.senders()).put("posts", run.posts().toJson())
          .put("messagesPerSecond", round(run.posts().perSecond()))
          .put("deliveriesPerSecond", round(run.posts().perSecond() * r.config().subscribers()))
          .put("measuredMessages", d.measured()).put("incompleteMessages", d.incompleteMessages())
          .put("missedDeliveries", d.missedDeliveries()).put("duplicates", d.duplicates())
          .put("commitToLastMs", latency(d.commitToLast())).put("sendToLastMs", latency(d.sendToLast()))
          .put("loadAverageAtStart", run.loadAtStart()));
    }
    JsonArray ceiling = new JsonArray();
    for (StoreCeiling.Result c : r.ceiling()) {
      JsonObject o = c.toJson();
      chatAt(r, c.writers()).ifPresent(run -> o.put("chatOverStore", round(run.posts().perSecond() / c.perSecond())));
      ceiling.add(o);
    }
    JsonArray ws = new JsonArray();
    for (ChatBench.Run c : r.wsCeiling()) {
      JsonObject o = new JsonObject().put("senders", c.senders()).put("messagesPerSecond", round(c.posts().perSecond()))
          .put("deliveriesPerSecond", round(c.posts().perSecond() * r.config().subscribers()))
          .put("missedDeliveries", c.deliveries().missedDeliveries()).put("commitToLastMs", latency(c.deliveries().commitToLast()))
          .put("loadAverageAtStart", c.loadAtStart());
      wsRatio(r, c).ifPresent(x -> o.put("nodeOverCeiling", round(x)).put("goal", WS_GOAL).put("holds", x >= WS_GOAL));
      ws.add(o);
    }
    return new JsonObject().put("benchmark", "chat").put("config", r.config().toJson())
        .put("machine", new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
            .put("java", System.getProperty("java.version")))
        .put("setupSeconds", round(r.setupSeconds())).put("subscribersOpen", r.subscribersOpen())
        .put("closedByNode", new JsonObject(new LinkedHashMap<>(r.closedByNode())))
        .put("runs", runs).put("storeCeiling", ceiling).put("storeCeilingError", r.ceilingError())
        .put("wsCeiling", ws).put("wsCeilingError", r.wsCeilingError())
        .put("failed", !problems(r).isEmpty()).put("problems", new JsonArray(problems(r)));
  }

  private static JsonObject latency(org.HdrHistogram.Histogram h) {
    return new JsonObject().put("count", h.getTotalCount()).put("p50", ms(h, 50)).put("p90", ms(h, 90)).put("p99", ms(h, 99))
        .put("p999", ms(h, 99.9)).put("max", h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
