package dev.hearth.kernel.admin;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.util.Timestamps;
import dev.hearth.admin.v1.*;
import dev.hearth.kernel.config.BuildInfo;
import dev.hearth.kernel.i18n.Locales;
import dev.hearth.kernel.identity.Check;
import dev.hearth.kernel.identity.Hashing;
import dev.hearth.kernel.identity.Identity;
import dev.hearth.kernel.identity.IdentityStore;
import dev.hearth.kernel.identity.Pages;
import dev.hearth.kernel.identity.Passwords;
import dev.hearth.kernel.identity.Sessions;
import dev.hearth.module.api.Call;
import dev.hearth.kernel.identity.proto.AuditRecord;
import dev.hearth.kernel.identity.proto.MembershipRecord;
import dev.hearth.kernel.identity.proto.SettingsRecord;
import dev.hearth.kernel.identity.proto.UserRecord;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.kernel.tenancy.Memberships;
import dev.hearth.kernel.tenancy.Tenancy;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Ids;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The sys-admin's calls (AdminService). Every change writes an audit event in the same transaction.
 * A layer above identity: it reads and changes identity's records, identity knows nothing of it.
 */
public final class AdminApi {

  private final IdentityStore ids;
  private final Sessions sessions;
  private final Memberships memberships;
  private final Hashing argon2;
  private final Clock clock;
  private final Supplier<List<HearthStore>> stores;
  private final String nodeId;
  private final long startedAt;
  private final LongSupplier realtimeConnections;

  public AdminApi(IdentityStore ids, Sessions sessions, Memberships memberships, Hashing argon2, Clock clock,
      Supplier<List<HearthStore>> stores, String nodeId, LongSupplier realtimeConnections) {
    this.ids = ids;
    this.sessions = sessions;
    this.memberships = memberships;
    this.argon2 = argon2;
    this.clock = clock;
    this.stores = stores;
    this.nodeId = nodeId;
    this.startedAt = clock.millis();
    this.realtimeConnections = realtimeConnections;
  }

  /** AdminService made of the parts {@code identity} assembled. */
  public static AdminApi of(Identity identity, Tenancy tenancy, LongSupplier realtimeConnections) {
    return new AdminApi(identity.store(), identity.sessions(), tenancy.memberships(), identity.hashing(),
        identity.clock(), identity.stores(), identity.nodeId(), realtimeConnections);
  }

  /** Which method implements each RPC of AdminService. */
  public ServiceBinding binding() {
    ServiceDescriptor d = AdminProto.getDescriptor().findServiceByName("AdminService");
    return ServiceBinding.of(d)
        .unary("GetSettings", GetSettingsRequest.getDefaultInstance(), this::getSettings)
        .unary("UpdateSettings", UpdateSettingsRequest.getDefaultInstance(), this::updateSettings)
        .unary("ListUsers", ListUsersRequest.getDefaultInstance(), this::listUsers)
        .unary("DisableUser", DisableUserRequest.getDefaultInstance(), this::disableUser)
        .unary("EnableUser", EnableUserRequest.getDefaultInstance(), this::enableUser)
        .unary("DeleteUser", DeleteUserRequest.getDefaultInstance(), this::deleteUser)
        .unary("ResetPassword", ResetPasswordRequest.getDefaultInstance(), this::resetPassword)
        .unary("GetNodeStats", GetNodeStatsRequest.getDefaultInstance(), this::getNodeStats)
        .unary("ListAuditEvents", ListAuditEventsRequest.getDefaultInstance(), this::listAuditEvents)
        .build();
  }

  private void audit(Tx tx, Call call, String target, String detail) {
    String id = Ids.next();
    tx.put(ids.audit, id, AuditRecord.newBuilder().setId(id).setAt(clock.millis()).setActorId(call.userId())
        .setAction(call.method()).setTarget(target).setDetail(detail).build());
  }

  Future<Settings> getSettings(Call call, GetSettingsRequest req) {
    return Future.succeededFuture(view(ids.settings()));
  }

  Future<Settings> updateSettings(Call call, UpdateSettingsRequest req) {
    if (req.hasSlowModeSeconds() && (req.getSlowModeSeconds() < 0 || req.getSlowModeSeconds() > 86_400)) {
      throw ModuleException.badField("slow_mode_seconds", "must be between 0 and 86400");
    }
    if (req.hasDefaultLanguage() && Locales.supported(req.getDefaultLanguage()).isEmpty()) {
      throw ModuleException.badField("default_language", "must be one of " + Locales.TAGS)
          .localized("field.oneOf", "default_language", Locales.TAGS);
    }
    return ids.store.write(call.userId(), tx -> {
      SettingsRecord.Builder s = tx.get(ids.settings, "node").filter(SettingsRecord::getSaved)
          .orElse(SettingsRecord.newBuilder().setRegistrationsOpen(true).build()).toBuilder().setSaved(true);
      if (req.hasRegistrationsOpen()) s.setRegistrationsOpen(req.getRegistrationsOpen());
      if (req.hasReadOnly()) s.setReadOnly(req.getReadOnly());
      if (req.hasSlowModeSeconds()) s.setSlowModeSeconds(req.getSlowModeSeconds());
      if (req.hasDefaultLanguage()) s.setDefaultLanguage(req.getDefaultLanguage());
      if (req.hasProjectAdminsInstallUserModules()) s.setProjectAdminsInstallUserModules(req.getProjectAdminsInstallUserModules());
      tx.put(ids.settings, "node", s.build());
      audit(tx, call, "settings", "registrations_open=" + s.getRegistrationsOpen() + " read_only=" + s.getReadOnly()
          + " slow_mode_seconds=" + s.getSlowModeSeconds() + " default_language=" + language(s.build())
          + " project_admins_install_user_modules=" + s.getProjectAdminsInstallUserModules());
      return view(s.build());
    });
  }

