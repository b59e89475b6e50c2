package dev.hearth.module.realtime;

/**
 * Hears when a user's first realtime connection opens and their last one closes.
 *
 * @since 0.3
 */
@FunctionalInterface
public interface PresenceListener {

  /**
   * Called once each time {@code userId} goes from no authenticated realtime connection to one
   * ({@code connected} true), and back ({@code connected} false). Runs on an event loop; must be
   * quick.
   */
  void onPresence(String userId, boolean connected);
}
