package dev.hearth.kernel.metrics;

import java.time.Duration;

/**
 * The histogram buckets of every Hearth timer: fixed, few (13) and the same everywhere, so latency
 * series stay cheap (Micrometer's percentile histogram would add ~70 buckets per series) and
 * dashboards can compare them.
 */
final class Buckets {

  static final Duration[] LATENCY = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10)};

  private Buckets() {}
}
