package dev.hearth.kernel.tenancy;

import com.google.protobuf.util.Timestamps;
import dev.hearth.api.v1.Level;
import dev.hearth.kernel.identity.Check;
import dev.hearth.kernel.identity.IdentityStore;
import dev.hearth.kernel.identity.InviteCodes;
import dev.hearth.kernel.identity.Secrets;
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
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Invite codes: made by an admin of an org or project for one role, valid until they expire or are
 * used up. Only the SHA-256 of a code is stored; redeeming finds it through a blind index.
 *
 * <p>A project invite lives in its project's scope (created, revoked and redeemed by writes that
 * name the project); an org invite is unscoped.
 */
final class Invites implements InviteCodes {

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
    return ids.store.write(actor, projectId, tx -> {
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

  /** Revokes an invite of the org (when {@code projectId} is empty) or of the project. */
  Future<Void> revoke(String actor, String orgId, String projectId, String inviteId) {
    Check.required("invite_id", inviteId);
    return ids.store.write(actor, projectId, tx -> {
      String key = (projectId.isEmpty() ? orgId : projectId) + "/" + inviteId;
      if (tx.get(ids.invites, key).isEmpty()) throw Check.notFound("invite " + inviteId);
      tx.delete(ids.invites, key);
      return null;
    });
  }

  /**
   * The invite {@code code} names, read outside any transaction, if it exists and can still be used:
   * what a redemption reads first to learn the scope (the invite's project) its write must name.
   */
  Optional<InviteRecord> find(String code) {
    List<String> keys = ids.invites.findKeys("code", Secrets.sha256(code), 1);
    return keys.isEmpty() ? Optional.empty() : ids.invites.get(keys.get(0)).filter(this::usable);
  }

  private boolean usable(InviteRecord r) {
    return r.getUsesLeft() > 0 && r.getExpiresAt() > clock.millis();
  }

  @Override
  public String scopeOf(String code) {
    return find(code).map(InviteRecord::getProjectId).orElse("");
  }

  /** Redeems {@code code} for {@code userId}, a user of this node, in the scope of the invite's project (unscoped for an org invite). */
  Future<Membership> redeem(String userId, String code, String field) {
    String scope = scopeOf(code);
    return ids.store.write(userId, scope, tx -> redeem(tx, userId, code, field, scope, null));
  }

  @Override
  public Membership redeem(Tx tx, String userId, String code, String field, String scope) {
    return redeem(tx, userId, code, field, scope, null);
  }

  /**
   * Redeems {@code code} for {@code userId} inside {@code tx}, a write in {@code scope}; errors name
   * {@code field}. The invite is checked again here, on the writer: what {@link #find} saw may have
   * been used up since.
   *
   * @param scope the invite's project as {@link #scopeOf} found it; an invite of another scope is refused
   * @param label the membership's label, {@code null} for a user of this node (their name and the org's)
   */
  Membership redeem(Tx tx, String userId, String code, String field, String scope, String label) {
    Usable u = usable(tx, code, field);
    InviteRecord r = u.invite();
    if (!r.getProjectId().equals(scope)) {
      // Cannot happen with random codes unless the invite changed between the read and this write.
      throw ModuleException.failedPrecondition(field + ": the invite changed while it was redeemed; try again");
    }
    if (r.getUsesLeft() == 1) tx.delete(ids.invites, u.key());
    else tx.put(ids.invites, u.key(), r.toBuilder().setUsesLeft(r.getUsesLeft() - 1).build());
    MembershipRecord m = label == null
        ? memberships.grant(tx, userId, r.getOrgId(), r.getProjectId(), r.getRole())
        : memberships.grant(tx, userId, r.getOrgId(), r.getProjectId(), r.getRole(), label);
    // A user of this node is shown by their display name (their label is empty), as the member lists show them.
    return memberships.withAvatar(Memberships.view(m, memberships.displayName(m)));
  }

  @Override
  public void checkUsable(Tx tx, String code, String field) {
    usable(tx, code, field);
  }

  private record Usable(String key, InviteRecord invite) {}

  /** The invite of {@code code} as {@code tx} sees it, if it can be redeemed; else INVALID_ARGUMENT naming {@code field}. */
  private Usable usable(Tx tx, String code, String field) {
    List<String> keys = tx.findKeys(ids.invites, "code", Secrets.sha256(code), 1);
    InviteRecord r = keys.isEmpty() ? null : tx.get(ids.invites, keys.get(0)).orElse(null);
    if (r == null || !usable(r)) {
      throw ModuleException.badField(field, "unknown, used up or expired invite code");
    }
    if (!creatorStillAdministers(tx, r)) {
      throw ModuleException.badField(field, "this invite's creator no longer administers its "
          + (r.getProjectId().isEmpty() ? "org" : "project") + "; ask an admin for a new one");
    }
    return new Usable(keys.get(0), r);
  }

  /**
   * Redeems a project invite for a user of a linked node (no account here), in the project's scope;
   * see {@link Tenancy#redeemForRemote}.
   */
  Future<Membership> redeemForRemote(String remoteUserId, String label, String code, Predicate<String> allowed) {
    String user = Check.required("user_id", remoteUserId);
    String shown = Check.text("label", label, 1, 300);
    Check.required("code", code);
    if (ids.users.get(user).isPresent()) {
      // A node speaks only for its own users: an id with an account here is never another node's.
      throw Check.denied("user " + user + " is a user of this node");
    }
    InviteRecord r = find(code).orElseThrow(() -> ModuleException.badField("code", "unknown, used up or expired invite code"));
    if (r.getProjectId().isEmpty()) throw ModuleException.badField("code", "only a project invite can be redeemed from another node");
    String project = r.getProjectId();
    if (!allowed.test(project)) throw Check.denied("project " + project + " is not shared with your node");
    return ids.store.write(user, project, tx -> redeem(tx, user, code, "code", project, shown));
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

  static Invite view(InviteRecord r) {
    return Invite.newBuilder().setId(r.getId()).setOrgId(r.getOrgId()).setProjectId(r.getProjectId())
        .setRole(r.getRole()).setExpiresAt(Timestamps.fromMillis(r.getExpiresAt()))
        .setCreatedAt(Timestamps.fromMillis(r.getCreatedAt())).setCreatedBy(r.getCreatedBy())
        .setUsesLeft(r.getUsesLeft()).build();
  }
}
