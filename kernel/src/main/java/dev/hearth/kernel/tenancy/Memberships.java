package dev.hearth.kernel.tenancy;

import dev.hearth.kernel.identity.IdentityStore;
import dev.hearth.kernel.identity.proto.MembershipRecord;
import dev.hearth.kernel.identity.proto.OrgRecord;
import dev.hearth.kernel.identity.proto.UserRecord;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Tx;
import dev.hearth.tenancy.v1.Membership;
import java.time.Clock;

/** Grants and removals of roles; both directions (per user, per scope) change in the same transaction. */
public final class Memberships {

  private final IdentityStore ids;
  private final Clock clock;

  Memberships(IdentityStore ids, Clock clock) {
    this.ids = ids;
    this.clock = clock;
  }

  /**
   * Gives {@code userId}, a user of this node, {@code role} in the project (or, when {@code projectId}
   * is empty, the org). An existing role in the same scope is replaced: an invite can promote or demote.
   * A project role is labelled {@code <display name>@<org name>}: a replica of the project on a linked
   * node has no account of the user's and shows them by it.
   */
  MembershipRecord grant(Tx tx, String userId, String orgId, String projectId, String role) {
    String label = projectId.isEmpty() ? "" : label(tx, userId, orgId);
    return grant(tx, userId, orgId, projectId, role, label);
  }

  /** As {@link #grant(Tx, String, String, String, String)}, with the label given (a user of a linked node). */
  MembershipRecord grant(Tx tx, String userId, String orgId, String projectId, String role, String label) {
    String scope = projectId.isEmpty() ? orgId : projectId;
    MembershipRecord m = MembershipRecord.newBuilder().setUserId(userId).setOrgId(orgId)
        .setProjectId(projectId).setRole(role).setCreatedAt(clock.millis()).setLabel(label).build();
    tx.put(ids.memberships, userId + "/" + scope, m);
    tx.put(ids.members, scope + "/" + userId, m);
    return m;
  }

  private String label(Tx tx, String userId, String orgId) {
    String name = tx.get(ids.users, userId).map(UserRecord::getDisplayName).orElse("");
    String org = tx.get(ids.orgs, orgId).map(OrgRecord::getName).orElse("");
    return name + "@" + org;
  }

  /** The member's avatar (a file of a project, auth.v1.Profile) added to a listed membership. */
  Membership withAvatar(Membership m) {
    return ids.users.get(m.getUserId())
        .map(u -> m.toBuilder().setAvatarFileId(u.getAvatarFileId()).setAvatarProjectId(u.getAvatarProjectId()).build())
        .orElse(m);
  }

  /** How a member is shown: their display name when they have an account here, else the membership's label. */
  String displayName(MembershipRecord m) {
    return ids.users.get(m.getUserId()).map(UserRecord::getDisplayName).orElse(m.getLabel());
  }

  /** The same membership with another role; since when it exists (and its label) stays. */
  MembershipRecord changeRole(Tx tx, MembershipRecord m, String role) {
    MembershipRecord changed = m.toBuilder().setRole(role).build();
    String scope = m.getProjectId().isEmpty() ? m.getOrgId() : m.getProjectId();
    tx.put(ids.memberships, m.getUserId() + "/" + scope, changed);
    tx.put(ids.members, scope + "/" + m.getUserId(), changed);
    return changed;
  }

  public void revoke(Tx tx, String userId, String scopeId) {
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
