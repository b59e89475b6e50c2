package dev.hearth.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits with a deadline: a test that polls for something says what it waits for and for how long,
 * so a condition that never comes fails the test with that name instead of holding CI.
 */
public final class Waits {

  private Waits() {}

  /** Polls {@code done} every 20 ms until it holds; fails naming {@code what} after {@code timeout}. */
  public static void until(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - end > 0) throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      Thread.sleep(20);
    }
  }
}
