package dev.hearth.kernel.identity;

import com.google.crypto.tink.jwt.JwtPublicKeyVerify;
import com.google.crypto.tink.jwt.JwtValidator;
import dev.hearth.module.ModuleException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Set;
import java.util.function.Function;

/**
 * Says why an access token was refused, in words safe for the client (never the token or a claim).
 * Runs only after verification failed, so the hot path pays nothing for it.
 */
final class TokenFailure {

  private TokenFailure() {}

  static ModuleException invalid() {
    return new ModuleException(ModuleException.Code.UNAUTHENTICATED, "access token is not valid").localized("token.invalid");
  }

  static ModuleException unknownKey() {
    return new ModuleException(ModuleException.Code.UNAUTHENTICATED, "access token is signed by an unknown key").localized("token.unknownKey");
  }

  /** Whether {@code refusal} is {@link #unknownKey()}'s. */
  static boolean unknownKey(ModuleException refusal) {
    return "token.unknownKey".equals(refusal.messageKey());
  }

  static ModuleException expired() {
    return new ModuleException(ModuleException.Code.UNAUTHENTICATED, "access token expired").localized("token.expired");
  }

  /**
   * The refusal for {@code token}, which {@code verifier} did not accept: unknown key when its
   * {@code kid} is none of {@code kids}; expired only when it is otherwise genuine (it verifies as
   * of just before its {@code exp}), so a forgery is never told it merely expired.
   */
  static ModuleException explain(String token, Set<String> kids, JwtPublicKeyVerify verifier, Instant now,
      Function<Clock, JwtValidator> validatorAt) {
    try {
      String[] parts = token.split("\\.", -1);
      if (parts.length != 3) {
        return invalid();
      }
      JsonObject header = decode(parts[0]);
      if (!(header.getValue("kid") instanceof String kid)) {
        return invalid();
      }
      if (!kids.contains(kid)) {
        return unknownKey();
      }
      if (!(decode(parts[1]).getValue("exp") instanceof Number exp)) {
        return invalid();
      }
      Instant expiry = Instant.ofEpochSecond(exp.longValue());
      if (expiry.isAfter(now)) {
        return invalid();
      }
      Clock beforeExpiry = Clock.fixed(expiry.minusSeconds(1), ZoneOffset.UTC);
      verifier.verifyAndDecode(token, validatorAt.apply(beforeExpiry));
      return expired();
    } catch (Exception e) {
      // Undecodable parts, bad JSON, a bad signature: all the same to the client.
      return invalid();
    }
  }

  private static JsonObject decode(String part) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
  }
}
