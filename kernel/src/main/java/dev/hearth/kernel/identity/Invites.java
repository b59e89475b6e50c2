package dev.hearth.kernel.identity;

import com.google.protobuf.util.Timestamps;
import dev.hearth.api.v1.Level;
import dev.hearth.kernel.identity.proto.InviteRecord;
import dev.hearth.kernel.identity.proto.MembershipRecord;
import dev.hearth.kernel.identity.proto.ProjectRecord;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Ids;
import dev.hearth.module.store.Tx;
import dev.hearth.tenancy.v1.CreateInviteResponse;
import dev.hearth.tenancy.v1.Invite;
import dev.hearth.tenancy.v1.ListInvitesResponse;
import dev.hearth.tenancy.v1.Membership;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;

/**
 * Invite codes: made by an admin of an org or project for one role, valid until they expire or are
 * used up. Only the SHA-256 of a code is stored; redeeming finds it through a blind index.
 */
final class Invites {

  static final long DEFAULT_TTL_SECONDS = 7 * 24 * 3600;
  static final long MAX_TTL_SECONDS = 30 * 24 * 3600;

  private final IdentityStore ids;
  private final Memberships memberships;
  private final Authorization authorization;
  private final Clock clock;

  Invites(IdentityStore ids, Memberships memberships, Authorization authorization, Clock clock) {
    this.ids = ids;
    this.memberships = memberships;
    this.authorization = authorization;
    this.clock = clock;
  }

  Future<CreateInviteResponse> create(String actor, String orgId, String projectId, String role, long ttlSeconds, int maxUses) {
    long ttl = ttlSeconds == 0 ? DEFAULT_TTL_SECONDS : ttlSeconds;
    if (ttl < 60 || ttl > MAX_TTL_SECONDS) {
      throw ModuleException.badField("expires_in_seconds", "must be between 60 and " + MAX_TTL_SECONDS);
    }
    int uses = maxUses == 0 ? 1 : maxUses;
    if (uses < 1 || uses > 1000) throw ModuleException.badField("max_uses", "must be between 1 and 1000");
    String code = Secrets.random();
    String scope = projectId.isEmpty() ? orgId : projectId;
    return ids.store.write(actor, tx -> {
      String org = orgId;
      if (!projectId.isEmpty()) {
        org = tx.get(ids.projects, projectId).map(ProjectRecord::getOrgId).orElseThrow(() -> Check.notFound("project"));
      } else if (tx.get(ids.orgs, orgId).isEmpty()) {
        throw Check.notFound("org");
      }
      String id = Ids.next();
      long now = clock.millis();
      InviteRecord r = InviteRecord.newBuilder().setId(id).setCodeHash(Secrets.sha256(code)).setOrgId(org)
          .setProjectId(projectId).setRole(role).setCreatedAt(now).setExpiresAt(now + ttl * 1000)
          .setCreatedBy(actor).setUsesLeft(uses).build();
      tx.put(ids.invites, scope + "/" + id, r);
      return CreateInviteResponse.newBuilder().setInvite(view(r)).setCode(code).build();
    });
  }

  ListInvitesResponse list(String scopeId) {
    ListInvitesResponse.Builder b = ListInvitesResponse.newBuilder();
    long now = clock.millis();
    for (Entry<InviteRecord> e : ids.invites.scanPrefix(scopeId + "/", 1000, true)) {
      if (e.value().getExpiresAt() > now && e.value().getUsesLeft() > 0) b.addInvites(view(e.value()));
    }
    return b.build();
  }

  Future<Void> revoke(String actor, String scopeId, String inviteId) {
    Check.required("invite_id", inviteId);
    return ids.store.write(actor, tx -> {
      String key = scopeId + "/" + inviteId;
      if (tx.get(ids.invites, key).isEmpty()) throw Check.notFound("invite " + inviteId);
      tx.delete(ids.invites, key);
      return null;
    });
  }

  /** Redeems {@code code} for {@code userId} inside {@code tx}; errors name {@code field}. */
  Membership redeem(Tx tx, String userId, String code, String field) {
    List<String> keys = tx.findKeys(ids.invites, "code", Secrets.sha256(code), 1);
    InviteRecord r = keys.isEmpty() ? null : tx.get(ids.invites, keys.get(0)).orElse(null);
    if (r == null || r.getUsesLeft() <= 0 || r.getExpiresAt() <= clock.millis()) {
      throw ModuleException.badField(field, "unknown, used up or expired invite code");
    }
    if (!creatorStillAdministers(tx, r)) {
      throw ModuleException.badField(field, "this invite's creator no longer administers its "
          + (r.getProjectId().isEmpty() ? "org" : "project") + "; ask an admin for a new one");
    }
    if (r.getUsesLeft() == 1) tx.delete(ids.invites, keys.get(0));
    else tx.put(ids.invites, keys.get(0), r.toBuilder().setUsesLeft(r.getUsesLeft() - 1).build());
    MembershipRecord m = memberships.grant(tx, userId, r.getOrgId(), r.getProjectId(), r.getRole());
    return Memberships.view(m, "");
  }

  /**
   * An invite speaks for its creator: once they lose the admin role it was made with (removed,
   * demoted, disabled, deleted), their codes stop working, so a removed admin cannot walk back in.
   */
  private boolean creatorStillAdministers(Tx tx, InviteRecord r) {
    var creator = tx.get(ids.users, r.getCreatedBy());
    if (creator.isEmpty() || creator.get().getDisabled()) return false;
    Caller asCreator = new Caller(creator.get().getId(), creator.get().getSysAdmin(), null, Caller.Via.SESSION);
    return r.getProjectId().isEmpty()
        ? authorization.allows(asCreator, Level.ORG_ADMIN, r.getOrgId())
        : authorization.allows(asCreator, Level.PROJECT_ADMIN, r.getProjectId());
  }

  dev.hearth.module.store.Store store() {
    return ids.store;
  }

  static Invite view(InviteRecord r) {
    return Invite.newBuilder().setId(r.getId()).setOrgId(r.getOrgId()).setProjectId(r.getProjectId())
        .setRole(r.getRole()).setExpiresAt(Timestamps.fromMillis(r.getExpiresAt()))
        .setCreatedAt(Timestamps.fromMillis(r.getCreatedAt())).setCreatedBy(r.getCreatedBy())
        .setUsesLeft(r.getUsesLeft()).build();
  }
}
