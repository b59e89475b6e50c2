package dev.hearth.ops.bench;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * The value encryption the MapDB and SQLite contenders share: one Tink AES-256-GCM keyset per run,
 * the key bytes as associated data (a value moved to another key fails to decrypt), the same
 * binding the Hearth store makes. Thread-safe.
 */
final class Sealer {

  private final Aead aead;

  private Sealer(Aead aead) {
    this.aead = aead;
  }

  static Sealer create() {
    try {
      AeadConfig.register();
      KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
      return new Sealer(handle.getPrimitive(RegistryConfiguration.get(), Aead.class));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the benchmark's AES-256-GCM keyset", e);
    }
  }

  byte[] seal(String key, byte[] plaintext) {
    try {
      return aead.encrypt(plaintext, key.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed for key " + key, e);
    }
  }

  byte[] open(String key, byte[] ciphertext) {
    try {
      return aead.decrypt(ciphertext, key.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("stored value of key " + key + " does not decrypt", e);
    }
  }
}