  Future<ListUsersResponse> listUsers(Call call, ListUsersRequest req) {
    int size = Check.pageSize(req.getPageSize(), 50, 500);
    String after = Pages.after(req.getPageToken());
    String q = req.getQuery().strip().toLowerCase(Locale.ROOT);
    List<Entry<UserRecord>> page = matching(ids.users, after, false, size + 1,
        u -> q.isEmpty() || u.getEmail().toLowerCase(Locale.ROOT).contains(q) || u.getDisplayName().toLowerCase(Locale.ROOT).contains(q));
    ListUsersResponse.Builder b = ListUsersResponse.newBuilder();
    page.stream().limit(size).forEach(e -> b.addUsers(view(e.value())));
    if (page.size() > size) b.setNextPageToken(Pages.token(page.get(size - 1).key()));
    return Future.succeededFuture(b.build());
  }

  Future<User> disableUser(Call call, DisableUserRequest req) {
    return setDisabled(call, req.getUserId(), true);
  }

  Future<User> enableUser(Call call, EnableUserRequest req) {
    return setDisabled(call, req.getUserId(), false);
  }

  private Future<User> setDisabled(Call call, String userId, boolean disabled) {
    Check.required("user_id", userId);
    if (disabled && userId.equals(call.userId())) throw ModuleException.failedPrecondition("you cannot disable yourself");
    return ids.store.write(call.userId(), tx -> {
      UserRecord u = tx.get(ids.users, userId).orElseThrow(() -> Check.notFound("user " + userId));
      UserRecord changed = u.toBuilder().setDisabled(disabled).build();
      tx.put(ids.users, userId, changed);
      if (disabled) sessions.endAll(tx, userId, null);
      audit(tx, call, userId, disabled ? "disabled" : "enabled");
      return view(changed);
    });
  }

  /**
   * Deletes the account: first its project roles, each in a write of its project's scope (no write
   * touches two projects), then the account with its org roles, sessions and tokens (unscoped). When
   * a step fails, deleting the user again finishes the job.
   */
  Future<DeleteUserResponse> deleteUser(Call call, DeleteUserRequest req) {
    String userId = Check.required("user_id", req.getUserId());
    if (userId.equals(call.userId())) throw ModuleException.failedPrecondition("you cannot delete yourself");
    if (ids.users.get(userId).isEmpty()) throw Check.notFound("user " + userId);
    Future<Void> projects = Future.succeededFuture();
    for (Entry<MembershipRecord> m : ids.membershipsOf(userId)) {
      String project = m.value().getProjectId();
      if (project.isEmpty()) continue;
      projects = projects.compose(v -> ids.store.write(call.userId(), project, tx -> {
        memberships.revoke(tx, userId, project);
        return null;
      }));
    }
    return projects.compose(v -> ids.store.write(call.userId(), tx -> {
      if (tx.get(ids.users, userId).isEmpty()) throw Check.notFound("user " + userId);
      for (Entry<MembershipRecord> m : IdentityStore.all(tx, ids.memberships, userId + "/")) {
        if (!m.value().getProjectId().isEmpty()) {
          throw ModuleException.failedPrecondition("the user joined a project while being deleted; delete them again");
        }
        memberships.revoke(tx, userId, m.key().substring(userId.length() + 1));
      }
      sessions.endAll(tx, userId, null);
      for (String t : tx.findKeys(ids.apiTokens, "user", userId, 10_000)) tx.delete(ids.apiTokens, t);
      for (String l : tx.findKeys(ids.ssoLinks, "user", userId, 1_000)) tx.delete(ids.ssoLinks, l);
      tx.delete(ids.users, userId);
      audit(tx, call, userId, "deleted");
      return DeleteUserResponse.getDefaultInstance();
    }));
  }

  Future<ResetPasswordResponse> resetPassword(Call call, ResetPasswordRequest req) {
    String userId = Check.required("user_id", req.getUserId());
    if (ids.users.get(userId).isEmpty()) throw Check.notFound("user " + userId);
    String password = Passwords.random();
    return argon2.hash(password)
        .compose(hash -> ids.store.write(call.userId(), tx -> {
          UserRecord u = tx.get(ids.users, userId).orElseThrow(() -> Check.notFound("user " + userId));
          // Account recovery: whoever held the account loses every way in (sessions, API tokens, TOTP).
          tx.put(ids.users, userId, u.toBuilder().setPasswordHash(hash).clearTotpSecret().setTotpEnabled(false)
              .setTotpLastStep(0).build());
          sessions.endAll(tx, userId, null);
          for (String t : tx.findKeys(ids.apiTokens, "user", userId, 100_000)) tx.delete(ids.apiTokens, t);
          audit(tx, call, userId, "password reset; sessions, API tokens and TOTP cleared");
          return ResetPasswordResponse.newBuilder().setNewPassword(password).build();
        }));
  }

