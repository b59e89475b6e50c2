package dev.hearth.kernel.notifications;

import com.google.crypto.tink.subtle.EllipticCurves;
import com.google.crypto.tink.subtle.EllipticCurves.CurveType;
import com.google.crypto.tink.subtle.EllipticCurves.PointFormatType;
import com.google.crypto.tink.subtle.Hkdf;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two pieces of Web Push cryptography, over Tink's P-256 and HKDF and the JDK's AES-GCM and
 * ECDSA (no maintained Java Web Push library fits: docs/notifications.md#design):
 * <ul>
 *   <li>{@link #encrypt}: RFC 8291 message encryption, the {@code aes128gcm} content coding of
 *       RFC 8188 with one record, keyed by ECDH between a fresh key pair and the device's
 *       {@code p256dh} key, salted with the device's {@code auth} secret;</li>
 *   <li>{@link #vapidJwt}: the RFC 8292 VAPID token, an ES256 JWT for the push service's origin.</li>
 * </ul>
 */
final class PushCrypto {

  /** One record carries the whole message: room for the payload, its delimiter and the 16-byte tag. */
  static final int RECORD_SIZE = 4096;
  static final int MAX_PAYLOAD = RECORD_SIZE - 17;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private PushCrypto() {}

  /**
   * The request body for a device: {@code salt(16) | rs(4) | idlen(1) | keyid(65, the sender's
   * public key) | AES-128-GCM(payload | 0x02)}.
   *
   * @param uaPublic the device's {@code p256dh}, an uncompressed P-256 point
   * @param authSecret the device's {@code auth}, 16 bytes
   */
  static byte[] encrypt(byte[] payload, byte[] uaPublic, byte[] authSecret) throws GeneralSecurityException {
    if (payload.length > MAX_PAYLOAD) throw new GeneralSecurityException("payload over " + MAX_PAYLOAD + " bytes");
    ECPublicKey ua = EllipticCurves.getEcPublicKey(CurveType.NIST_P256, PointFormatType.UNCOMPRESSED, uaPublic);
    KeyPair as = EllipticCurves.generateKeyPair(CurveType.NIST_P256);
    byte[] asPublic = EllipticCurves.pointEncode(CurveType.NIST_P256, PointFormatType.UNCOMPRESSED,
        ((ECPublicKey) as.getPublic()).getW());
    byte[] ecdh = EllipticCurves.computeSharedSecret((ECPrivateKey) as.getPrivate(), ua);
    byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaPublic, asPublic);
    byte[] ikm = Hkdf.computeHkdf("HMACSHA256", ecdh, authSecret, keyInfo, 32);
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] cek = Hkdf.computeHkdf("HMACSHA256", ikm, salt, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
    byte[] nonce = Hkdf.computeHkdf("HMACSHA256", ikm, salt, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
    byte[] sealed = gcm.doFinal(concat(payload, new byte[] {2}));
    return ByteBuffer.allocate(16 + 4 + 1 + asPublic.length + sealed.length)
        .put(salt).putInt(RECORD_SIZE).put((byte) asPublic.length).put(asPublic).put(sealed).array();
  }

  /**
   * The VAPID JWT for a push service at {@code audience} (its origin, "https://host[:port]"), valid
   * until {@code expiresAtSeconds} (RFC 8292 allows at most 24 hours ahead).
   */
  static String vapidJwt(ECPrivateKey key, String audience, long expiresAtSeconds, String subject)
      throws GeneralSecurityException {
    String header = b64(new JsonObject().put("typ", "JWT").put("alg", "ES256").encode());
    JsonObject claims = new JsonObject().put("aud", audience).put("exp", expiresAtSeconds);
    if (subject != null) claims.put("sub", subject);
    String signingInput = header + "." + b64(claims.encode());
    Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
    es256.initSign(key);
    es256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + B64URL.encodeToString(es256.sign());
  }

  static String b64url(byte[] bytes) {
    return B64URL.encodeToString(bytes);
  }

  private static String b64(String json) {
    return B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) b.put(p);
    return b.array();
  }
}
