package dev.hearth.federation.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A shared project's scope key: one AES-256-GCM keyset made by the project's owner, with which every
 * envelope of the project is encrypted once whatever the number of peers. The owner hands it to each
 * linked node wrapped with HPKE to that node's pinned public key, bound to the project's id, so a
 * wrapped key is useless to any other node or for any other project.
 */
public final class ScopeKeys {

  private static final String CONTEXT = "hearth/fed/scope-key/v1|";
  private static final Map<KeysetHandle, Aead> AEADS = new WeakHashMap<>();

  private ScopeKeys() {}

  /** A new scope key. */
  public static KeysetHandle generate() {
    FedCrypto.init();
    try {
      return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a scope key", e);
    }
  }

  /**
   * The scope key with a new primary key added: what is sealed from now on cannot be opened with the
   * old keyset, and what was sealed before still opens with the new one.
   */
  public static KeysetHandle rotate(KeysetHandle scopeKey) {
    try {
      return KeysetHandle.newBuilder(scopeKey)
          .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM).withRandomId().makePrimary())
          .build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot rotate a scope key", e);
    }
  }

  /** Whether {@code scopeKey} holds the key with Tink id {@code keyId}. */
  public static boolean holds(KeysetHandle scopeKey, int keyId) {
    for (int i = 0; i < scopeKey.size(); i++) {
      if (scopeKey.getAt(i).getId() == keyId) return true;
    }
    return false;
  }

  /** The scope key of {@code scope}, encrypted for {@code peer} alone. */
  public static byte[] wrap(KeysetHandle scopeKey, String scope, PeerKeys peer) {
    try {
      byte[] plain = TinkProtoKeysetFormat.serializeKeyset(scopeKey, InsecureSecretKeyAccess.get());
      return peer.encrypter().encrypt(plain, context(scope));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot wrap the scope key of " + scope, e);
    }
  }

  /**
   * Opens a scope key that an owner wrapped for this node.
   *
   * @throws ForgedEnvelopeException UNDECRYPTABLE when it was wrapped for another node or project
   */
  public static KeysetHandle unwrap(byte[] wrapped, String scope, NodeKeys own) throws ForgedEnvelopeException {
    try {
      byte[] plain = own.decrypter().decrypt(wrapped, context(scope));
      return TinkProtoKeysetFormat.parseKeyset(plain, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new ForgedEnvelopeException(ForgedEnvelopeException.Reason.UNDECRYPTABLE,
          "the scope key of " + scope + " was not wrapped for this node and project");
    }
  }

  /**
   * A scope key as bytes, to keep in an encrypted store (never anywhere in clear: whoever holds
   * these bytes reads the project's replicated data).
   */
  public static byte[] toBytes(KeysetHandle scopeKey) {
    try {
      return TinkProtoKeysetFormat.serializeKeyset(scopeKey, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot serialize a scope key", e);
    }
  }

  /** The scope key {@link #toBytes} wrote. */
  public static KeysetHandle fromBytes(byte[] bytes) {
    FedCrypto.init();
    try {
      return TinkProtoKeysetFormat.parseKeyset(bytes, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a stored scope key does not parse", e);
    }
  }

  /**
   * The scope key's AEAD, made once per keyset (by identity: a rotation makes a new one) rather than
   * per envelope. Weak keys: a replaced keyset's primitive goes with it.
   */
  static Aead aead(KeysetHandle scopeKey) throws GeneralSecurityException {
    synchronized (AEADS) {
      Aead aead = AEADS.get(scopeKey);
      if (aead == null) {
        aead = scopeKey.getPrimitive(RegistryConfiguration.get(), Aead.class);
        AEADS.put(scopeKey, aead);
      }
      return aead;
    }
  }

  private static byte[] context(String scope) {
    return (CONTEXT + scope).getBytes(StandardCharsets.UTF_8);
  }
}
