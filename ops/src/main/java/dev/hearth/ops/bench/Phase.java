package dev.hearth.ops.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Runs one measurement: {@code threads} threads start together, each runs its loop until the
 * deadline. The first failure stops every loop; a loop still running long after the deadline is a
 * stall, reported with the stuck threads' stacks (the store under test is then left behind).
 */
final class Phase {

  /** One thread's work (the i-th thread gets {@code loops.apply(i)}); returns what it measured. Must return soon after the deadline or {@code stop}. */
  interface Loop<T> {
    T run(long deadlineNanos, AtomicBoolean stop) throws Exception;
  }

  /** What every thread measured and the wall time from start until the last thread returned. */
  record Outcome<T>(List<T> perThread, double seconds) {}

  /** A measurement that failed or stalled. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final Duration MIN_GRACE = Duration.ofSeconds(60);

  private Phase() {}

  static <T> Outcome<T> run(String label, int threads, Duration duration, IntFunction<Loop<T>> loops)
      throws Failure {
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> error = new AtomicReference<>();
    List<T> results = new ArrayList<>();
    long[] deadline = new long[1];
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Loop<T> loop = loops.apply(i);
      Thread t = new Thread(() -> {
        try {
          start.await();
          T r = loop.run(deadline[0], stop);
          synchronized (results) {
            results.add(r);
          }
        } catch (Throwable e) {
          error.compareAndSet(null, e);
          stop.set(true);
        }
      }, label + "-" + i);
      t.setDaemon(true);
      t.start();
      workers.add(t);
    }
    long began = System.nanoTime();
    deadline[0] = began + duration.toNanos();
    start.countDown();
    long giveUp = deadline[0] + Math.max(MIN_GRACE.toNanos(), duration.toNanos());
    for (Thread t : workers) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(giveUp - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Failure(label + ": interrupted", e);
      }
    }
    double seconds = (System.nanoTime() - began) / 1e9;
    List<Thread> stuck = workers.stream().filter(Thread::isAlive).collect(Collectors.toList());
    if (!stuck.isEmpty()) {
      stop.set(true);
      throw new Failure(label + ": stalled, " + stuck.size() + " of " + threads + " threads still waiting "
          + String.format("%.0f s", seconds) + " after the start (the measurement lasts "
          + duration.toMillis() + " ms):\n" + stacks(stuck), null);
    }
    if (error.get() != null) {
      throw new Failure(label + ": " + error.get(), error.get());
    }
    return new Outcome<>(results, seconds);
  }

  private static String stacks(List<Thread> threads) {
    StringBuilder sb = new StringBuilder();
    for (Thread t : threads.subList(0, Math.min(3, threads.size()))) {
      sb.append("  \"").append(t.getName()).append("\" ").append(t.getState()).append('\n');
      Arrays.stream(t.getStackTrace()).limit(25).forEach(f -> sb.append("      at ").append(f).append('\n'));
    }
    return sb.toString();
  }
}
