package dev.hearth.ops.bench;

import dev.hearth.kernel.config.StoreOptions;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The store-only reference other benchmarks print next to their figures: the Hearth store's durable
 * writes/s with W writers, measured exactly as {@code hearth bench store} measures its
 * {@code hearth} contender (default options, 1 KiB values, prefilled first), in this process, in a
 * temporary directory deleted afterwards.
 */
public final class StoreCeiling {

  /** One writer count: acknowledged durable writes/s and their latency. */
  public record Result(int writers, long count, double seconds, double perSecond, double p50Ms, double p99Ms,
      double maxMs) {

    public JsonObject toJson() {
      return new JsonObject().put("writers", writers).put("count", count).put("seconds", round(seconds))
          .put("perSecond", round(perSecond)).put("p50Ms", p50Ms).put("p99Ms", p99Ms).put("maxMs", maxMs);
    }

    private static double round(double v) {
      return Math.round(v * 100) / 100.0;
    }
  }

  private static final int VALUE_BYTES = 1024;
  private static final int PREFILL_BATCH = 5000;

  private StoreCeiling() {}

  /**
   * Prefills a fresh Hearth store under {@code baseDir} to {@code size} records, then for each
   * writer count writes for {@code warmup} (not counted) and {@code duration}; closes and deletes it.
   */
  public static List<Result> measure(Path baseDir, int size, List<Integer> writers, Duration warmup, Duration duration,
      PrintWriter log) throws Exception {
    Path dir = Files.createTempDirectory(Files.createDirectories(baseDir), "hearth-ceiling-");
    Contender c = Contender.create("hearth", Sealer.create(), StoreOptions.defaults());
    Workload w = new Workload(Workload.randomPool(VALUE_BYTES, 42));
    List<Result> out = new ArrayList<>();
    try {
      c.open(dir);
      log.printf("store ceiling: prefilling a Hearth store in %s to %,d records%n", dir, size);
      log.flush();
      while (w.prefilled() < size) {
        c.putBatch(w.nextPrefill(Math.min(PREFILL_BATCH, size - w.prefilled())));
      }
      for (int n : writers) {
        if (!warmup.isZero()) {
          Measure.writes(c, w, n, warmup);
        }
        Results.Writes r = Measure.writes(c, w, n, duration);
        out.add(new Result(n, r.count(), r.seconds(), r.perSecond(), r.p50Ms(), r.p99Ms(), r.maxMs()));
        log.printf("store ceiling: %d writer%s, %,.0f durable writes/s, p50 %.3f ms, p99 %.3f ms%n", n,
            n == 1 ? "" : "s", r.perSecond(), r.p50Ms(), r.p99Ms());
        log.flush();
      }
    } finally {
      try {
        c.close();
      } finally {
        StoreBench.deleteTree(dir);
      }
    }
    return out;
  }
}
