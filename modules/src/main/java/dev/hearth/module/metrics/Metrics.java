package dev.hearth.module.metrics;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * A module's own meters, exported with the node's on {@code GET /metrics} (Prometheus text format).
 * The SDK does not depend on a metrics library: the node maps these onto its own.
 *
 * <p><b>Names.</b> {@code name} is lower-case snake case ({@code [a-z][a-z0-9_]*}, at most 64
 * characters) and is exported as {@code hearth_module_<moduleId>_<name>} (a {@code -} in the module id
 * becomes {@code _}), with the suffix of its type added: {@code _total} for a counter,
 * {@code _seconds} for a timer. So {@code counter("messages_posted")} of module {@code chat} is
 * {@code hearth_module_chat_messages_posted_total}.
 *
 * <p><b>Tags</b> are key/value pairs ({@code "kind", "reply"}); keys are snake case. Every value
 * becomes a separate time series, so a tag must take few values: never a user, project or message
 * id, never content. Meters of one name must always use the same tag keys. A module that registers
 * too many meters (see the node's documentation) gets meters that count nothing past the limit, and
 * the node logs it once; metrics never make a module's call fail.
 *
 * <p><b>Lifetime.</b> Asking twice for the same name and tags returns a meter that adds to the same
 * series. Everything a module registered is removed when it stops. Every method may be called from
 * any thread; meters are cheap to update and may be kept in fields.
 *
 * @since 0.4
 */
public interface Metrics {

  /**
   * A counter: a value that only goes up (events, items).
   *
   * @throws IllegalArgumentException for a malformed name or an odd number of tag strings
   */
  Counter counter(String name, String... tags);

  /**
   * A timer: how long something took, exported as a histogram of seconds (count, sum, buckets).
   *
   * @throws IllegalArgumentException for a malformed name or an odd number of tag strings
   */
  Timer timer(String name, String... tags);

  /**
   * A gauge: a value read when the node is scraped, from {@code value}, which must be quick, must
   * not block and must not throw. Registering the same name and tags again replaces the supplier.
   *
   * @throws IllegalArgumentException for a malformed name or an odd number of tag strings
   */
  void gauge(String name, DoubleSupplier value, String... tags);

  /** Meters that record nothing: what a context made outside a node (a test double) returns. */
  static Metrics none() {
    return NoMetrics.INSTANCE;
  }

  /**
   * A counter of one series.
   *
   * @since 0.4
   */
  interface Counter {
    /** Adds one. */
    void increment();

    /** Adds {@code amount}, which must not be negative. */
    void increment(double amount);
  }

  /**
   * A timer of one series.
   *
   * @since 0.4
   */
  interface Timer {
    /** Records one duration; a negative one is ignored. */
    void record(Duration duration);
  }
}
