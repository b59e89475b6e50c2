package dev.hearth.kernel.identity;

import com.google.protobuf.util.Timestamps;
import dev.hearth.auth.v1.*;
import dev.hearth.kernel.access.RateLimits;
import dev.hearth.module.api.Call;
import dev.hearth.kernel.identity.proto.ApiTokenRecord;
import dev.hearth.kernel.identity.proto.MembershipRecord;
import dev.hearth.kernel.identity.proto.UserRecord;
import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Ids;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Set;
import java.util.stream.Collectors;

/** The caller's own account: profile, password, TOTP and API tokens. */
final class AccountApi {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AccountApi.class);

  private final IdentityStore ids;
  private final Sessions sessions;
  private final Hashing argon2;
  private final Clock clock;
  private final String issuer;

  private final RateLimits limits;
  private final AvatarFiles avatars;

  AccountApi(IdentityStore ids, Sessions sessions, Hashing argon2, RateLimits limits, Clock clock, String issuer,
      AvatarFiles avatars) {
    this.avatars = avatars;
    this.limits = limits;
    this.ids = ids;
    this.sessions = sessions;
    this.argon2 = argon2;
    this.clock = clock;
    this.issuer = issuer;
  }

  private UserRecord me(Call call) {
    return ids.users.get(call.userId()).orElseThrow(() -> Authenticator.unauthenticated("auth.accountGone", "the account no longer exists"));
  }

  Future<MeResponse> me(Call call, MeRequest req) {
    UserRecord u = me(call);
    MeResponse.Builder b = MeResponse.newBuilder().setProfile(profile(u)).setEmail(u.getEmail())
        .setSysAdmin(u.getSysAdmin()).setTotpEnabled(u.getTotpEnabled());
    for (Entry<MembershipRecord> e : ids.membershipsOf(u.getId())) {
      b.addMemberships(dev.hearth.auth.v1.Membership.newBuilder().setOrgId(e.value().getOrgId())
          .setProjectId(e.value().getProjectId()).setRole(e.value().getRole()));
    }
    return Future.succeededFuture(b.build());
  }

  /** Checks the caller's password off the event loop; UNAUTHENTICATED naming {@code field} if wrong. */
  private Future<UserRecord> withPassword(Call call, String field, String password) {
    UserRecord u = me(call);
    Check.required(field, password);
    // Same bucket as failed log-ins: a stolen access token must not become an unlimited password oracle.
    String account = IdentityStore.normalEmail(u.getEmail());
    limits.attemptOn(account);
    return argon2.verify(password, u.getPasswordHash()).map(ok -> {
      if (!ok) throw Authenticator.unauthenticated("auth.wrongPasswordField", field + ": wrong password")
          .localized("auth.wrongPasswordField", field).detail("field", field);
      limits.succeeded(account);
      return u;
    });
  }

  /** Changes the password and ends the caller's other sessions. */
  Future<ChangePasswordResponse> changePassword(Call call, ChangePasswordRequest req) {
    Passwords.checkPolicy("new_password", req.getNewPassword());
    return withPassword(call, "current_password", req.getCurrentPassword())
        .compose(u -> argon2.hash(req.getNewPassword()))
        .compose(hash -> ids.store.write(call.userId(), tx -> {
          UserRecord u = tx.get(ids.users, call.userId()).orElseThrow(() -> Check.notFound("user"));
          tx.put(ids.users, u.getId(), u.toBuilder().setPasswordHash(hash).build());
          sessions.endAll(tx, u.getId(), call.caller().sessionId());
          return ChangePasswordResponse.getDefaultInstance();
        }));
  }

  Future<Profile> updateProfile(Call call, UpdateProfileRequest req) {
    String name = req.hasDisplayName() ? Check.text("display_name", req.getDisplayName(), 1, 100) : null;
    String bio = req.hasBio() ? Check.text("bio", req.getBio(), 0, 1000) : null;
    String avatar = req.hasAvatarFileId() ? Check.text("avatar_file_id", req.getAvatarFileId(), 0, 64) : null;
    String avatarProject = req.hasAvatarProjectId() ? Check.text("avatar_project_id", req.getAvatarProjectId(), 0, 64) : null;
    // A file id means nothing without its project; readers' downloads are checked by the files service.
    if (avatar != null && !avatar.isEmpty() && (avatarProject == null || avatarProject.isEmpty())) {
      throw ModuleException.required("avatar_project_id");
    }
    AvatarFiles files = avatars;
    if (avatar != null && !avatar.isEmpty()) files.check(call.userId(), avatarProject, avatar);
    // The picture it replaces, when another file: deleted once the profile no longer names it.
    String[] replaced = new String[2];
    return ids.store.write(call.userId(), tx -> {
      UserRecord.Builder u = tx.get(ids.users, call.userId()).orElseThrow(() -> Check.notFound("user")).toBuilder();
      if (name != null) u.setDisplayName(name);
      if (bio != null) u.setBio(bio);
      if (avatar != null) {
        if (!u.getAvatarFileId().isEmpty() && !u.getAvatarFileId().equals(avatar)) {
          replaced[0] = u.getAvatarProjectId();
          replaced[1] = u.getAvatarFileId();
        }
        u.setAvatarFileId(avatar).setAvatarProjectId(avatar.isEmpty() ? "" : avatarProject);
      }
      tx.put(ids.users, u.getId(), u.build());
      return profile(u.build());
    }).compose(p -> replaced[1] == null ? Future.succeededFuture(p)
        // After the write (a crash leaves an unused file, never a profile naming a deleted one); a
        // failure to delete is logged, the profile change stands.
        : files.release(call.userId(), replaced[0], replaced[1]).otherwise(err -> {
          log.warn("could not delete the replaced avatar file {} of project {}: {}", replaced[1], replaced[0], err.getMessage());
          return null;
        }).map(v -> p));
  }

  /** Another user's profile, for users who share an org with the caller (or sys-admins). */
  Future<Profile> getProfile(Call call, GetProfileRequest req) {
    String target = Check.required("user_id", req.getUserId());
    String caller = call.userId();
    if (!target.equals(caller) && !call.caller().sysAdmin()) {
      Set<String> mine = ids.membershipsOf(caller).stream().map(e -> e.value().getOrgId()).collect(Collectors.toSet());
      boolean shared = ids.membershipsOf(target).stream().anyMatch(e -> mine.contains(e.value().getOrgId()));
      if (!shared) throw Check.denied("not allowed: user " + target + " shares no org with you");
    }
    return Future.succeededFuture(profile(ids.users.get(target).orElseThrow(() -> Check.notFound("user " + target))));
  }

  Future<EnrolTotpResponse> enrolTotp(Call call, EnrolTotpRequest req) {
    return withPassword(call, "password", req.getPassword()).compose(u -> {
      if (u.getTotpEnabled()) throw ModuleException.failedPrecondition("TOTP is already on; disable it first");
      String secret = Totp.newSecret();
      return ids.store.write(u.getId(), tx -> {
        tx.put(ids.users, u.getId(), tx.get(ids.users, u.getId()).orElseThrow().toBuilder().setTotpSecret(secret).build());
        return EnrolTotpResponse.newBuilder().setSecret(secret).setUri(Totp.uri(issuer, u.getEmail(), secret)).build();
      });
    });
  }

  Future<VerifyTotpResponse> verifyTotp(Call call, VerifyTotpRequest req) {
    UserRecord u = me(call);
    if (u.getTotpEnabled()) throw ModuleException.failedPrecondition("TOTP is already on");
    if (u.getTotpSecret().isEmpty()) throw ModuleException.failedPrecondition("start with EnrolTotp");
    long step = Totp.verify(u.getTotpSecret(), req.getCode(), clock.instant(), -1);
    if (step < 0) throw ModuleException.badField("code", "wrong one-time code");
    return ids.store.write(u.getId(), tx -> {
      tx.put(ids.users, u.getId(), tx.get(ids.users, u.getId()).orElseThrow().toBuilder()
          .setTotpEnabled(true).setTotpLastStep(step).build());
      return VerifyTotpResponse.getDefaultInstance();
    });
  }

  Future<DisableTotpResponse> disableTotp(Call call, DisableTotpRequest req) {
    return withPassword(call, "password", req.getPassword()).compose(u -> {
      if (!u.getTotpEnabled()) throw ModuleException.failedPrecondition("TOTP is not on");
      if (Totp.verify(u.getTotpSecret(), req.getCode(), clock.instant(), u.getTotpLastStep()) < 0) {
        throw ModuleException.badField("code", "wrong or used one-time code");
      }
      return ids.store.write(u.getId(), tx -> {
        tx.put(ids.users, u.getId(), tx.get(ids.users, u.getId()).orElseThrow().toBuilder()
            .clearTotpSecret().setTotpEnabled(false).setTotpLastStep(0).build());
        return DisableTotpResponse.getDefaultInstance();
      });
    });
  }

  Future<CreateApiTokenResponse> createApiToken(Call call, CreateApiTokenRequest req) {
    String name = Check.text("name", req.getName(), 1, 100);
    long days = req.getExpiresInDays();
    if (days < 0 || days > 3650) throw ModuleException.badField("expires_in_days", "must be between 0 (never) and 3650");
    String id = Ids.next();
    String secret = Secrets.random();
    long now = clock.millis();
    ApiTokenRecord r = ApiTokenRecord.newBuilder().setId(id).setUserId(call.userId()).setName(name)
        .setSecretHash(Secrets.sha256(secret)).setCreatedAt(now).setExpiresAt(days == 0 ? 0 : now + days * 86_400_000L).build();
    return ids.store.write(call.userId(), tx -> {
      tx.put(ids.apiTokens, id, r);
      return CreateApiTokenResponse.newBuilder().setToken(view(r))
          .setSecret(Authenticator.apiToken(id, secret)).build();
    });
  }

  Future<ListApiTokensResponse> listApiTokens(Call call, ListApiTokensRequest req) {
    ListApiTokensResponse.Builder b = ListApiTokensResponse.newBuilder();
    for (String id : ids.apiTokens.findKeys("user", call.userId(), 1000)) {
      ids.apiTokens.get(id).ifPresent(t -> b.addTokens(view(t)));
    }
    return Future.succeededFuture(b.build());
  }

  Future<RevokeApiTokenResponse> revokeApiToken(Call call, RevokeApiTokenRequest req) {
    String id = Check.required("token_id", req.getTokenId());
    return ids.store.write(call.userId(), tx -> {
      // Someone else's token is "not found" too: its existence is not the caller's business.
      if (tx.get(ids.apiTokens, id).filter(t -> t.getUserId().equals(call.userId())).isEmpty()) {
        throw Check.notFound("API token " + id);
      }
      tx.delete(ids.apiTokens, id);
      return RevokeApiTokenResponse.getDefaultInstance();
    });
  }

  static Profile profile(UserRecord u) {
    return Profile.newBuilder().setUserId(u.getId()).setDisplayName(u.getDisplayName()).setBio(u.getBio())
        .setAvatarFileId(u.getAvatarFileId()).setAvatarProjectId(u.getAvatarProjectId()).build();
  }

  private static ApiToken view(ApiTokenRecord r) {
    ApiToken.Builder b = ApiToken.newBuilder().setId(r.getId()).setName(r.getName())
        .setCreatedAt(Timestamps.fromMillis(r.getCreatedAt()));
    if (r.getExpiresAt() != 0) b.setExpiresAt(Timestamps.fromMillis(r.getExpiresAt()));
    if (r.getLastUsedAt() != 0) b.setLastUsedAt(Timestamps.fromMillis(r.getLastUsedAt()));
    return b.build();
  }
}
