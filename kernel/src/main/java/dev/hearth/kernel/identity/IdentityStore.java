package dev.hearth.kernel.identity;

import dev.hearth.kernel.identity.proto.ApiTokenRecord;
import dev.hearth.kernel.identity.proto.AuditRecord;
import dev.hearth.kernel.identity.proto.IncomingHookRecord;
import dev.hearth.kernel.identity.proto.InviteRecord;
import dev.hearth.kernel.identity.proto.MembershipRecord;
import dev.hearth.kernel.identity.proto.OrgRecord;
import dev.hearth.kernel.identity.proto.OrgSsoGrantsRecord;
import dev.hearth.kernel.identity.proto.OrgSsoRecord;
import dev.hearth.kernel.identity.proto.ProjectRecord;
import dev.hearth.kernel.identity.proto.SessionRecord;
import dev.hearth.kernel.identity.proto.SettingsRecord;
import dev.hearth.kernel.identity.proto.SpentRefresh;
import dev.hearth.kernel.identity.proto.SsoLinkRecord;
import dev.hearth.kernel.identity.proto.UserRecord;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.kernel.store.ReadCache;
import dev.hearth.module.store.BlindIndex;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Tx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where identity and tenancy live in the kernel store. Keys are ids only (UUIDv7) or hashes of
 * random secrets; emails and invite codes are found through blind indexes, never stored as keys.
 *
 * <pre>
 * users          userId                 UserRecord      index email (lower-cased)
 * orgs           orgId                  OrgRecord
 * projects       projectId              ProjectRecord
 * org_projects   orgId/projectId        (empty)         lists an org's projects in id order
 * memberships    userId/scopeId         MembershipRecord  a user's roles (scope = org or project)
 * members        scopeId/userId         MembershipRecord  the same, listed per scope
 * invites        scopeId/inviteId       InviteRecord    index code (SHA-256 of the code)
 * sessions       sessionId              SessionRecord   index user
 * spent_refresh  sha256(token)          SpentRefresh
 * api_tokens     tokenId                ApiTokenRecord  index user
 * settings       "node"                 SettingsRecord
 * audit          eventId (UUIDv7)       AuditRecord
 * sso_links      sha256(issuer subject) SsoLinkRecord   index user
 * incoming_hooks hookId                 IncomingHookRecord index secret (its hash), index project
 * org_sso        orgId                  OrgSsoRecord    the org's own OIDC provider (client secret inside, like every value encrypted)
 * org_sso_grants orgId/userId           OrgSsoGrantsRecord roles the org provider's claim mapping gave at the last sign-in
 * </pre>
 */
public final class IdentityStore {

  public final HearthStore store;
  public final Collection<UserRecord> users;
  public final Collection<OrgRecord> orgs;
  public final Collection<ProjectRecord> projects;
  public final Collection<byte[]> orgProjects;
  public final Collection<MembershipRecord> memberships;
  public final Collection<MembershipRecord> members;
  public final Collection<InviteRecord> invites;
  public final Collection<SessionRecord> sessions;
  public final Collection<SpentRefresh> spentRefresh;
  public final Collection<ApiTokenRecord> apiTokens;
  public final Collection<SettingsRecord> settings;
  public final Collection<AuditRecord> audit;
  public final Collection<SsoLinkRecord> ssoLinks;
  public final Collection<IncomingHookRecord> incomingHooks;
  public final Collection<OrgSsoRecord> orgSso;
  public final Collection<OrgSsoGrantsRecord> orgSsoGrants;
  /**
   * What every call reads (its caller's account, session and roles, the node's settings), cached
   * while the kernel store has no newer write: the guard runs on every call of every module.
   */
  final ReadCache<UserRecord> userReads;
  final ReadCache<SessionRecord> sessionReads;
  final ReadCache<ProjectRecord> projectReads;
  final ReadCache<MembershipRecord> membershipReads;
  private final ReadCache<SettingsRecord> settingsReads;

