package dev.hearth.ops.bench.realtime;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * CPU time (user + system) of other processes on this machine, as the operating system counts it
 * ({@link ProcessHandle.Info#totalCpuDuration()}: {@code /proc/<pid>/stat} on Linux, clock ticks of
 * 10 ms), for the work per delivery of each process of a cluster.
 */
final class ProcessCpu {

  private ProcessCpu() {}

  /** Each live process's CPU time so far, in ms; a process the OS does not tell about is left out. */
  static Map<String, Long> millis(Map<String, Long> pids) {
    Map<String, Long> out = new TreeMap<>();
    pids.forEach((name, pid) -> cpu(pid).ifPresent(d -> out.put(name, d.toMillis())));
    return out;
  }

  /** The CPU ms each process used since {@code before} (from {@link #millis}). */
  static Map<String, Double> since(Map<String, Long> before, Map<String, Long> pids) {
    Map<String, Double> out = new TreeMap<>();
    millis(pids).forEach((name, now) -> {
      Long then = before.get(name);
      if (then != null) out.put(name, (double) (now - then));
    });
    return out;
  }

  private static Optional<Duration> cpu(long pid) {
    return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration());
  }
}
