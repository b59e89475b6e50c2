package dev.hearth.module.auth;

import java.util.Objects;

/**
 * Who makes a call, as the kernel authenticated it before any handler runs. Immutable.
 *
 * @param userId the user's id; {@code null} only for {@link #ANONYMOUS}
 * @param sysAdmin whether the user is a sys-admin of the node
 * @param sessionId the session (refresh-token family) the access token belongs to; {@code null}
 *     for API tokens and anonymous callers
 * @param via how the caller proved who they are
 * @since 0.2
 */
public record Caller(String userId, boolean sysAdmin, String sessionId, Via via) {

  /** How a caller authenticated. */
  public enum Via {
    /** No credentials. */
    NONE,
    /** A short-lived access token (JWT) from a log-in session. */
    SESSION,
    /** A long-lived API token. */
    API_TOKEN,
    /**
     * A user of a linked node, acting through a signed mutation request; never a sys-admin.
     *
     * @since 0.4
     */
    FEDERATED
  }

  /** The caller without credentials. */
  public static final Caller ANONYMOUS = new Caller(null, false, null, Via.NONE);

  public Caller {
    Objects.requireNonNull(via, "via");
    if (via != Via.NONE) Objects.requireNonNull(userId, "userId");
    if (via == Via.FEDERATED && sysAdmin) throw new IllegalArgumentException("a FEDERATED caller is never a sys-admin");
  }

  /** Whether the caller is signed in (by session or API token), or vouched for by a linked node. */
  public boolean authenticated() {
    return via != Via.NONE;
  }
}
