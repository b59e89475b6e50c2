package dev.hearth.kernel.crypto;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import dev.hearth.module.ModuleException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * The data keysets of a node, kept under {@code <data>/keys/} encrypted with the {@link MasterKey}
 * (associated data names the store and the keyset's purpose, so files cannot be swapped).
 */
public final class KeyVault {

  private final Path dir;
  private final MasterKey master;

  private KeyVault(Path dir, MasterKey master) {
    this.dir = dir;
    this.master = master;
  }

  public static KeyVault open(Path keysDir, MasterKey master) {
    Crypto.init();
    try {
      Files.createDirectories(keysDir);
    } catch (IOException e) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION,
          "cannot create key folder " + keysDir + ": " + e.getMessage(), e);
    }
    return new KeyVault(keysDir, master);
  }

  /** The keys of {@code store}, created on first use. */
  public synchronized StoreKeys forStore(String store) {
    KeysetHandle aead = loadOrCreate(store, "aead");
    KeysetHandle prf = loadOrCreate(store, "prf");
    return new StoreKeys(store, this, aead, prf);
  }

  private KeysetHandle loadOrCreate(String store, String purpose) {
    Path file = dir.resolve(store + "." + purpose + ".json");
    byte[] ad = associatedData(store, purpose);
    try {
      if (Files.exists(file)) {
        String json = Files.readString(file, StandardCharsets.UTF_8);
        return TinkJsonProtoKeysetFormat.parseEncryptedKeyset(json, master.aead(), ad);
      }
      KeysetHandle h = KeysetHandle.generateNew(purpose.equals("aead")
          ? PredefinedAeadParameters.AES256_GCM : PredefinedPrfParameters.HMAC_SHA256_PRF);
      save(file, h, ad);
      return h;
    } catch (GeneralSecurityException e) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION,
          "keyset " + file + " cannot be opened with this master key");
    } catch (IOException e) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION,
          "cannot read or write keyset " + file + ": " + e.getMessage(), e);
    }
  }

  void saveAead(String store, KeysetHandle h) {
    try {
      save(dir.resolve(store + ".aead.json"), h, associatedData(store, "aead"));
    } catch (GeneralSecurityException | IOException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "cannot save keyset of store " + store, e);
    }
  }

  private void save(Path file, KeysetHandle h, byte[] ad) throws GeneralSecurityException, IOException {
    String json = TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(h, master.aead(), ad);
    Files8.writeSecret(file, json.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] associatedData(String store, String purpose) {
    return ("hearth/keyset/" + store + "/" + purpose).getBytes(StandardCharsets.UTF_8);
  }
}
