package dev.hearth.ops.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a run measured, in the shape both the table and the JSON output read. */
final class Results {

  private Results() {}

  /** Durable writes by {@code writers} concurrent writers; latencies are per acknowledgement. */
  record Writes(int writers, long count, double seconds, double perSecond,
      double p50Ms, double p99Ms, double p999Ms, double maxMs, double meanMs) {

    JsonObject toJson() {
      return new JsonObject().put("writers", writers).put("count", count).put("seconds", round(seconds))
          .put("perSecond", round(perSecond)).put("p50Ms", p50Ms).put("p99Ms", p99Ms)
          .put("p999Ms", p999Ms).put("maxMs", maxMs).put("meanMs", round(meanMs));
    }
  }

  /** Random reads of existing records, decrypted and checked, by {@code threads} threads. */
  record Reads(int threads, long count, double perSecond) {

    JsonObject toJson() {
      return new JsonObject().put("threads", threads).put("count", count).put("perSecond", round(perSecond));
    }
  }

  /** One reader's latency while {@code writers} writers write, and the writes meanwhile. */
  record Mixed(int writers, long writeCount, double writesPerSecond, double writeP999Ms, double writeMaxMs,
      double readsPerSecond, double readP50Ms, double readP99Ms, double readP999Ms, double readMaxMs) {

    JsonObject toJson() {
      return new JsonObject().put("writers", writers).put("writesPerSecond", round(writesPerSecond))
          .put("writeP999Ms", writeP999Ms).put("writeMaxMs", writeMaxMs)
          .put("readsPerSecond", round(readsPerSecond)).put("readP50Ms", readP50Ms)
          .put("readP99Ms", readP99Ms).put("readP999Ms", readP999Ms).put("readMaxMs", readMaxMs);
    }
  }

  /** One contender at one size. Filled in as the run goes, so a failure keeps what was measured. */
  static final class Run {
    final String contender;
    final int size;
    double prefillPerSecond;
    final List<Writes> writes = new ArrayList<>();
    final List<Reads> reads = new ArrayList<>();
    Double scansPerSecond;
    Mixed mixed;
    long records;
    long diskBytes;
    /** The machine's 1-minute load average when this run started, if known: other work skews results. */
    Double loadAtStart;
    String error;

    Run(String contender, int size) {
      this.contender = contender;
      this.size = size;
    }

    Optional<Writes> writes(int writers) {
      return writes.stream().filter(w -> w.writers() == writers).findFirst();
    }

    Optional<Reads> reads(int threads) {
      return reads.stream().filter(r -> r.threads() == threads).findFirst();
    }

    JsonObject toJson() {
      JsonArray w = new JsonArray();
      writes.forEach(x -> w.add(x.toJson()));
      JsonArray r = new JsonArray();
      reads.forEach(x -> r.add(x.toJson()));
      return new JsonObject().put("contender", contender).put("size", size)
          .put("prefillPerSecond", round(prefillPerSecond)).put("writes", w).put("reads", r)
          .put("scansPerSecond", scansPerSecond == null ? null : round(scansPerSecond))
          .put("readsWhileWriting", mixed == null ? null : mixed.toJson())
          .put("recordsAtEnd", records).put("diskBytes", diskBytes).put("loadAverageAtStart", loadAtStart)
          .put("error", error);
    }
  }

  /** Every contender at one store size. */
  record Size(int size, List<Run> runs) {

    Optional<Run> run(String contender) {
      return runs.stream().filter(r -> r.contender.equals(contender)).findFirst();
    }
  }

  /** The whole run. */
  record Report(StoreBench.Config config, List<Size> sizes) {

    boolean failed() {
      return sizes.stream().flatMap(s -> s.runs().stream()).anyMatch(r -> r.error != null);
    }

    JsonObject toJson() {
      JsonArray out = new JsonArray();
      for (Size s : sizes) {
        JsonObject contenders = new JsonObject();
        s.runs().forEach(r -> contenders.put(r.contender, r.toJson()));
        out.add(new JsonObject().put("size", s.size()).put("contenders", contenders)
            .put("ratios", Comparison.ratiosJson(s)).put("target", Comparison.target(s).toJson()));
      }
      return new JsonObject().put("benchmark", "store").put("config", config.toJson()).put("sizes", out)
          .put("target", Comparison.overall(sizes).toJson());
    }
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
