package dev.hearth.module.metrics;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** {@link Metrics#none()}: every meter a no-op. Not API. */
final class NoMetrics implements Metrics, Metrics.Counter, Metrics.Timer {

  static final NoMetrics INSTANCE = new NoMetrics();

  private NoMetrics() {}

  @Override
  public Counter counter(String name, String... tags) {
    return this;
  }

  @Override
  public Timer timer(String name, String... tags) {
    return this;
  }

  @Override
  public void gauge(String name, DoubleSupplier value, String... tags) {}

  @Override
  public void increment() {}

  @Override
  public void increment(double amount) {}

  @Override
  public void record(Duration duration) {}
}
