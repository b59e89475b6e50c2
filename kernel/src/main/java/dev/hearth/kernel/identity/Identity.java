package dev.hearth.kernel.identity;

import dev.hearth.auth.v1.AuthProto;
import dev.hearth.auth.v1.ChangePasswordRequest;
import dev.hearth.auth.v1.CompleteSsoRequest;
import dev.hearth.auth.v1.CreateApiTokenRequest;
import dev.hearth.auth.v1.DisableTotpRequest;
import dev.hearth.auth.v1.EnrolTotpRequest;
import dev.hearth.auth.v1.GetProfileRequest;
import dev.hearth.auth.v1.ListApiTokensRequest;
import dev.hearth.auth.v1.ListSsoProvidersRequest;
import dev.hearth.auth.v1.LogInRequest;
import dev.hearth.auth.v1.LogOutRequest;
import dev.hearth.auth.v1.MeRequest;
import dev.hearth.auth.v1.RefreshRequest;
import dev.hearth.auth.v1.RevokeApiTokenRequest;
import dev.hearth.auth.v1.SignUpRequest;
import dev.hearth.auth.v1.StartSsoRequest;
import dev.hearth.auth.v1.UpdateProfileRequest;
import dev.hearth.auth.v1.VerifyTotpRequest;
import dev.hearth.kernel.access.CallGuard;
import dev.hearth.kernel.access.RateLimits;
import dev.hearth.kernel.config.IdentityOptions;
import dev.hearth.kernel.config.SsoOptions;
import dev.hearth.kernel.crypto.KeyVault;
import dev.hearth.kernel.identity.proto.AuditRecord;
import dev.hearth.kernel.identity.proto.OrgRecord;
import dev.hearth.kernel.identity.proto.ProjectRecord;
import dev.hearth.kernel.identity.proto.SettingsRecord;
import dev.hearth.kernel.identity.proto.UserRecord;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Ids;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identity of a node, wired together: the kernel-store collections, accounts, sessions, the JWT keys,
 * the guard every RPC passes, and the binding of AuthService. The layers above (tenancy, admin) are
 * made of the parts this hands out ({@link #store()}, {@link #sessions()} …); what identity needs of
 * tenancy (invites at sign-up, orgs' providers at single sign-on) it reaches through
 * {@link InviteCodes} and {@link OrgSignIns}, which tenancy implements.
 */
public final class Identity implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Identity.class);
  static final String AUDIENCE = "hearth";

  private final Vertx vertx;
  private final IdentityStore ids;
  private final JwtKeys jwt;
  private final SharedJwtKeys sharedKeys;
  private final HearthStore kernel;
  private final Guard guard;
  private final RateLimits limits;
  private final Hashing argon2;
  private final Sessions sessions;
  private final SsoOptions ssoOptions;
  private final SsoFlows ssoFlows;
  private final Clock clock;
  private final Supplier<List<HearthStore>> stores;
  private final String nodeId;
  private final long timer;

  private Identity(Vertx vertx, HearthStore kernel, KeyVault vault, IdentityOptions options,
      Supplier<List<HearthStore>> stores, Clock clock) {
    this.vertx = vertx;
    this.ids = new IdentityStore(kernel);
    this.clock = clock;
    this.stores = stores;
    this.nodeId = nodeId(kernel);
    String issuer = "hearth:" + nodeId;
    this.jwt = JwtKeys.open(vault, JwtKeys.Options.of(issuer, AUDIENCE).withAccessTtl(options.accessTtl())
        .withRotationInterval(options.jwtRotation()).withClock(clock));
    this.sharedKeys = new SharedJwtKeys(kernel, jwt);
    if (sharedKeys.shared()) sharedKeys.tick(); // a cluster's one set of keys, before any token is issued
    jwt.onUnknownKey(sharedKeys::reload);
    this.kernel = kernel;
    this.limits = new RateLimits(options.loginFailuresPerAccount(), options.authAttemptsPerAddress(),
        options.writesPerUserPerMinute());
    this.guard = new Guard(ids, new Authenticator(ids, jwt, clock), limits);
    if (options.passwordHashMemoryKiB() != Passwords.MEMORY_KIB) {
      log.warn("identity.{} is {}: passwords are hashed with less memory than Argon2id's recommended minimum; "
          + "this is for test suites, never for a real node", IdentityOptions.TEST_HASH_MEMORY_KEY, options.passwordHashMemoryKiB());
    }
    this.argon2 = new Hashing(vertx, options.passwordHashMemoryKiB());
    this.sessions = new Sessions(ids, jwt, clock, options);
    this.ssoOptions = options.sso();
    this.ssoFlows = new SsoFlows(vertx, clock);
    this.timer = vertx.setPeriodic(60_000, id -> housekeeping());
  }

  /** Blocking (opens keysets): call on a worker. */
  public static Identity start(Vertx vertx, HearthStore kernel, KeyVault vault, IdentityOptions options,
      Supplier<List<HearthStore>> stores) {
    return start(vertx, kernel, vault, options, stores, Clock.systemUTC());
  }

  /** As above, reckoning token and invite expiries by {@code clock}. */
  public static Identity start(Vertx vertx, HearthStore kernel, KeyVault vault, IdentityOptions options,
      Supplier<List<HearthStore>> stores, Clock clock) {
    return new Identity(vertx, kernel, vault, options, stores, clock);
  }

  /** How long a process that may not write the kernel store waits for its owner's node id. */
  static final Duration NODE_ID_WAIT = Duration.ofSeconds(60);

  private static String nodeId(HearthStore kernel) {
    Collection<String> meta = kernel.collection(CollectionSpec.of("meta", Codec.utf8()));
    if (meta.get("node-id").isEmpty() && kernel.writeRefusal() != null) {
      // A cluster's kernel store is written by its owner alone: the id arrives with the owner's frames.
      log.info("waiting up to {} s for the kernel store's owner to write the node id (this process does not own the kernel store)",
          NODE_ID_WAIT.toSeconds());
      long deadline = System.nanoTime() + NODE_ID_WAIT.toNanos();
      // Asking the gate again: a starved first owner may lose its lease and take it back meanwhile,
      // and then nobody but this process will write the id (below).
      while (meta.get("node-id").isEmpty() && kernel.writeRefusal() != null) {
        if (System.nanoTime() - deadline > 0) {
          throw ModuleException.failedPrecondition("the kernel store has no node id after " + NODE_ID_WAIT.toSeconds()
              + " s and this process may not write it: start the process that owns the kernel store (cluster.owns) first");
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ModuleException(ModuleException.Code.UNAVAILABLE, "interrupted while waiting for the node id");
        }
      }
    }
    return meta.get("node-id").orElseGet(() -> {
      String id = Ids.next();
      kernel.write("system", tx -> {
        tx.put(meta, "node-id", id);
        return null;
      }).toCompletionStage().toCompletableFuture().join();
      return id;
    });
  }

  private long housekeepingRuns;

  private void housekeeping() {
    limits.sweep();
    if (kernel.writeRefusal() != null) {
      // Another process writes the kernel store (a cluster's owner): it purges and rotates; this one follows.
      vertx.executeBlocking(sharedKeys::reload, false)
          .onFailure(err -> log.error("taking in the JWT signing keys failed", err));
      return;
    }
    if (housekeepingRuns++ % 60 == 0) {
      vertx.executeBlocking(sessions::purgeExpired, false)
          .onSuccess(n -> { if (n > 0) log.info("purged {} expired sessions and spent refresh tokens", n); })
          .onFailure(err -> log.error("purging expired sessions failed", err));
    }
    vertx.executeBlocking(sharedKeys::tick, false)
        .onSuccess(rotated -> { if (rotated) log.info("rotated the JWT signing key"); })
        .onFailure(err -> log.error("JWT key rotation failed", err));
  }

  /**
   * The service of AuthService (sign-up, log-in, account, single sign-on), made with what it needs of
   * tenancy, which the node assembles after identity (tenancy is made of identity's parts).
   *
   * @param avatars the files behind profile pictures: an avatar must be the user's own image, a replaced one is deleted
   * @param invites the invite codes a sign-up may carry
   * @param orgs orgs' own sign-in providers and their claim mappings
   */
  public ServiceBinding binding(AvatarFiles avatars, InviteCodes invites, OrgSignIns orgs) {
    AuthApi auth = new AuthApi(ids, sessions, invites, limits, argon2, clock);
    AccountApi account = new AccountApi(ids, sessions, argon2, limits, clock, "Hearth", avatars);
    SsoApi sso = new SsoApi(vertx, ids, sessions, limits, argon2, clock, ssoOptions, ssoFlows, orgs);
    return ServiceBinding.of(AuthProto.getDescriptor().findServiceByName("AuthService"))
        .unary("SignUp", SignUpRequest.getDefaultInstance(), auth::signUp)
        .unary("LogIn", LogInRequest.getDefaultInstance(), auth::logIn)
        .unary("Refresh", RefreshRequest.getDefaultInstance(), auth::refresh)
        .unary("LogOut", LogOutRequest.getDefaultInstance(), auth::logOut)
        .unary("Me", MeRequest.getDefaultInstance(), account::me)
        .unary("ChangePassword", ChangePasswordRequest.getDefaultInstance(), account::changePassword)
        .unary("UpdateProfile", UpdateProfileRequest.getDefaultInstance(), account::updateProfile)
        .unary("GetProfile", GetProfileRequest.getDefaultInstance(), account::getProfile)
        .unary("EnrolTotp", EnrolTotpRequest.getDefaultInstance(), account::enrolTotp)
        .unary("VerifyTotp", VerifyTotpRequest.getDefaultInstance(), account::verifyTotp)
        .unary("DisableTotp", DisableTotpRequest.getDefaultInstance(), account::disableTotp)
        .unary("CreateApiToken", CreateApiTokenRequest.getDefaultInstance(), account::createApiToken)
        .unary("ListApiTokens", ListApiTokensRequest.getDefaultInstance(), account::listApiTokens)
        .unary("RevokeApiToken", RevokeApiTokenRequest.getDefaultInstance(), account::revokeApiToken)
        .unary("ListSsoProviders", ListSsoProvidersRequest.getDefaultInstance(), sso::listProviders)
        .unary("StartSso", StartSsoRequest.getDefaultInstance(), sso::start)
        .unary("CompleteSso", CompleteSsoRequest.getDefaultInstance(), sso::complete)
        .build();
  }

  /** The kernel-store collections of accounts, sessions, tenants and the audit log, for the layers above. */
  public IdentityStore store() {
    return ids;
  }

  /** Sign-ins and their refresh tokens. */
  public Sessions sessions() {
    return sessions;
  }

  /** Password hashing off the event loop. */
  public Hashing hashing() {
    return argon2;
  }

  /** The clock identity reckons expiries by. */
  public Clock clock() {
    return clock;
  }

  /** The stores of the node, for their sizes (GetNodeStats). */
  public Supplier<List<HearthStore>> stores() {
    return stores;
  }

  /** This node's id, kept in the kernel store. */
  public String nodeId() {
    return nodeId;
  }

  /**
   * Who an {@code Authorization} header belongs to ({@link Caller#ANONYMOUS} for {@code null}), for
   * realtime connections; the same checks as an RPC's.
   *
   * @throws dev.hearth.module.ModuleException UNAUTHENTICATED for bad, expired or revoked credentials
   */
  public Caller authenticate(String authorization) {
    return guard.authenticate(authorization);
  }

  /** The guard every RPC passes (identity's part: no module switches), with {@link CallGuard#admitAs} for linked nodes' callers. */
  public CallGuard guard() {
    return guard;
  }

  /** The authorization layer, for modules' contexts: the same checks the RPC guard makes. */
  public Authorization authorization() {
    return guard;
  }

  /** The org a project belongs to, if the project exists. */
  public Optional<String> orgOfProject(String projectId) {
    return ids.projectReads.get(projectId).map(ProjectRecord::getOrgId);
  }

  /** A project's name, if the project exists. */
  public Optional<String> projectName(String projectId) {
    return ids.projects.get(projectId).map(ProjectRecord::getName);
  }

  /** A user's display name (else their email's local part), if the user has an account here. */
  public Optional<String> displayName(String userId) {
    return ids.users.get(userId).map(u -> !u.getDisplayName().isBlank() ? u.getDisplayName()
        : u.getEmail().replaceFirst("@.*$", ""));
  }

  /**
   * The caller {@code userId} would be on an API call now: empty when the account is gone or
   * disabled. For work the node does on a user's behalf later (webhook deliveries), so rights are
   * checked as they are then, not as they were.
   */
  public Optional<Caller> actingAs(String userId) {
    return ids.users.get(userId).filter(u -> !u.getDisabled()).map(u -> new Caller(
        u.getId(), u.getSysAdmin(), null, Caller.Via.API_TOKEN));
  }

  /**
   * The bot {@code botId} of {@code projectId} as a caller now: empty when it is not a bot of that
   * project, is gone or is disabled (a slash command answers as its bot).
   */
  public Optional<Caller> botOf(String projectId, String botId) {
    return ids.users.get(botId).filter(u -> !u.getDisabled() && u.getBotProjectId().equals(projectId))
        .map(u -> new Caller(u.getId(), false, null, Caller.Via.API_TOKEN));
  }

  /**
   * Where the node may email a user about their own account's activity (notification digests): the
   * address of an enabled person's account; empty for a bot, a disabled or a deleted account.
   */
  public Optional<String> emailOf(String userId) {
    return ids.users.get(userId).filter(u -> !u.getDisabled() && u.getBotProjectId().isEmpty())
        .map(u -> u.getEmail()).filter(e -> e.contains("@"));
  }

  /** An org's name, if the org exists. */
  public Optional<String> orgName(String orgId) {
    return ids.orgs.get(orgId).map(OrgRecord::getName);
  }

  /**
   * An OpenID Connect provider's answer to a sign-in ({@code GET /v1/auth/sso/callback}): where to
   * send the browser next; failed (for a 400 page) when the answer's state is unknown, expired or used.
   */
  public Future<String> ssoCallback(String state, String code, String error, String errorDescription) {
    return ssoFlows.callback(state, code, error, errorDescription);
  }

  /** The JWK Set of the access-token keys still accepted. */
  /**
   * A new JWT signing key now (tokens signed by the others keep verifying until they expire). In a
   * cluster only the kernel store's owner may, and the others take the new key from the kernel store.
   */
  public Future<Void> rotateJwtKeys() {
    return vertx.executeBlocking(() -> {
      sharedKeys.rotateNow();
      return null;
    }, false);
  }

  /**
   * Whether this process writes the kernel store now: always on a single node; in a cluster only on
   * the kernel store's owner. Background work that writes it (digests, pushes, backups) runs only there.
   */
  public boolean writesKernelHere() {
    return kernel.writeRefusal() == null;
  }

  public String jwks() {
    return jwt.jwksJson();
  }

  /**
   * Makes {@code email} a sys-admin: creates the account with {@code password}, or promotes an
   * existing one — only when {@code password} is that account's password, so nobody can sign up an
   * admin's email first and have it promoted. Promotion ends the account's other sessions. For
   * {@code hearth admin create-sysadmin}.
   *
   * @return whether a new account was created
   */
  public Future<Boolean> createSysAdmin(String email, String password) {
    String normal = Check.email("email", email);
    Optional<UserRecord> existing = ids.userByEmail(normal);
    if (existing.isEmpty()) {
      Passwords.checkPolicy("password", password);
      return argon2.hash(password).compose(hash -> ids.store.write("system", tx -> {
        if (!tx.findKeys(ids.users, "email", normal, 1).isEmpty()) {
          throw new ModuleException(ModuleException.Code.ALREADY_EXISTS, "email: an account with this email was just created; run the command again");
        }
        String id = Ids.next();
        tx.put(ids.users, id, UserRecord.newBuilder().setId(id).setEmail(normal).setPasswordHash(hash)
            .setDisplayName(normal.substring(0, normal.indexOf('@'))).setSysAdmin(true)
            .setCreatedAt(System.currentTimeMillis()).build());
        audit(tx, id, "created as sys-admin");
        return true;
      }));
    }
    UserRecord user = existing.get();
    return argon2.verify(password, user.getPasswordHash()).compose(ok -> {
      if (!ok) {
        throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "an account with this email exists; "
            + "give its password to make it a sys-admin, or use another email");
      }
      return ids.store.write("system", tx -> {
        UserRecord u = tx.get(ids.users, user.getId()).orElseThrow(() -> Check.notFound("user"));
        tx.put(ids.users, u.getId(), u.toBuilder().setSysAdmin(true).setDisabled(false).build());
        sessions.endAll(tx, u.getId(), null);
        audit(tx, u.getId(), "promoted to sys-admin");
        return false;
      });
    });
  }

  /** The local admin (whoever holds the run files' token) acts as "local-admin" in the audit log. */
  private void audit(Tx tx, String target, String detail) {
    String id = Ids.next();
    tx.put(ids.audit, id, AuditRecord.newBuilder().setId(id)
        .setAt(System.currentTimeMillis()).setActorId("local-admin").setAction("hearth admin create-sysadmin")
        .setTarget(target).setDetail(detail).build());
  }

  /**
   * The node's registration switch as an admin left it (AdminService's {@code registrations_open}),
   * empty while none has: the flag {@code auth.signup} is this very value at node level.
   */
  public Optional<Boolean> registrationsOpen() {
    return ids.settings.get("node").filter(SettingsRecord::getSaved).map(SettingsRecord::getRegistrationsOpen);
  }

  /**
   * Sets the registration switch, or back to its default (open) for {@code null}, in {@code tx}: how
   * {@code hearth flags set-node-flag --name auth.signup} changes what {@code UpdateSettings} changes.
   */
  public void registrationsOpen(Tx tx, Boolean open) {
    SettingsRecord.Builder s = tx.get(ids.settings, "node").filter(SettingsRecord::getSaved)
        .orElse(SettingsRecord.newBuilder().setRegistrationsOpen(true).build()).toBuilder().setSaved(true);
    tx.put(ids.settings, "node", s.setRegistrationsOpen(open == null || open).build());
  }

  /** The node's default language tag as the sys-admin set it ("en" when never set). */
  public String defaultLanguage() {
    String tag = ids.settings().getDefaultLanguage();
    return tag.isEmpty() ? "en" : tag;
  }

  /** Whether the sys-admin let project-admins install user modules for their own projects (off by default). */
  public boolean projectAdminsInstallUserModules() {
    return ids.settings().getProjectAdminsInstallUserModules();
  }

  /**
   * The incoming webhook whose URL secret is {@code secret}, with its bot as a caller; empty when no
   * hook has it (revoked, or never made) or its bot is gone or disabled.
   */
  public Optional<HookTarget> incomingHook(String secret) {
    if (secret == null || secret.isEmpty() || secret.length() > 128) return Optional.empty();
    List<String> keys = ids.incomingHooks.findKeys("secret", Secrets.sha256(secret), 1);
    if (keys.isEmpty()) return Optional.empty();
    return ids.incomingHooks.get(keys.get(0))
        .filter(h -> Secrets.same(h.getSecretHash(), Secrets.sha256(secret)))
        .flatMap(h -> ids.users.get(h.getBotId()).filter(u -> !u.getDisabled() && u.getBotProjectId().equals(h.getProjectId()))
            .map(u -> new HookTarget(h.getId(), h.getProjectId(), h.getChannelId(),
                new Caller(u.getId(), false, null, Caller.Via.API_TOKEN))));
  }

  /** Records an admin action in the audit log ({@code ListAuditEvents}), in the transaction of the change. */
  public void audit(Tx tx, String actorId, String action, String target, String detail) {
    String id = Ids.next();
    tx.put(ids.audit, id, AuditRecord.newBuilder().setId(id)
        .setAt(System.currentTimeMillis()).setActorId(actorId).setAction(action).setTarget(target)
        .setDetail(detail).build());
  }

  /** Whether the node has a sys-admin yet; the node says how to make one when it has not. */
  public boolean hasSysAdmin() {
    return ids.users.scan(null, null, 100_000, false).stream().anyMatch(e -> e.value().getSysAdmin());
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
    argon2.close();
  }
}
