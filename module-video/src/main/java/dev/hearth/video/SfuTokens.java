package dev.hearth.video;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Access tokens for a LiveKit-compatible SFU: an HS256 JWT signed with the configured API secret,
 * whose claims are LiveKit's: {@code iss} the API key, {@code sub} the identity (our user id, never
 * an email), {@code name}, {@code nbf}, {@code exp}, and the {@code video} grant for exactly one room.
 * Written here rather than bundling a JWT library into the plugin: it is one HMAC over two JSON
 * objects, and {@code VideoIT} checks it with an independent library (nimbus-jose-jwt).
 */
final class SfuTokens {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final VideoConfig.Sfu sfu;

  SfuTokens(VideoConfig.Sfu sfu) {
    this.sfu = sfu;
  }

  /** A token to join {@code roomId} as {@code userId}, valid from now for the configured TTL. */
  String issue(String roomId, String userId, String name, long nowSeconds) {
    JsonObject video = new JsonObject().put("room", roomId).put("roomJoin", true)
        .put("canPublish", true).put("canSubscribe", true).put("canPublishData", true);
    JsonObject claims = new JsonObject().put("iss", sfu.apiKey()).put("sub", userId).put("name", name)
        .put("nbf", nowSeconds).put("exp", expiry(nowSeconds)).put("video", video);
    String signingInput = HEADER + "." + B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    return signingInput + "." + B64.encodeToString(hmac(signingInput));
  }

  long expiry(long nowSeconds) {
    return nowSeconds + sfu.tokenTtlSeconds();
  }

  private byte[] hmac(String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(sfu.apiSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }
}
