package dev.hearth.kernel.identity;

import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Tx;
import dev.hearth.tenancy.v1.Membership;

/**
 * What sign-up needs of invites, which are tenancy's: identity creates the account, the invite's
 * role is granted by its implementation. Identity calls it; tenancy implements it.
 */
public interface InviteCodes {

  /** The scope a redemption of {@code code} writes in: the invite's project, "" for an org invite (or an unknown code, which fails). */
  String scopeOf(String code);

  /**
   * Checks, inside {@code tx}, that {@code code} could be redeemed now, without using it: a sign-up
   * with a project invite creates the account (unscoped) before it redeems (in the project's scope).
   *
   * @throws ModuleException INVALID_ARGUMENT naming {@code field} for an unknown, used up or expired code
   */
  void checkUsable(Tx tx, String code, String field);

  /**
   * Redeems {@code code} for {@code userId}, a user of this node, inside {@code tx}, a write in
   * {@code scope} (what {@link #scopeOf} found); errors name {@code field}.
   */
  Membership redeem(Tx tx, String userId, String code, String field, String scope);
}
