package dev.hearth.kernel.identity;

import dev.hearth.auth.v1.LogInRequest;
import dev.hearth.auth.v1.LogOutRequest;
import dev.hearth.auth.v1.LogOutResponse;
import dev.hearth.auth.v1.RefreshRequest;
import dev.hearth.auth.v1.Session;
import dev.hearth.auth.v1.SignUpRequest;
import dev.hearth.kernel.access.RateLimits;
import dev.hearth.module.api.Call;
import dev.hearth.kernel.identity.proto.UserRecord;
import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Ids;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Optional;

/** Sign up, log in, refresh, log out. Argon2 runs on the {@code argon2} worker pool, never on the event loop. */
final class AuthApi {

  private final IdentityStore ids;
  private final Sessions sessions;
  private final InviteCodes invites;
  private final RateLimits limits;
  private final Hashing argon2;
  private final Clock clock;

  AuthApi(IdentityStore ids, Sessions sessions, InviteCodes invites, RateLimits limits, Hashing argon2, Clock clock) {
    this.ids = ids;
    this.sessions = sessions;
    this.invites = invites;
    this.limits = limits;
    this.argon2 = argon2;
    this.clock = clock;
  }

  Future<Session> signUp(Call call, SignUpRequest req) {
    limits.attemptFrom(call.clientAddress());
    String email = Check.email("email", req.getEmail());
    // Per account too, so one address cannot be hammered with sign-ups (or probed for existence).
    limits.attemptOn("sign-up:" + email);
    Passwords.checkPolicy("password", req.getPassword());
    String name = req.getDisplayName().isBlank() ? email.substring(0, email.indexOf('@'))
        : Check.text("display_name", req.getDisplayName(), 1, 100);
    String code = req.getInviteCode();
    if (code.isEmpty() && !ids.settings().getRegistrationsOpen()) {
      throw ModuleException.failedPrecondition("registration is closed on this node; sign up with an invite code")
          .localized("signup.closed");
    }
    String id = Ids.next();
    // The account is unscoped; a project invite is redeemed in its project's scope, so in a second
    // write. The first checks the code (without using it), so a bad code creates no account.
    String inviteScope = code.isEmpty() ? "" : invites.scopeOf(code);
    return argon2.hash(req.getPassword())
        .compose(hash -> ids.store.write("system", tx -> {
          if (!tx.findKeys(ids.users, "email", email, 1).isEmpty()) {
            throw new ModuleException(ModuleException.Code.ALREADY_EXISTS, "email: an account with this email exists")
                .detail("field", "email");
          }
          tx.put(ids.users, id, UserRecord.newBuilder().setId(id).setEmail(email).setPasswordHash(hash)
              .setDisplayName(name).setCreatedAt(clock.millis()).build());
          if (!code.isEmpty() && inviteScope.isEmpty()) invites.redeem(tx, id, code, "invite_code", "");
          else if (!code.isEmpty()) invites.checkUsable(tx, code, "invite_code");
          return sessions.start(tx, id);
        }))
        .compose(started -> inviteScope.isEmpty() ? Future.succeededFuture(started)
            : ids.store.write(id, inviteScope, tx -> invites.redeem(tx, id, code, "invite_code", inviteScope))
                .map(started))
        .map(sessions::session);
  }

  Future<Session> logIn(Call call, LogInRequest req) {
    limits.attemptFrom(call.clientAddress());
    String email = Check.email("email", req.getEmail());
    Check.required("password", req.getPassword());
    limits.attemptOn(email);
    Optional<UserRecord> found = ids.userByEmail(email);
    String phc = found.map(UserRecord::getPasswordHash).orElse(Passwords.DUMMY);
    return argon2.verify(req.getPassword(), phc).compose(ok -> {
      if (!ok || found.isEmpty()) throw Authenticator.unauthenticated("auth.wrongPassword", "wrong email or password");
      UserRecord user = found.get();
      if (user.getDisabled()) throw Authenticator.unauthenticated("auth.accountDisabled", "the account is disabled");
      long step = Totp.secondFactor(user, req.getTotpCode(), clock.instant());
      limits.succeeded(email);
      long usedStep = step;
      return ids.store.write(user.getId(), tx -> {
        if (usedStep >= 0) {
          // Checked again here, on the one writer: two log-ins racing with the same code cannot both pass.
          UserRecord u = tx.get(ids.users, user.getId()).orElseThrow(() -> Authenticator.unauthenticated("auth.accountGone", "the account no longer exists"));
          if (u.getTotpLastStep() >= usedStep) {
            throw Authenticator.unauthenticated("auth.totpWrong", "totp_code: wrong or used one-time code").detail("field", "totp_code");
          }
          tx.put(ids.users, u.getId(), u.toBuilder().setTotpLastStep(usedStep).build());
        }
        return sessions.start(tx, user.getId());
      }).map(sessions::session);
    });
  }

  Future<Session> refresh(Call call, RefreshRequest req) {
    Check.required("refresh_token", req.getRefreshToken());
    return sessions.refresh(req.getRefreshToken());
  }

  Future<LogOutResponse> logOut(Call call, LogOutRequest req) {
    String session = call.caller().sessionId();
    if (session == null) {
      throw ModuleException.failedPrecondition("an API token has no session to log out of; revoke the token instead");
    }
    return ids.store.write(call.userId(), tx -> {
      sessions.end(tx, session);
      return LogOutResponse.getDefaultInstance();
    });
  }
}
