package dev.hearth.kernel.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;

/**
 * Tunables of identity: token lifetimes, key rotation, abuse limits. Read from the config file's
 * {@code identity} section; every key is optional.
 *
 * @param loginFailuresPerAccount failed log-ins per account per minute
 * @param authAttemptsPerAddress log-in and sign-up attempts per client address per minute
 * @param writesPerUserPerMinute calls that change data, per user per minute
 * @param incomingHookPostsPerMinute posts per incoming webhook per minute
 * @param passwordHashMemoryKiB Argon2id memory per password hash in KiB: {@code
 *     DEFAULT_PASSWORD_HASH_MEMORY_KIB} unless a test lowered it
 * @param sso single sign-on providers ({@code identity.sso}); none by default
 */
public record IdentityOptions(long accessTtlSeconds, long refreshTtlSeconds, long jwtRotationSeconds,
    int loginFailuresPerAccount, int authAttemptsPerAddress, int maxRequestBytes, int writesPerUserPerMinute,
    int incomingHookPostsPerMinute, int passwordHashMemoryKiB, SsoOptions sso) {

  public static final long DEFAULT_ACCESS_TTL_SECONDS = 15 * 60;
  public static final long DEFAULT_REFRESH_TTL_SECONDS = 30L * 24 * 3600;
  public static final long DEFAULT_JWT_ROTATION_SECONDS = 24 * 3600;
  /** Failed log-ins per account per minute; the next one is refused with 429. */
  public static final int DEFAULT_LOGIN_FAILURES_PER_ACCOUNT = 10;
  /** Log-in and sign-up attempts per client address per minute. */
  public static final int DEFAULT_AUTH_ATTEMPTS_PER_ADDRESS = 60;
  public static final int DEFAULT_MAX_REQUEST_BYTES = 1 << 20;
  /** Argon2id memory per password hash (OWASP's 19 MiB); only tests set a lower one. */
  public static final int DEFAULT_PASSWORD_HASH_MEMORY_KIB = 19 * 1024;
  /** Calls that change data, per user per minute (sys-admins are not limited). */
  public static final int DEFAULT_WRITES_PER_USER = 600;
  /** Posts per incoming webhook per minute (docs/bots.md); the next one is answered 429 with Retry-After. */
  public static final int DEFAULT_HOOK_POSTS_PER_MINUTE = 60;
  /**
   * For tests only: Argon2id memory per password hash in KiB, below the default of OWASP's minimum
   * (19 MiB) so suites that sign up hundreds of users spend seconds, not minutes, hashing. There is
   * no weaker default: unset, every node hashes at {@code DEFAULT_PASSWORD_HASH_MEMORY_KIB}, and setting it logs
   * a warning. Hashes record their own cost, so a hash made either way verifies on any node.
   */
  public static final String TEST_HASH_MEMORY_KEY = "testOnlyPasswordHashMemoryKiB";

  /** What {@link #from} reads; {@link #toJson} shows the tunables a config file sets (not sso, not the test key). */
  static final Set<String> KEYS = Set.of("accessTtlSeconds", "refreshTtlSeconds", "jwtRotationSeconds",
      "loginFailuresPerAccount", "authAttemptsPerAddress", "maxRequestBytes", "writesPerUserPerMinute",
      "incomingHookPostsPerMinute", TEST_HASH_MEMORY_KEY, "sso");

  public IdentityOptions {
    if (accessTtlSeconds < 10 || refreshTtlSeconds < accessTtlSeconds || jwtRotationSeconds < accessTtlSeconds) {
      throw new IllegalArgumentException("identity: need 10 <= accessTtlSeconds <= refreshTtlSeconds and "
          + "accessTtlSeconds <= jwtRotationSeconds");
    }
    if (loginFailuresPerAccount < 1 || authAttemptsPerAddress < 1 || maxRequestBytes < 1024 || writesPerUserPerMinute < 1
        || incomingHookPostsPerMinute < 1) {
      throw new IllegalArgumentException("identity: limits must be positive (maxRequestBytes >= 1024)");
    }
    if (passwordHashMemoryKiB < 64 || passwordHashMemoryKiB > DEFAULT_PASSWORD_HASH_MEMORY_KIB) {
      throw new IllegalArgumentException("identity: " + TEST_HASH_MEMORY_KEY + " must be between 64 and " + DEFAULT_PASSWORD_HASH_MEMORY_KIB);
    }
    if (sso == null) throw new IllegalArgumentException("identity: sso must be given (SsoOptions.from(null) for none)");
  }

  public static IdentityOptions defaults() {
    return from(new JsonObject());
  }

  /** Reads the section; an unknown key is refused by name. */
  public static IdentityOptions from(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) throw new IllegalArgumentException("unknown identity tunable '" + key + "'; known: " + KEYS);
    }
    Object sso = json.getValue("sso");
    if (sso != null && !(sso instanceof JsonObject)) throw new IllegalArgumentException("identity.sso must be an object");
    return new IdentityOptions(
        json.getLong("accessTtlSeconds", DEFAULT_ACCESS_TTL_SECONDS),
        json.getLong("refreshTtlSeconds", DEFAULT_REFRESH_TTL_SECONDS),
        json.getLong("jwtRotationSeconds", DEFAULT_JWT_ROTATION_SECONDS),
        json.getInteger("loginFailuresPerAccount", DEFAULT_LOGIN_FAILURES_PER_ACCOUNT),
        json.getInteger("authAttemptsPerAddress", DEFAULT_AUTH_ATTEMPTS_PER_ADDRESS),
        json.getInteger("maxRequestBytes", DEFAULT_MAX_REQUEST_BYTES),
        json.getInteger("writesPerUserPerMinute", DEFAULT_WRITES_PER_USER),
        json.getInteger("incomingHookPostsPerMinute", DEFAULT_HOOK_POSTS_PER_MINUTE),
        json.getInteger(TEST_HASH_MEMORY_KEY, DEFAULT_PASSWORD_HASH_MEMORY_KIB),
        SsoOptions.from((JsonObject) sso));
  }

  public Duration accessTtl() {
    return Duration.ofSeconds(accessTtlSeconds);
  }

  public Duration refreshTtl() {
    return Duration.ofSeconds(refreshTtlSeconds);
  }

  public Duration jwtRotation() {
    return Duration.ofSeconds(jwtRotationSeconds);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("accessTtlSeconds", accessTtlSeconds)
        .put("refreshTtlSeconds", refreshTtlSeconds)
        .put("jwtRotationSeconds", jwtRotationSeconds)
        .put("loginFailuresPerAccount", loginFailuresPerAccount)
        .put("authAttemptsPerAddress", authAttemptsPerAddress)
        .put("maxRequestBytes", maxRequestBytes)
        .put("writesPerUserPerMinute", writesPerUserPerMinute);
  }

  /** The tunables without {@code sso}: its providers hold client secrets, which must not reach a log. */
  @Override
  public String toString() {
    return "IdentityOptions" + toJson().encode();
  }
}
