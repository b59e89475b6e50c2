package dev.hearth.ops.bench;

import dev.hearth.module.store.Ids;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** The measurements: durable writes with their latencies, random reads, reads while writing, newest-50 scans. */
final class Measure {

  /** Latencies are recorded in microseconds, up to ten minutes, to three significant digits. */
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

  private Measure() {}

  /** {@code writers} threads, each writing one new record and waiting for its acknowledgement, in a loop. */
  static Results.Writes writes(Contender c, Workload w, int writers, Duration duration) throws Phase.Failure {
    Phase.Outcome<Histogram> out = Phase.run(c.name() + "-w" + writers, writers, duration, i -> writeLoop(c, w));
    Histogram all = merge(out.perThread());
    return new Results.Writes(writers, all.getTotalCount(), out.seconds(),
        all.getTotalCount() / out.seconds(),
        ms(all.getValueAtPercentile(50)), ms(all.getValueAtPercentile(99)),
        ms(all.getValueAtPercentile(99.9)), ms(all.getMaxValue()), all.getMean() / 1000);
  }

  /**
   * {@code writers} writers as in {@link #writes} and, at the same time, one thread reading random
   * prefilled records: how long a read waits while the store is busy writing (and checkpointing).
   */
  static Results.Mixed mixed(Contender c, Workload w, int writers, Duration duration) throws Phase.Failure {
    Phase.Outcome<Histogram> out = Phase.run(c.name() + "-mixed" + writers, writers + 1, duration,
        i -> i < writers ? tagged(writeLoop(c, w), WRITE) : tagged(readLoop(c, w), READ));
    Histogram wr = merge(out.perThread().stream().filter(h -> h.getTag().equals(WRITE)).collect(Collectors.toList()));
    Histogram rd = merge(out.perThread().stream().filter(h -> h.getTag().equals(READ)).collect(Collectors.toList()));
    return new Results.Mixed(writers, wr.getTotalCount(), wr.getTotalCount() / out.seconds(), ms(wr.getValueAtPercentile(99.9)),
        ms(wr.getMaxValue()), rd.getTotalCount() / out.seconds(), ms(rd.getValueAtPercentile(50)),
        ms(rd.getValueAtPercentile(99)), ms(rd.getValueAtPercentile(99.9)), ms(rd.getMaxValue()));
  }

  private static final String WRITE = "write";
  private static final String READ = "read";

  private static Phase.Loop<Histogram> tagged(Phase.Loop<Histogram> loop, String tag) {
    return (deadline, stop) -> {
      Histogram h = loop.run(deadline, stop);
      h.setTag(tag);
      return h;
    };
  }

  private static Phase.Loop<Histogram> writeLoop(Contender c, Workload w) {
    return (deadline, stop) -> {
      Histogram h = new Histogram(MAX_MICROS, 3);
      String lastKey = null;
      byte[] lastValue = null;
      while (!stop.get() && System.nanoTime() < deadline) {
        String key = Ids.next();
        byte[] value = w.randomValue();
        long t0 = System.nanoTime();
        c.put(key, value);
        record(h, t0);
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
    };
  }

  private static Phase.Loop<Histogram> readLoop(Contender c, Workload w) {
    return (deadline, stop) -> {
      Histogram h = new Histogram(MAX_MICROS, 3);
      while (!stop.get() && System.nanoTime() < deadline) {
        int i = w.randomPrefilled();
        String key = w.key(i);
        long t0 = System.nanoTime();
        byte[] value = c.get(key);
        record(h, t0);
        if (!Arrays.equals(value, w.expected(i))) {
          throw new IllegalStateException("prefilled record " + key + " reads back as "
              + (value == null ? "missing" : value.length + " other bytes"));
        }
      }
      return h;
    };
  }

  private static void record(Histogram h, long startNanos) {
    h.recordValue(Math.max(1, Math.min(MAX_MICROS, (System.nanoTime() - startNanos) / 1000)));
  }

  private static Histogram merge(List<Histogram> parts) {
    Histogram all = new Histogram(MAX_MICROS, 3);
    parts.forEach(all::add);
    return all;
  }

  /** {@code threads} threads reading random prefilled records and checking each value. */
  static Results.Reads reads(Contender c, Workload w, int threads, Duration duration) throws Phase.Failure {
    Phase.Outcome<Histogram> out = Phase.run(c.name() + "-r" + threads, threads, duration, i -> readLoop(c, w));
    long total = merge(out.perThread()).getTotalCount();
    return new Results.Reads(threads, total, total / out.seconds());
  }

  /** One thread scanning the newest 50 records (decrypting each) in a loop. */
  static double scans(Contender c, Duration duration, long records) throws Phase.Failure {
    int expected = (int) Math.min(50, records);
    Phase.Outcome<Long> out = Phase.run(c.name() + "-scan", 1, duration, i -> (deadline, stop) -> {
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
