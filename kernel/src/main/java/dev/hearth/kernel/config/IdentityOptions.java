package dev.hearth.kernel.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Tunables of identity: token lifetimes, key rotation, abuse limits. Read from the config file's
 * {@code identity} section; every key is optional.
 */
public final class IdentityOptions {

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

  private final long accessTtlSeconds;
  private final long refreshTtlSeconds;
  private final long jwtRotationSeconds;
  private final int loginFailuresPerAccount;
  private final int authAttemptsPerAddress;
  private final int maxRequestBytes;
  private final int writesPerUser;
  private final int hookPostsPerMinute;
  private final int passwordHashMemoryKiB;
  private final SsoOptions sso;

  public IdentityOptions() {
    this(new JsonObject());
  }

  public IdentityOptions(JsonObject json) {
    accessTtlSeconds = json.getLong("accessTtlSeconds", DEFAULT_ACCESS_TTL_SECONDS);
    refreshTtlSeconds = json.getLong("refreshTtlSeconds", DEFAULT_REFRESH_TTL_SECONDS);
    jwtRotationSeconds = json.getLong("jwtRotationSeconds", DEFAULT_JWT_ROTATION_SECONDS);
    loginFailuresPerAccount = json.getInteger("loginFailuresPerAccount", DEFAULT_LOGIN_FAILURES_PER_ACCOUNT);
    authAttemptsPerAddress = json.getInteger("authAttemptsPerAddress", DEFAULT_AUTH_ATTEMPTS_PER_ADDRESS);
    maxRequestBytes = json.getInteger("maxRequestBytes", DEFAULT_MAX_REQUEST_BYTES);
    writesPerUser = json.getInteger("writesPerUserPerMinute", DEFAULT_WRITES_PER_USER);
    hookPostsPerMinute = json.getInteger("incomingHookPostsPerMinute", DEFAULT_HOOK_POSTS_PER_MINUTE);
    passwordHashMemoryKiB = json.getInteger(TEST_HASH_MEMORY_KEY, DEFAULT_PASSWORD_HASH_MEMORY_KIB);
    Object sso = json.getValue("sso");
    if (sso != null && !(sso instanceof JsonObject)) throw new IllegalArgumentException("identity.sso must be an object");
    this.sso = SsoOptions.from((JsonObject) sso);
    if (accessTtlSeconds < 10 || refreshTtlSeconds < accessTtlSeconds || jwtRotationSeconds < accessTtlSeconds) {
      throw new IllegalArgumentException("identity: need 10 <= accessTtlSeconds <= refreshTtlSeconds and "
          + "accessTtlSeconds <= jwtRotationSeconds");
    }
    if (loginFailuresPerAccount < 1 || authAttemptsPerAddress < 1 || maxRequestBytes < 1024 || writesPerUser < 1
        || hookPostsPerMinute < 1) {
      throw new IllegalArgumentException("identity: limits must be positive (maxRequestBytes >= 1024)");
    }
    if (passwordHashMemoryKiB < 64 || passwordHashMemoryKiB > DEFAULT_PASSWORD_HASH_MEMORY_KIB) {
      throw new IllegalArgumentException("identity: " + TEST_HASH_MEMORY_KEY + " must be between 64 and " + DEFAULT_PASSWORD_HASH_MEMORY_KIB);
    }
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

  public int loginFailuresPerAccount() {
    return loginFailuresPerAccount;
  }

  public int authAttemptsPerAddress() {
    return authAttemptsPerAddress;
  }

  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  public int writesPerUserPerMinute() {
    return writesPerUser;
  }

  public int incomingHookPostsPerMinute() {
    return hookPostsPerMinute;
  }

  /** Argon2id memory per password hash in KiB: {@code DEFAULT_PASSWORD_HASH_MEMORY_KIB} unless a test lowered it. */
  public int passwordHashMemoryKiB() {
    return passwordHashMemoryKiB;
  }

  /** Single sign-on providers ({@code identity.sso}); none by default. */
  public SsoOptions sso() {
    return sso;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("accessTtlSeconds", accessTtlSeconds)
        .put("refreshTtlSeconds", refreshTtlSeconds)
        .put("jwtRotationSeconds", jwtRotationSeconds)
        .put("loginFailuresPerAccount", loginFailuresPerAccount)
        .put("authAttemptsPerAddress", authAttemptsPerAddress)
        .put("maxRequestBytes", maxRequestBytes)
        .put("writesPerUserPerMinute", writesPerUser);
  }
}
