package dev.hearth.testkit;

import java.time.Duration;

/**
 * Waits with a deadline: a test that polls for something says what it waits for and for how long,
 * so a condition that never comes fails the test with that name instead of holding CI.
 */
public final class Waits {

  private Waits() {}

  /** A condition a test polls for; it may call the node (and so throw), which fails the wait. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /**
   * Polls {@code done} every 20 ms until it holds; fails naming {@code what} after {@code timeout}. A
   * condition that throws fails the wait at once with that exception (unchecked as it is, else wrapped).
   * Waiting for a future is {@link Await#await}.
   */
  public static void until(String what, Duration timeout, Condition done) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!holds(done)) {
      if (System.nanoTime() - end > 0) throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      Thread.sleep(20);
    }
  }

  private static boolean holds(Condition done) throws InterruptedException {
    try {
      return done.holds();
    } catch (InterruptedException | RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
