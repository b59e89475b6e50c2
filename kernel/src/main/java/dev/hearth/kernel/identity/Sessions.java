package dev.hearth.kernel.identity;

import dev.hearth.auth.v1.Session;
import dev.hearth.kernel.config.IdentityOptions;
import dev.hearth.kernel.identity.proto.SessionRecord;
import dev.hearth.kernel.identity.proto.SpentRefresh;
import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Ids;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Log-in sessions. A session is a refresh-token family: its refresh token is
 * {@code <sessionId>.<secret>}, stored only as a hash, and replaced on every refresh. A spent
 * refresh token presented again means it leaked (or a client raced itself): the whole session is
 * ended, and every access token of it stops working (the guard checks the session on each call).
 */
public final class Sessions {

  private final IdentityStore ids;
  private final JwtKeys jwt;
  private final Clock clock;
  private final long refreshTtlMillis;

  Sessions(IdentityStore ids, JwtKeys jwt, Clock clock, IdentityOptions options) {
    this.ids = ids;
    this.jwt = jwt;
    this.clock = clock;
    this.refreshTtlMillis = options.refreshTtl().toMillis();
  }

  /** A refresh token made inside a write; {@link #session} turns it into the answer after commit. */
  record Issued(String userId, String sessionId, String refreshToken) {}

  /** Starts a session for {@code userId} inside {@code tx}. */
  Issued start(Tx tx, String userId) {
    String sessionId = Ids.next();
    String token = sessionId + "." + Secrets.random();
    long now = clock.millis();
    tx.put(ids.sessions, sessionId, SessionRecord.newBuilder().setId(sessionId).setUserId(userId)
        .setCurrentHash(Secrets.sha256(token)).setCreatedAt(now).setExpiresAt(now + refreshTtlMillis).build());
    return new Issued(userId, sessionId, token);
  }

  Session session(Issued issued) {
    return Session.newBuilder()
        .setAccessToken(jwt.issue(issued.userId(), issued.sessionId(), Map.of()))
        .setExpiresIn(jwt.accessTtl().toSeconds())
        .setRefreshToken(issued.refreshToken())
        .setUserId(issued.userId())
        .build();
  }

  private enum Outcome { ROTATED, REUSED }

  private record Refreshed(Outcome outcome, Issued issued) {}

  /** Spends {@code refreshToken} and returns a new pair; reuse ends the session (UNAUTHENTICATED). */
  Future<Session> refresh(String refreshToken) {
    int dot = refreshToken == null ? -1 : refreshToken.indexOf('.');
    if (dot <= 0) return Future.failedFuture(ModuleException.badField("refresh_token", "is not a refresh token"));
    String sessionId = refreshToken.substring(0, dot);
    String hash = Secrets.sha256(refreshToken);
    return ids.store.write("system", tx -> {
      SessionRecord s = tx.get(ids.sessions, sessionId)
          .filter(r -> !r.getRevoked() && r.getExpiresAt() > clock.millis())
          .orElseThrow(() -> Authenticator.unauthenticated("auth.sessionEnded", "the session has ended; log in again"));
      if (!Secrets.same(s.getCurrentHash(), hash)) {
        Optional<SpentRefresh> spent = tx.get(ids.spentRefresh, hash);
        if (spent.isEmpty() || !spent.get().getSessionId().equals(sessionId)) {
          throw Authenticator.unauthenticated("auth.refreshUnknown", "unknown refresh token");
        }
        // Committed, then reported: throwing here would roll the revocation back.
        tx.put(ids.sessions, sessionId, s.toBuilder().setRevoked(true).build());
        return new Refreshed(Outcome.REUSED, null);
      }
      ids.users.get(s.getUserId()).filter(u -> !u.getDisabled())
          .orElseThrow(() -> Authenticator.unauthenticated("auth.accountDisabledOrGone", "the account is disabled or gone"));
      String next = sessionId + "." + Secrets.random();
      tx.put(ids.spentRefresh, hash, SpentRefresh.newBuilder().setSessionId(sessionId).setExpiresAt(s.getExpiresAt()).build());
      tx.put(ids.sessions, sessionId, s.toBuilder().setCurrentHash(Secrets.sha256(next)).build());
      return new Refreshed(Outcome.ROTATED, new Issued(s.getUserId(), sessionId, next));
    }).map(r -> {
      if (r.outcome() == Outcome.REUSED) {
        throw Authenticator.unauthenticated("auth.refreshReused", "this refresh token was already used; the session is ended for safety");
      }
      return session(r.issued());
    });
  }

  /**
   * Deletes sessions and spent refresh tokens past their expiry, in batches, so the store does not
   * grow with every log-in forever. Blocking reads: call on a worker. Returns how many went.
   */
  int purgeExpired() {
    long now = clock.millis();
    int purged = 0;
    purged += purge(ids.sessions, e -> e.getExpiresAt() <= now, now);
    purged += purge(ids.spentRefresh, e -> e.getExpiresAt() <= now, now);
    return purged;
  }

  private <V> int purge(Collection<V> c, Predicate<V> expired, long now) {
    List<String> keys = IdentityStore.all(c, "").stream()
        .filter(e -> expired.test(e.value())).map(Entry::key).toList();
    for (int i = 0; i < keys.size(); i += 500) {
      List<String> batch = keys.subList(i, Math.min(keys.size(), i + 500));
      ids.store.write("system", tx -> {
        batch.forEach(k -> tx.delete(c, k));
        return null;
      }).toCompletionStage().toCompletableFuture().join();
    }
    return keys.size();
  }

  /** Ends a session inside {@code tx}. */
  void end(Tx tx, String sessionId) {
    tx.get(ids.sessions, sessionId).ifPresent(s -> tx.put(ids.sessions, sessionId, s.toBuilder().setRevoked(true).build()));
  }

  /** Ends every session of a user inside {@code tx}, except {@code keep} (may be null). */
  public void endAll(Tx tx, String userId, String keep) {
    for (String id : tx.findKeys(ids.sessions, "user", userId, 100_000)) {
      if (!id.equals(keep)) end(tx, id);
    }
  }
}
