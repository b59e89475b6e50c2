package dev.hearth.kernel.identity;

import dev.hearth.kernel.identity.proto.ApiTokenRecord;
import dev.hearth.kernel.identity.proto.SessionRecord;
import dev.hearth.kernel.identity.proto.UserRecord;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Caller;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an {@code Authorization} header into a {@link Caller}. Two kinds of bearer token: API
 * tokens ({@code hth_<id>_<secret>}, looked up by id, secret compared by hash) and access tokens
 * (ES256 JWTs from {@link JwtKeys}). Either way the user must still exist and be enabled, and an
 * access token's session must not be logged out, so those take effect at once.
 */
public final class Authenticator {

  static final String API_TOKEN_PREFIX = "hth_";

  /** The API token a caller presents for token {@code tokenId} with {@code secret} (what CreateApiToken and CreateBotToken hand out once). */
  public static String apiToken(String tokenId, String secret) {
    return API_TOKEN_PREFIX + tokenId + "_" + secret;
  }

  // ~1.5 KiB per entry (token text and claims): at most ~30 MiB, and only tokens that verified get in.
  private static final int MAX_CACHED_TOKENS = 20_000;

  private final Map<String, JwtKeys.Claims> verifiedTokens = new ConcurrentHashMap<>();

  private final IdentityStore ids;
  private final JwtKeys jwt;
  private final Clock clock;

  Authenticator(IdentityStore ids, JwtKeys jwt, Clock clock) {
    this.ids = ids;
    this.jwt = jwt;
    this.clock = clock;
  }

  Caller authenticate(String authorization) {
    if (authorization == null || authorization.isBlank()) return Caller.ANONYMOUS;
    if (authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthenticated("auth.header", "the Authorization header must be 'Bearer <token>'");
    }
    String token = authorization.substring(7).trim();
    return token.startsWith(API_TOKEN_PREFIX) ? apiToken(token) : accessToken(token);
  }

  private Caller accessToken(String token) {
    JwtKeys.Claims claims = verified(token);
    UserRecord user = enabledUser(claims.subject());
    Optional<SessionRecord> session = ids.sessionReads.get(claims.sessionId());
    if (session.isEmpty() || session.get().getRevoked() || !session.get().getUserId().equals(user.getId())) {
      throw unauthenticated("auth.sessionEnded", "the session of this access token has ended; log in again");
    }
    return new Caller(user.getId(), user.getSysAdmin(), claims.sessionId(), Caller.Via.SESSION);
  }

  /**
   * ES256 verification costs about a millisecond of CPU in Java, more than the rest of a read; a
   * client sends the same access token for its whole life, so a token that verified once is
   * remembered until it expires. Only verified tokens enter, the expiry is checked on every hit,
   * and session and account are still checked on every call (below), so revocation stays instant.
   */
  private JwtKeys.Claims verified(String token) {
    JwtKeys.Claims cached = verifiedTokens.get(token);
    if (cached != null && cached.expiresAt().isAfter(clock.instant())) return cached;
    JwtKeys.Claims claims = jwt.verify(token);
    if (verifiedTokens.size() >= MAX_CACHED_TOKENS) verifiedTokens.clear(); // crude, bounded, rare
    verifiedTokens.put(token, claims);
    return claims;
  }

  private Caller apiToken(String token) {
    String[] parts = token.substring(API_TOKEN_PREFIX.length()).split("_", 2);
    if (parts.length != 2) throw unauthenticated("auth.apiTokenMalformed", "malformed API token");
    Optional<ApiTokenRecord> record = ids.apiTokens.get(parts[0]);
    if (record.isEmpty() || !Secrets.same(record.get().getSecretHash(), Secrets.sha256(parts[1]))) {
      throw unauthenticated("auth.apiTokenUnknown", "unknown or revoked API token");
    }
    long expires = record.get().getExpiresAt();
    if (expires != 0 && expires <= clock.millis()) throw unauthenticated("auth.apiTokenExpired", "API token expired");
    UserRecord user = enabledUser(record.get().getUserId());
    touch(record.get());
    return new Caller(user.getId(), user.getSysAdmin(), null, Caller.Via.API_TOKEN);
  }

  /**
   * Records when an API token was last used, at most once a minute per token: a write per call
   * would put the writer on every read's path. Best effort: a lost update only makes it older.
   */
  private void touch(ApiTokenRecord token) {
    long now = clock.millis();
    if (now - token.getLastUsedAt() < 60_000) return;
    ids.store.write("system", tx -> {
      tx.get(ids.apiTokens, token.getId()).filter(t -> now - t.getLastUsedAt() >= 60_000)
          .ifPresent(t -> tx.put(ids.apiTokens, t.getId(), t.toBuilder().setLastUsedAt(now).build()));
      return null;
    });
  }

  private UserRecord enabledUser(String userId) {
    UserRecord user = ids.userReads.get(userId).orElseThrow(() -> unauthenticated("auth.accountGone", "the account no longer exists"));
    if (user.getDisabled()) throw unauthenticated("auth.accountDisabled", "the account is disabled");
    return user;
  }

  /** UNAUTHENTICATED with {@code message}, localized under {@code key} (kernel bundle {@code i18n/errors}). */
  static ModuleException unauthenticated(String key, String message) {
    return new ModuleException(ModuleException.Code.UNAUTHENTICATED, message).localized(key);
  }
}
