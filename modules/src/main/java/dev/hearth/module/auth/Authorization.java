package dev.hearth.module.auth;

import dev.hearth.api.v1.Level;
import dev.hearth.module.ModuleException;
import java.util.Locale;

/**
 * The node's one authorization layer, as modules see it. The kernel already checks each RPC's
 * {@code (hearth.api.v1.access)} option before a handler runs; a module asks here for finer
 * checks inside a call (may this caller post in that project's channel?). The answers are the
 * same the RPC guard gives: roles read from the kernel store on every call, a higher role
 * implying the lower ones in the same tenant (org-admin covers the org's projects), and a
 * sys-admin passing every check.
 *
 * <p>Thread-safe; answers in microseconds from memory-mapped data, so it may be called on an event loop.
 *
 * @since 0.2
 */
public interface Authorization {

  /**
   * Whether {@code caller} holds at least {@code level} in the tenant {@code scopeId}: an org id for
   * {@link Level#ORG_MEMBER} and {@link Level#ORG_ADMIN}, a project id for {@link Level#PROJECT_USER}
   * and {@link Level#PROJECT_ADMIN}, ignored for the other levels. An unknown tenant is {@code false}.
   */
  boolean allows(Caller caller, Level level, String scopeId);

  /** Like {@link #allows}, failing with PERMISSION_DENIED (UNAUTHENTICATED for an anonymous caller). */
  default void require(Caller caller, Level level, String scopeId) {
    if (allows(caller, level, scopeId)) return;
    if (!caller.authenticated() && level != Level.PUBLIC) {
      throw new ModuleException(ModuleException.Code.UNAUTHENTICATED, "this needs a signed-in caller");
    }
    throw new ModuleException(ModuleException.Code.PERMISSION_DENIED,
        "not allowed: needs " + level.name().toLowerCase(Locale.ROOT).replace('_', '-') + " of " + scopeId);
  }

  /**
   * Whether {@code userId} is a bot account (owned by one project; docs/bots.md), so a module can
   * mark what it writes, such as a chat message, as a bot's. The default (for contexts made outside
   * a node) knows no bots.
   *
   * @since 0.6
   */
  default boolean isBot(String userId) {
    return false;
  }
}
