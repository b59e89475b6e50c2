package dev.hearth.module.change;

/**
 * A running {@link ChangeListener} subscription.
 *
 * @since 0.1
 */
public interface Subscription extends AutoCloseable {

  /** The sequence of the last event delivered to the listener. */
  long position();

  /** Stops delivery; no call to the listener starts after this returns. Idempotent. */
  @Override
  void close();
}
