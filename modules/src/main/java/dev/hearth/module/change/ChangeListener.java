package dev.hearth.module.change;

/**
 * Receives durable change events in sequence order, one call at a time.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ChangeListener {

  /** Called once per event, in order. Should be quick; throwing closes the subscription. */
  void onEvent(ChangeEvent event);
}
