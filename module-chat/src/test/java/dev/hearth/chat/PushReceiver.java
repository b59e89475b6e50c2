package dev.hearth.chat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A push service run by the test: an HTTP server that takes Web Push messages for devices it made,
 * checks the VAPID JWT (RFC 8292) against the key the node publishes, and decrypts the body as the
 * browser would (RFC 8291 aes128gcm), with the device's private key and auth secret. Written over the
 * JDK's ECDH, HMAC and AES-GCM and Nimbus JOSE, none of the node's own code. A device answers with
 * the status the test set ({@link #answer}), 201 by default; only 2xx answers count as delivered.
 */
final class PushReceiver implements AutoCloseable {

  /** A browser's subscription: where its messages go and the keys only it holds. */
  record Device(String name, String endpoint, KeyPair keys, byte[] publicKey, byte[] auth) {
    String p256dh() {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(publicKey);
    }

    String authSecret() {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(auth);
    }
  }

  /** A message as received: the device, the status answered, the decrypted payload, the checked JWT's claims. */
  record Received(String device, int status, JsonObject payload, Map<String, Object> claims, Map<String, String> headers) {}

  private final HttpServer server;
  private final String vapidKey;
  private final Map<String, Device> devices = new ConcurrentHashMap<>();
  private final Map<String, Integer> answers = new ConcurrentHashMap<>();
  final List<Received> received = new CopyOnWriteArrayList<>();
  final List<String> errors = new CopyOnWriteArrayList<>();

  /** @param vapidKey the node's VAPID public key (base64url uncompressed point), as GetPushKey gives it */
  PushReceiver(String vapidKey) throws Exception {
    this.vapidKey = vapidKey;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/push/", ex -> {
      String name = ex.getRequestURI().getPath().substring("/push/".length());
      byte[] body = ex.getRequestBody().readAllBytes();
      int status = answers.getOrDefault(name, 201);
      try {
        Device d = devices.get(name);
        if (d == null) throw new IllegalStateException("no device " + name);
        Map<String, String> headers = new ConcurrentHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
        Map<String, Object> claims = verify(headers.getOrDefault("authorization", ""));
        if (!"aes128gcm".equals(headers.get("content-encoding"))) throw new IllegalStateException("content-encoding");
        received.add(new Received(name, status, new JsonObject(new String(decrypt(d, body), StandardCharsets.UTF_8)),
            claims, headers));
      } catch (Exception e) {
        errors.add(name + ": " + e);
        status = 400;
      }
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    server.start();
  }

  String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  Device device(String name) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = g.generateKeyPair();
    ECPoint w = ((ECPublicKey) keys.getPublic()).getW();
    byte[] pub = ByteBuffer.allocate(65).put((byte) 4).put(fixed(w.getAffineX())).put(fixed(w.getAffineY())).array();
    byte[] auth = new byte[16];
    new SecureRandom().nextBytes(auth);
    Device d = new Device(name, origin() + "/push/" + name, keys, pub, auth);
    devices.put(name, d);
    return d;
  }

  void answer(String device, int status) {
    answers.put(device, status);
  }

  /** The messages a device took (2xx), in order. */
  List<JsonObject> delivered(String device) {
    return received.stream().filter(r -> r.device().equals(device) && r.status() / 100 == 2).map(Received::payload).toList();
  }

  long attempts(String device) {
    return received.stream().filter(r -> r.device().equals(device)).count();
  }

  /** RFC 8292: {@code vapid t=<JWT>, k=<key>}; the key must be the node's and sign the JWT, for this origin, unexpired. */
  private Map<String, Object> verify(String authorization) throws Exception {
    if (!authorization.startsWith("vapid ")) throw new IllegalStateException("not a vapid authorization");
    String t = null;
    String k = null;
    for (String part : authorization.substring(6).split(",")) {
      String p = part.strip();
      if (p.startsWith("t=")) t = p.substring(2);
      if (p.startsWith("k=")) k = p.substring(2);
    }
    if (!vapidKey.equals(k)) throw new IllegalStateException("k is not the node's VAPID key");
    byte[] raw = Base64.getUrlDecoder().decode(vapidKey);
    ECKey jwk = new ECKey.Builder(Curve.P_256, publicKey(raw)).build();
    SignedJWT jwt = SignedJWT.parse(t);
    if (!jwt.verify(new ECDSAVerifier(jwk))) throw new IllegalStateException("VAPID JWT signature does not verify");
    if (!"ES256".equals(jwt.getHeader().getAlgorithm().getName())) throw new IllegalStateException("alg");
    var claims = jwt.getJWTClaimsSet();
    if (!claims.getAudience().equals(List.of(origin()))) throw new IllegalStateException("aud " + claims.getAudience());
    long exp = claims.getExpirationTime().getTime();
    if (exp < System.currentTimeMillis() || exp > System.currentTimeMillis() + 24 * 3600_000L) {
      throw new IllegalStateException("exp out of range");
    }
    return claims.getClaims();
  }

  private static ECPublicKey publicKey(byte[] raw) throws Exception {
    AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
    p.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec spec = p.getParameterSpec(ECParameterSpec.class);
    ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(raw, 1, 33)), new BigInteger(1, Arrays.copyOfRange(raw, 33, 65)));
    return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, spec));
  }

  /** RFC 8291 §3.4 and RFC 8188, as the receiving user agent. */
  static byte[] decrypt(Device d, byte[] body) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(body);
    byte[] salt = new byte[16];
    b.get(salt);
    int rs = b.getInt();
    byte[] asPublic = new byte[b.get() & 0xff];
    b.get(asPublic);
    byte[] sealed = new byte[b.remaining()];
    b.get(sealed);
    if (sealed.length > rs) throw new IllegalStateException("more than one record");
    KeyAgreement ka = KeyAgreement.getInstance("ECDH");
    ka.init(d.keys().getPrivate());
    ka.doPhase(publicKey(asPublic), true);
    byte[] ecdh = ka.generateSecret();
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    info.write("WebPush: info\0".getBytes(StandardCharsets.US_ASCII));
    info.write(d.publicKey());
    info.write(asPublic);
    byte[] ikm = expand(extract(d.auth(), ecdh), info.toByteArray(), 32);
    byte[] prk = extract(salt, ikm);
    byte[] cek = expand(prk, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
    byte[] nonce = expand(prk, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
    byte[] plain = c.doFinal(sealed);
    int end = plain.length - 1;
    while (end >= 0 && plain[end] == 0) end--;
    if (end < 0 || plain[end] != 2) throw new IllegalStateException("no last-record delimiter");
    return Arrays.copyOf(plain, end);
  }

  private static byte[] extract(byte[] salt, byte[] ikm) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(salt, "HmacSHA256"));
    return mac.doFinal(ikm);
  }

  private static byte[] expand(byte[] prk, byte[] info, int length) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    mac.update(info);
    mac.update((byte) 1);
    return Arrays.copyOf(mac.doFinal(), length); // one block is enough for 32 bytes or fewer
  }

  private static byte[] fixed(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    System.arraycopy(b, Math.max(0, b.length - 32), out, Math.max(0, 32 - b.length), Math.min(32, b.length));
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
