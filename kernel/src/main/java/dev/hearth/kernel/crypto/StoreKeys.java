package dev.hearth.kernel.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PrfSet;
import dev.hearth.module.ModuleException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys of one store: an AEAD keyset (AES-256-GCM, rotates) for values and log records, and a
 * PRF keyset (HMAC-SHA256) for blind-index tokens. Thread-safe; rotation swaps the primitive
 * atomically, and old keys keep decrypting what they encrypted.
 */
public final class StoreKeys {

  /** Length of a blind-index token: 128 bits is plenty against collisions within a store. */
  public static final int TOKEN_BYTES = 16;

  private final String store;
  private final KeyVault vault;
  private volatile KeysetHandle aeadHandle;
  private volatile Aead aead;
  private final PrfSet prf;

  StoreKeys(String store, KeyVault vault, KeysetHandle aeadHandle, KeysetHandle prfHandle) {
    this.store = store;
    this.vault = vault;
    try {
      this.prf = prfHandle.getPrimitive(RegistryConfiguration.get(), PrfSet.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("bad PRF keyset for store " + store, e);
    }
    install(aeadHandle);
  }

  private void install(KeysetHandle h) {
    try {
      Aead a = h.getPrimitive(RegistryConfiguration.get(), Aead.class);
      this.aeadHandle = h;
      this.aead = a;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("bad AEAD keyset for store " + store, e);
    }
  }

  public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
    try {
      return aead.encrypt(plaintext, associatedData);
    } catch (GeneralSecurityException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "encryption failed in store " + store, e);
    }
  }

  /**
   * Decrypts and verifies.
   *
   * @param what names the thing for the error message (never its content)
   * @throws ModuleException DATA_LOSS when the ciphertext is tampered with, was made for other
   *     associated data (another key, collection or store), or under a key this store lacks
   */
  public byte[] decrypt(byte[] ciphertext, byte[] associatedData, String what) {
    try {
      return aead.decrypt(ciphertext, associatedData);
    } catch (GeneralSecurityException e) {
      throw new ModuleException(ModuleException.Code.DATA_LOSS,
          what + " in store '" + store + "' failed to decrypt: it was tampered with or does not belong here");
    }
  }

  /** A keyed, deterministic, one-way token of {@code input}. */
  public byte[] token(byte[] input) {
    try {
      return prf.computePrimary(input, TOKEN_BYTES);
    } catch (GeneralSecurityException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "PRF failed in store " + store, e);
    }
  }

  /** The id of the key that encrypts new values. */
  public int primaryKeyId() {
    return aeadHandle.getPrimary().getId();
  }

  /** The ids of every AEAD key, oldest first. */
  public List<Integer> keyIds() {
    KeysetHandle h = aeadHandle;
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < h.size(); i++) {
      ids.add(h.getAt(i).getId());
    }
    return ids;
  }

  /** The key id a Tink ciphertext was made with (its 5-byte prefix), or -1 when it has none. */
  public static int keyIdOf(byte[] ciphertext) {
    if (ciphertext.length < 5 || ciphertext[0] != 0x01) {
      return -1;
    }
    return ((ciphertext[1] & 0xff) << 24) | ((ciphertext[2] & 0xff) << 16)
        | ((ciphertext[3] & 0xff) << 8) | (ciphertext[4] & 0xff);
  }

  /**
   * Adds a new AES-256-GCM key as primary and persists the keyset before using it, so no value is
   * ever encrypted under a key that a crash could lose. Returns the new primary key id.
   */
  public synchronized int rotate() {
    try {
      KeysetHandle next = KeysetHandle.newBuilder(aeadHandle)
          .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
              .withRandomId().makePrimary())
          .build();
      vault.saveAead(store, next);
      install(next);
      return next.getPrimary().getId();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot add a key to store " + store, e);
    }
  }
}
