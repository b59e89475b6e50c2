package dev.hearth.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Helper threads of a test (writers under load, samplers) whose failures fail the test: a thread
 * that throws is recorded, {@link #failure()} lets the test stop early, and {@link #join} rethrows
 * the first failure, so a writer that died cannot leave the test passing on less load than it says.
 */
public final class Workers {

  /** A helper's body; it may throw. */
  public interface Body {
    void run() throws Exception;
  }

  private final List<Thread> threads = new ArrayList<>();
  private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

  /** Starts {@code body} on a new thread named {@code name}. */
  public Workers start(String name, Body body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable e) {
        failures.add(e);
      }
    }, name);
    t.setDaemon(true); // a stuck helper must not keep the test JVM alive after the test timed out
    threads.add(t);
    t.start();
    return this;
  }

  /** Throws the first failure of a helper so far, if any (call it inside wait loops). */
  public void failure() {
    Throwable e = failures.peek();
    if (e != null) throw new AssertionError("a helper thread failed: " + e, e);
  }

  /** Waits for every helper to end within {@code timeout}, then rethrows the first failure. */
  public void join(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    for (Thread t : threads) {
      t.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
      if (t.isAlive()) throw new AssertionError(t.getName() + " did not end within " + timeout);
    }
    failure();
  }
}
