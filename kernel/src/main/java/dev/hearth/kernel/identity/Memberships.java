package dev.hearth.kernel.identity;

import dev.hearth.kernel.identity.proto.MembershipRecord;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Tx;
import dev.hearth.tenancy.v1.Membership;
import java.time.Clock;

/** Grants and removals of roles; both directions (per user, per scope) change in the same transaction. */
final class Memberships {

  private final IdentityStore ids;
  private final Clock clock;

  Memberships(IdentityStore ids, Clock clock) {
    this.ids = ids;
    this.clock = clock;
  }

  /**
   * Gives {@code userId} {@code role} in the project (or, when {@code projectId} is empty, the org).
   * An existing role in the same scope is replaced: an invite can promote or demote.
   */
  MembershipRecord grant(Tx tx, String userId, String orgId, String projectId, String role) {
    String scope = projectId.isEmpty() ? orgId : projectId;
    MembershipRecord m = MembershipRecord.newBuilder().setUserId(userId).setOrgId(orgId)
        .setProjectId(projectId).setRole(role).setCreatedAt(clock.millis()).build();
    tx.put(ids.memberships, userId + "/" + scope, m);
    tx.put(ids.members, scope + "/" + userId, m);
    return m;
  }

  void revoke(Tx tx, String userId, String scopeId) {
    tx.delete(ids.memberships, userId + "/" + scopeId);
    tx.delete(ids.members, scopeId + "/" + userId);
  }

  /** Removes every role of every member of a scope (an org or project being deleted). */
  void revokeScope(Tx tx, String scopeId) {
    for (Entry<MembershipRecord> e : IdentityStore.all(tx, ids.members, scopeId + "/")) {
      revoke(tx, e.value().getUserId(), scopeId);
    }
  }

  static Membership view(MembershipRecord m, String displayName) {
    return Membership.newBuilder().setUserId(m.getUserId()).setOrgId(m.getOrgId())
        .setProjectId(m.getProjectId()).setRole(m.getRole()).setDisplayName(displayName).build();
  }
}
