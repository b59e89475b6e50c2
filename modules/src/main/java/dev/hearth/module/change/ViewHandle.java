package dev.hearth.module.change;

import io.vertx.core.Future;

/**
 * A registered view's progress.
 *
 * @since 0.1
 */
public interface ViewHandle {

  String name();

  /** The sequence of the last event folded into the view. */
  long sequence();

  /** Completes once the view has folded every event up to {@code sequence}. */
  Future<Void> awaitSequence(long sequence);
}
