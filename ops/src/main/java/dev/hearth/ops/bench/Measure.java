package dev.hearth.ops.bench;

import dev.hearth.module.store.Ids;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** The three measurements: durable writes with their latencies, random reads, newest-50 scans. */
final class Measure {

  /** Latencies are recorded in microseconds, up to ten minutes, to three significant digits. */
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

  private Measure() {}

  /** {@code writers} threads, each writing one new record and waiting for its acknowledgement, in a loop. */
  static Results.Writes writes(Contender c, Workload w, int writers, Duration duration) throws Phase.Failure {
    String label = c.name() + "-w" + writers;
    Phase.Outcome<Histogram> out = Phase.run(label, writers, duration, () -> (deadline, stop) -> {
      Histogram h = new Histogram(MAX_MICROS, 3);
      String lastKey = null;
      byte[] lastValue = null;
      while (!stop.get() && System.nanoTime() < deadline) {
        String key = Ids.next();
        byte[] value = w.randomValue();
        long t0 = System.nanoTime();
        c.put(key, value);
        h.recordValue(Math.max(1, Math.min(MAX_MICROS, (System.nanoTime() - t0) / 1000)));
        lastKey = key;
        lastValue = value;
      }
      if (lastKey != null) {
        byte[] read = c.get(lastKey);
        if (!Arrays.equals(read, lastValue)) {
          throw new IllegalStateException("acknowledged write " + lastKey + " reads back as "
              + (read == null ? "missing" : read.length + " other bytes"));
        }
      }
      return h;
    });
    Histogram all = new Histogram(MAX_MICROS, 3);
    out.perThread().forEach(all::add);
    return new Results.Writes(writers, all.getTotalCount(), out.seconds(),
        all.getTotalCount() / out.seconds(),
        ms(all.getValueAtPercentile(50)), ms(all.getValueAtPercentile(99)),
        ms(all.getValueAtPercentile(99.9)), ms(all.getMaxValue()), all.getMean() / 1000);
  }

  /** {@code threads} threads reading random prefilled records and checking each value. */
  static Results.Reads reads(Contender c, Workload w, int threads, Duration duration) throws Phase.Failure {
    Phase.Outcome<Long> out = Phase.run(c.name() + "-r" + threads, threads, duration, () -> (deadline, stop) -> {
      long n = 0;
      while (!stop.get() && System.nanoTime() < deadline) {
        int i = w.randomPrefilled();
        String key = w.key(i);
        byte[] value = c.get(key);
        if (!Arrays.equals(value, w.expected(i))) {
          throw new IllegalStateException("prefilled record " + key + " reads back as "
              + (value == null ? "missing" : value.length + " other bytes"));
        }
        n++;
      }
      return n;
    });
    long total = out.perThread().stream().mapToLong(Long::longValue).sum();
    return new Results.Reads(threads, total, total / out.seconds());
  }

  /** One thread scanning the newest 50 records (decrypting each) in a loop. */
  static double scans(Contender c, Duration duration, long records) throws Phase.Failure {
    int expected = (int) Math.min(50, records);
    Phase.Outcome<Long> out = Phase.run(c.name() + "-scan", 1, duration, () -> (deadline, stop) -> {
      long n = 0;
      while (System.nanoTime() < deadline) {
        int got = c.scanNewest50();
        if (got != expected) {
          throw new IllegalStateException("scan of the newest 50 returned " + got + " records, expected " + expected);
        }
        n++;
      }
      return n;
    });
    return out.perThread().get(0) / out.seconds();
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }
}
