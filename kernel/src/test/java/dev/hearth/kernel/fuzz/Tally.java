package dev.hearth.kernel.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * The figures of a fuzz run: cases and how each ended (an HTTP status, a {@code grpc-status}, a
 * close code), by surface, and the time from the first case to the last. Printed when a suite
 * ends, and written to {@code target/fuzz-figures/<suite>.txt} so a build keeps them.
 */
final class Tally {

  private static final OperatingSystemMXBean CPU =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final String suite;
  private final Map<String, Map<String, LongAdder>> outcomes = new ConcurrentHashMap<>();
  private volatile long first;
  private volatile long last;
  private volatile long firstCpu;
  private volatile long lastCpu;
  private volatile Map<String, Long> firstThreads;

  Tally(String suite) {
    this.suite = suite;
  }

  void count(String surface, String outcome) {
    long now = System.nanoTime();
    long cpu = CPU.getProcessCpuTime();
    if (first == 0) {
      first = now;
      firstCpu = cpu;
      firstThreads = threadCpu();
    }
    last = now;
    lastCpu = cpu;
    outcomes.computeIfAbsent(surface, s -> new ConcurrentHashMap<>()).computeIfAbsent(outcome, o -> new LongAdder())
        .increment();
  }

  long cases() {
    return outcomes.values().stream().flatMap(m -> m.values().stream()).mapToLong(LongAdder::sum).sum();
  }

  double seconds() {
    return first == 0 ? 0 : (last - first) / 1e9;
  }

  /** One line: cases, seconds, cases a second, then each surface's outcomes in order. */
  String figures() {
    StringBuilder out = new StringBuilder();
    long cases = cases();
    double seconds = seconds();
    // CPU time of the whole JVM (node, harness and fuzzer) per case: what a run costs whatever else
    // the machine is doing.
    out.append(String.format("%s: %,d cases in %.1f s (%,.0f a second, %.2f ms of CPU each)", suite, cases, seconds,
        seconds > 0 ? cases / seconds : 0.0, cases > 1 ? (lastCpu - firstCpu) / 1e6 / (cases - 1) : 0.0));
    new TreeMap<>(outcomes).forEach((surface, byOutcome) -> {
      Map<String, Long> sorted = new TreeMap<>();
      byOutcome.forEach((k, v) -> sorted.put(k, v.sum()));
      out.append("; ").append(surface).append(' ').append(sorted.values().stream().mapToLong(Long::longValue).sum())
          .append(' ').append(sorted);
    });
    return out.toString();
  }

  /** CPU time so far by kind of thread (event loops, the fuzzer's thread, Argon2 workers, ...), in ns. */
  private static Map<String, Long> threadCpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> byKind = new TreeMap<>();
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t == null) continue;
      long ns = threads.getThreadCpuTime(t.getThreadId());
      if (ns > 0) byKind.merge(t.getThreadName().replaceAll("[0-9]+", "N"), ns, Long::sum);
    }
    return byKind;
  }

  /** Where the CPU went between the first case and now, per case, by kind of thread (the larger ones). */
  String threads() {
    Map<String, Long> before = firstThreads;
    long cases = cases();
    if (before == null || cases < 2) return "";
    StringBuilder out = new StringBuilder(suite + ": CPU per case by thread (ms):");
    threadCpu().entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() * 100 > lastCpu - firstCpu)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> out.append(String.format(" %s %.3f;", e.getKey(), e.getValue() / 1e6 / cases)));
    return out.toString();
  }

  /** Prints the figures and writes them under {@code target/fuzz-figures/} (the module's build folder). */
  void report() {
    String line = figures();
    System.out.println(line);
    System.out.println(threads());
    try {
      Path dir = Path.of("target", "fuzz-figures");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(suite + ".txt"), line + "\n");
    } catch (IOException e) {
      System.out.println("(figures not written: " + e.getMessage() + ")");
    }
  }
}
