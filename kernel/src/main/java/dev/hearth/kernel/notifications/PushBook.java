package dev.hearth.kernel.notifications;

import com.google.crypto.tink.subtle.EllipticCurves;
import com.google.crypto.tink.subtle.EllipticCurves.CurveType;
import com.google.crypto.tink.subtle.EllipticCurves.PointFormatType;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Store;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Arrays;

/**
 * Web Push's records in the kernel store (encrypted there like everything else, so the VAPID
 * private key and the devices' secrets are never in clear under data/; unscoped, so federation never
 * ships them): the node's VAPID key pair, made once, and each user's push devices.
 *
 * <p>Keys: {@code notifications.vapid/p256} → {@code {"private": PKCS#8 base64, "public": base64url}};
 * {@code notifications.devices/<user id>/<device id>} → {@link Device} as JSON. A device id is the
 * first 16 bytes of SHA-256 of the endpoint, so one subscription is one device however often it is
 * registered.
 */
final class PushBook {

  static final int MAX_DEVICES = 20;

  /** The node's VAPID key pair; {@code publicKey} is the uncompressed point (65 bytes). */
  record Vapid(ECPrivateKey privateKey, byte[] publicKey) {}

  /** A browser's push subscription, registered by its user. */
  record Device(String userId, String id, String endpoint, String p256dh, String auth, String label, long createdAtMillis) {

    JsonObject toJson() {
      return new JsonObject().put("endpoint", endpoint).put("p256dh", p256dh).put("auth", auth).put("label", label)
          .put("createdAtMillis", createdAtMillis);
    }

    static Device of(String key, String json) {
      String[] k = key.split("/", 2);
      JsonObject j = new JsonObject(json);
      return new Device(k[0], k[1], j.getString("endpoint"), j.getString("p256dh"), j.getString("auth"),
          j.getString("label", ""), j.getLong("createdAtMillis", 0L));
    }
  }

  private final Store store;
  private final Collection<String> vapid;
  private final Collection<String> devices;

  PushBook(Store kernel) {
    this.store = kernel;
    this.vapid = kernel.collection(CollectionSpec.of("notifications.vapid", Codec.utf8()));
    this.devices = kernel.collection(CollectionSpec.of("notifications.devices", Codec.utf8()));
  }

  /** The stored key pair, or a new one stored first. Blocking read: on a worker. */
  Future<Vapid> vapid() {
    Optional<String> stored = vapid.get("p256");
    if (stored.isPresent()) return Future.succeededFuture(decode(new JsonObject(stored.get())));
    KeyPair pair;
    byte[] pub;
    try {
      pair = EllipticCurves.generateKeyPair(CurveType.NIST_P256);
      pub = EllipticCurves.pointEncode(CurveType.NIST_P256, PointFormatType.UNCOMPRESSED,
          ((ECPublicKey) pair.getPublic()).getW());
    } catch (GeneralSecurityException e) {
      return Future.failedFuture(new IllegalStateException("cannot make a VAPID key pair", e));
    }
    JsonObject j = new JsonObject().put("private", Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()))
        .put("public", PushCrypto.b64url(pub));
    return store.write(NoticeBook.ACTOR, tx -> {
      // A key another start stored first wins: devices subscribed with it keep working.
      Optional<String> was = tx.get(vapid, "p256");
      if (was.isPresent()) return was.get();
      tx.put(vapid, "p256", j.encode());
      return j.encode();
    }).map(json -> decode(new JsonObject(json)));
  }

  private static Vapid decode(JsonObject j) {
    try {
      byte[] pkcs8 = Base64.getDecoder().decode(j.getString("private"));
      ECPrivateKey key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      return new Vapid(key, Base64.getUrlDecoder().decode(j.getString("public")));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the stored VAPID key cannot be read", e);
    }
  }

  static String deviceId(String endpoint) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(endpoint.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(h, 16));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A user's devices, newest first. Blocking read. */
  List<Device> devices(String userId) {
    return devices.scanPrefix(userId + "/", MAX_DEVICES + 1, false).stream()
        .map(e -> Device.of(e.key(), e.value()))
        .sorted((a, b) -> Long.compare(b.createdAtMillis(), a.createdAtMillis())).toList();
  }

  /**
   * Stores {@code d}; a new device beyond {@link #MAX_DEVICES} is refused with {@code false} and
   * nothing written.
   */
  Future<Boolean> put(Device d) {
    return store.write(NoticeBook.ACTOR, tx -> {
      String key = d.userId() + "/" + d.id();
      if (tx.get(devices, key).isEmpty()
          && tx.scan(devices, d.userId() + "/", d.userId() + "/\uffff", MAX_DEVICES, false).size() >= MAX_DEVICES) {
        return false;
      }
      tx.put(devices, key, d.toJson().encode());
      return true;
    });
  }

  /** Removes a device; {@code false} when the user has none with that id. */
  Future<Boolean> remove(String userId, String deviceId) {
    return store.write(NoticeBook.ACTOR, tx -> {
      String key = userId + "/" + deviceId;
      if (tx.get(devices, key).isEmpty()) return false;
      tx.delete(devices, key);
      return true;
    });
  }

  /** In DeleteUser's transaction: the user's devices go with them. */
  /** Whether the user has a device registered. */
  boolean hasDevices(String userId) {
    return !devices.scan(userId + "/", userId + "/\uffff", 1, false).isEmpty();
  }

  void deleteUser(Tx tx, String userId) {
    for (Entry<String> e : tx.scan(devices, userId + "/", userId + "/\uffff", MAX_DEVICES + 1, false)) {
      tx.delete(devices, e.key());
    }
  }
}
