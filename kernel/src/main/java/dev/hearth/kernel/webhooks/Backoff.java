package dev.hearth.kernel.webhooks;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between attempts: doubling from the minimum up to the cap, each a random point in its upper
 * half ("equal jitter"), so many webhooks failing together do not retry in step, and a retry never
 * comes sooner than half its nominal delay.
 */
final class Backoff {

  private Backoff() {}

  /** The delay before attempt {@code failures + 1}, after {@code failures} failed ones (at least 1). */
  static long delayMillis(int failures, long min, long max) {
    long nominal = min;
    for (int i = 1; i < failures && nominal < max; i++) nominal *= 2;
    nominal = Math.min(nominal, max);
    long half = nominal / 2;
    return half + ThreadLocalRandom.current().nextLong(nominal - half + 1);
  }
}