  IdentityStore(HearthStore store) {
    this.store = store;
    users = store.collection(CollectionSpec.of("users", Codec.of(UserRecord.parser()))
        // A bot has no email: no term, so no log-in or look-up by email can reach it.
        .withIndex(BlindIndex.of("email", u -> u.getEmail().isEmpty() ? null : normalEmail(u.getEmail()))));
    orgs = store.collection(CollectionSpec.of("orgs", Codec.of(OrgRecord.parser())));
    projects = store.collection(CollectionSpec.of("projects", Codec.of(ProjectRecord.parser())));
    orgProjects = store.collection(CollectionSpec.of("org_projects", Codec.bytes()));
    memberships = store.collection(CollectionSpec.of("memberships", Codec.of(MembershipRecord.parser())));
    members = store.collection(CollectionSpec.of("members", Codec.of(MembershipRecord.parser())));
    invites = store.collection(CollectionSpec.of("invites", Codec.of(InviteRecord.parser()))
        .withIndex(BlindIndex.of("code", InviteRecord::getCodeHash)));
    sessions = store.collection(CollectionSpec.of("sessions", Codec.of(SessionRecord.parser()))
        .withIndex(BlindIndex.of("user", SessionRecord::getUserId)));
    spentRefresh = store.collection(CollectionSpec.of("spent_refresh", Codec.of(SpentRefresh.parser())));
    apiTokens = store.collection(CollectionSpec.of("api_tokens", Codec.of(ApiTokenRecord.parser()))
        .withIndex(BlindIndex.of("user", ApiTokenRecord::getUserId)));
    settings = store.collection(CollectionSpec.of("settings", Codec.of(SettingsRecord.parser())));
    audit = store.collection(CollectionSpec.of("audit", Codec.of(AuditRecord.parser())));
    ssoLinks = store.collection(CollectionSpec.of("sso_links", Codec.of(SsoLinkRecord.parser()))
        .withIndex(BlindIndex.of("user", SsoLinkRecord::getUserId)));
    incomingHooks = store.collection(CollectionSpec.of("incoming_hooks", Codec.of(IncomingHookRecord.parser()))
        .withIndex(BlindIndex.of("secret", IncomingHookRecord::getSecretHash))
        .withIndex(BlindIndex.of("project", IncomingHookRecord::getProjectId)));
    orgSso = store.collection(CollectionSpec.of("org_sso", Codec.of(OrgSsoRecord.parser())));
    orgSsoGrants = store.collection(CollectionSpec.of("org_sso_grants", Codec.of(OrgSsoGrantsRecord.parser())));
    userReads = ReadCache.of(store, users);
    sessionReads = ReadCache.of(store, sessions);
    projectReads = ReadCache.of(store, projects);
    membershipReads = ReadCache.of(store, memberships);
    settingsReads = ReadCache.of(store, settings);
  }

  static String normalEmail(String email) {
    return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
  }

  Optional<UserRecord> userByEmail(String email) {
    List<String> keys = users.findKeys("email", normalEmail(email), 1);
    return keys.isEmpty() ? Optional.empty() : users.get(keys.get(0));
  }

  /** The caller's role in {@code scopeId} (an org or a project), if any. */
  public Optional<MembershipRecord> membership(String userId, String scopeId) {
    return membershipReads.get(userId + "/" + scopeId);
  }

  /** Every role the user holds. */
  public List<Entry<MembershipRecord>> membershipsOf(String userId) {
    return all(memberships, userId + "/");
  }

  private static final int PAGE = 1000;

  /** One page of a key range, from a collection or from inside a transaction. */
  @FunctionalInterface
  interface Pages<V> {
    List<Entry<V>> scan(String from, String to, int limit);
  }

  /** Every entry under {@code prefix}, read a page at a time: no cap a client could hide rows behind. */
  static <V> List<Entry<V>> all(Pages<V> pages, String prefix) {
    List<Entry<V>> out = new ArrayList<>();
    String from = prefix;
    while (true) {
      List<Entry<V>> page = pages.scan(from, prefix + Character.MAX_VALUE, PAGE);
      out.addAll(page);
      if (page.size() < PAGE) return out;
      from = page.get(page.size() - 1).key() + '\0';
    }
  }

  /** Every entry under {@code prefix} of {@code c}, read a page at a time. */
  public static <V> List<Entry<V>> all(Collection<V> c, String prefix) {
    return all((from, to, limit) -> c.scan(from, to, limit, false), prefix);
  }

  /** Inside a transaction, seeing its own writes. */
  public static <V> List<Entry<V>> all(Tx tx, Collection<V> c, String prefix) {
    return all((from, to, limit) -> tx.scan(c, from, to, limit, false), prefix);
  }

  public SettingsRecord settings() {
    return settingsReads.get("node").filter(SettingsRecord::getSaved)
        .orElse(SettingsRecord.newBuilder().setRegistrationsOpen(true).build());
  }
}