  Future<NodeStats> getNodeStats(Call call, GetNodeStatsRequest req) {
    if (req.getGc()) {
      // A full collection pauses the node; sys-admins ask for it to measure what is live (bench ws-idle).
      System.gc();
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    NodeStats.Builder b = NodeStats.newBuilder().setNodeId(nodeId).setVersion(BuildInfo.version())
        .setUptimeSeconds((clock.millis() - startedAt) / 1000)
        .setUsers(ids.users.size()).setOrgs(ids.orgs.size()).setProjects(ids.projects.size())
        .setHeapUsedBytes(heap.getUsed()).setHeapCommittedBytes(heap.getCommitted()).setRssBytes(rssBytes())
        .setRealtimeConnections(realtimeConnections.getAsLong());
    for (HearthStore s : stores.get()) {
      var st = s.stats();
      b.addStores(StoreStats.newBuilder().setName(s.name()).setLastSequence(s.lastSequence())
          .setAppliedSequence(st.getLong("appliedSequence", 0L)).setUnapplied(st.getLong("unapplied", 0L)));
    }
    return Future.succeededFuture(b.build());
  }

  /** VmRSS of /proc/self/status in bytes; 0 where there is no such file (not Linux). */
  static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) return parseKiB(line.substring(6)) * 1024;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc not mounted: the field says 0
    }
    return 0;
  }

  /** "   123456 kB" → 123456. */
  static long parseKiB(String value) {
    String v = value.trim();
    int space = v.indexOf(' ');
    return Long.parseLong(space < 0 ? v : v.substring(0, space));
  }

  Future<ListAuditEventsResponse> listAuditEvents(Call call, ListAuditEventsRequest req) {
    int size = Check.pageSize(req.getPageSize(), 50, 500);
    String after = Pages.after(req.getPageToken());
    // Newest first: a descending scan below the last key of the previous page.
    String q = req.getQuery().strip().toLowerCase(Locale.ROOT);
    List<Entry<AuditRecord>> page = matching(ids.audit, after, true, size + 1, a -> q.isEmpty()
        || Stream.of(a.getAction(), a.getActorId(), a.getTarget(), a.getDetail()).anyMatch(f -> f.toLowerCase(Locale.ROOT).contains(q)));
    ListAuditEventsResponse.Builder b = ListAuditEventsResponse.newBuilder();
    for (Entry<AuditRecord> e : page.subList(0, Math.min(size, page.size()))) {
      AuditRecord a = e.value();
      b.addEvents(AuditEvent.newBuilder().setId(a.getId()).setAt(Timestamps.fromMillis(a.getAt()))
          .setActorId(a.getActorId()).setAction(a.getAction()).setTarget(a.getTarget()).setDetail(a.getDetail()));
    }
    if (page.size() > size) b.setNextPageToken(Pages.token(page.get(size - 1).key()));
    return Future.succeededFuture(b.build());
  }

  /**
   * Up to {@code limit} entries after the key {@code after} (a page token's key; null from the start)
   * that {@code keep} accepts, read in batches so that a filter that matches little still fills a page.
   */
  private static <V> List<Entry<V>> matching(Collection<V> c, String after, boolean descending, int limit, Predicate<V> keep) {
    int batch = Math.max(limit, 200);
    List<Entry<V>> out = new ArrayList<>();
    String cursor = after;
    while (out.size() < limit) {
      List<Entry<V>> read = descending ? c.scan(null, cursor, batch, true)
          : c.scan(cursor == null ? null : Pages.successor(cursor), null, batch, false);
      for (Entry<V> e : read) {
        if (keep.test(e.value())) out.add(e);
        if (out.size() == limit) break;
      }
      if (read.size() < batch) break;
      cursor = read.get(read.size() - 1).key();
    }
    return out;
  }

  static Settings view(SettingsRecord s) {
    return Settings.newBuilder().setRegistrationsOpen(s.getRegistrationsOpen()).setReadOnly(s.getReadOnly())
        .setSlowModeSeconds(s.getSlowModeSeconds()).setDefaultLanguage(language(s))
        .setProjectAdminsInstallUserModules(s.getProjectAdminsInstallUserModules()).build();
  }

  private static String language(SettingsRecord s) {
    return s.getDefaultLanguage().isEmpty() ? "en" : s.getDefaultLanguage();
  }

  static User view(UserRecord u) {
    return User.newBuilder().setId(u.getId()).setEmail(u.getEmail()).setDisplayName(u.getDisplayName())
        .setDisabled(u.getDisabled()).setSysAdmin(u.getSysAdmin()).setCreatedAt(Timestamps.fromMillis(u.getCreatedAt())).build();
  }
}
