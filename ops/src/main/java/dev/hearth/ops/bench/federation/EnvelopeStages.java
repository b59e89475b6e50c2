package dev.hearth.ops.bench.federation;

import dev.hearth.federation.cdc.EnvelopeTrace;
import dev.hearth.federation.cdc.EnvelopeTrace.Stage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where the envelopes of one phase spent their time, from {@link EnvelopeTrace} (on with {@code
 * -Dhearth.federation.trace=true}): per step between two stages, p50 / p99 / max over the envelopes
 * committed in the phase, and for the slowest 1% (commit to replica commit), which step took most of
 * their time. A step an envelope skipped (a stage not marked) is left out of its row.
 */
final class EnvelopeStages {

  private EnvelopeStages() {}

  /** Logs the summary of the envelopes whose first event a committed between {@code fromMicros} and {@code toMicros}. */
  static void log(String phase, long fromMicros, long toMicros, Consumer<String> out) {
    Stage[] stages = Stage.values();
    List<long[]> rows = new ArrayList<>();
    for (Map.Entry<String, long[]> e : EnvelopeTrace.rows().entrySet()) {
      long[] r = e.getValue();
      long committed = r[Stage.COMMITTED.ordinal()];
      if (committed >= fromMicros && committed <= toMicros && r[Stage.APPLIED.ordinal()] > 0) rows.add(r);
    }
    if (rows.isEmpty()) {
      out.accept(phase + ": no traced envelopes");
      return;
    }
    out.accept(String.format("%s: where %,d envelopes' time went (ms; EnvelopeTrace)", phase, rows.size()));
    for (int s = 1; s < stages.length; s++) {
      long[] ms = step(rows, s - 1, s);
      if (ms.length == 0) continue;
      out.accept(String.format("  %-9s -> %-9s p50 %8.1f  p99 %8.1f  max %8.1f", name(stages[s - 1]), name(stages[s]),
          ms[ms.length / 2] / 1000.0, ms[Math.min(ms.length - 1, (int) (ms.length * 0.99))] / 1000.0, ms[ms.length - 1] / 1000.0));
    }
    long[] total = step(rows, Stage.COMMITTED.ordinal(), Stage.APPLIED.ordinal());
    long slow = total[Math.min(total.length - 1, (int) (total.length * 0.99))];
    int[] worst = new int[stages.length];
    int n = 0;
    for (long[] r : rows) {
      if (r[Stage.APPLIED.ordinal()] - r[Stage.COMMITTED.ordinal()] < slow) continue;
      n++;
      int at = 0;
      long most = -1;
      for (int s = 1; s <= Stage.APPLIED.ordinal(); s++) {
        if (r[s] == 0 || r[s - 1] == 0) continue;
        if (r[s] - r[s - 1] > most) {
          most = r[s] - r[s - 1];
          at = s;
        }
      }
      worst[at]++;
    }
    StringBuilder b = new StringBuilder();
    for (int s = 1; s < stages.length; s++) {
      if (worst[s] > 0) b.append(String.format(" %s->%s %d;", name(stages[s - 1]), name(stages[s]), worst[s]));
    }
    out.accept(String.format("  the slowest 1%% (%,d envelopes, commit -> applied >= %.1f ms), their longest step:%s", n,
        slow / 1000.0, b));
  }

  /** µs from stage {@code a} to stage {@code b} of every row that has both, sorted. */
  private static long[] step(List<long[]> rows, int a, int b) {
    long[] out = rows.stream().filter(r -> r[a] > 0 && r[b] > 0).mapToLong(r -> r[b] - r[a]).toArray();
    Arrays.sort(out);
    return out;
  }

  private static String name(Stage s) {
    return s.name().toLowerCase();
  }
}
