package dev.hearth.kernel.identity;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import com.google.common.io.BaseEncoding;
import dev.hearth.kernel.identity.proto.UserRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Instant;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 time-based one-time passwords (java-otp): 6 digits, 30-second steps, HMAC-SHA1 — what
 * authenticator apps expect. A code is accepted one step early or late for clock drift, and never
 * twice: {@link #verify} returns the step it matched so the caller can store it.
 */
final class Totp {

  private static final TimeBasedOneTimePasswordGenerator GENERATOR = new TimeBasedOneTimePasswordGenerator();
  private static final BaseEncoding BASE32 = BaseEncoding.base32().omitPadding();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long STEP_SECONDS = 30;

  private Totp() {}

  /** A new random 160-bit secret, base32. */
  static String newSecret() {
    byte[] key = new byte[20];
    RANDOM.nextBytes(key);
    return BASE32.encode(key);
  }

  static String uri(String issuer, String account, String secret) {
    String label = URLEncoder.encode(issuer + ":" + account, StandardCharsets.UTF_8).replace("+", "%20");
    return "otpauth://totp/" + label + "?secret=" + secret + "&issuer="
        + URLEncoder.encode(issuer, StandardCharsets.UTF_8) + "&algorithm=SHA1&digits=6&period=30";
  }

  /**
   * The time step {@code code} is valid for (now, one before or one after), or -1. A step at or
   * before {@code lastStep} is refused: that code was used already.
   */
  /**
   * The second factor of a log-in: -1 when the account has no TOTP; else the step of {@code code},
   * refusing a missing code (with {@code totpRequired}, so a client asks for it) and a wrong or used one.
   */
  static long secondFactor(UserRecord user, String code, Instant now) {
    if (!user.getTotpEnabled()) return -1;
    if (code.isEmpty()) {
      throw Authenticator.unauthenticated("auth.totpNeeded", "totp_code: this account needs a one-time code")
          .detail("field", "totp_code").detail("totpRequired", "true");
    }
    long step = verify(user.getTotpSecret(), code, now, user.getTotpLastStep());
    if (step < 0) throw Authenticator.unauthenticated("auth.totpWrong", "totp_code: wrong or used one-time code").detail("field", "totp_code");
    return step;
  }

  static long verify(String secret, String code, Instant now, long lastStep) {
    if (code == null || !code.matches("\\d{6}")) return -1;
    int wanted = Integer.parseInt(code);
    SecretKeySpec key = new SecretKeySpec(BASE32.decode(secret), GENERATOR.getAlgorithm());
    long step = now.getEpochSecond() / STEP_SECONDS;
    for (long s = step - 1; s <= step + 1; s++) {
      if (s <= lastStep) continue;
      if (code(key, s) == wanted) return s;
    }
    return -1;
  }


  private static int code(SecretKeySpec key, long step) {
    try {
      return GENERATOR.generateOneTimePassword(key, Instant.ofEpochSecond(step * STEP_SECONDS));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("TOTP key rejected", e);
    }
  }
}
