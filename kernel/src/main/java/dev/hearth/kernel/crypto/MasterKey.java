package dev.hearth.kernel.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.util.SecretBytes;
import dev.hearth.module.ModuleException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The key that wraps every data keyset of a node (AES-256-GCM through Tink). It comes either from a
 * key file — a Tink keyset kept <em>outside</em> the data directory, so a copy of {@code data/} alone
 * reads nothing — or from a passphrase through Argon2id.
 */
public final class MasterKey {

  /** Result of {@link #loadOrCreate}: the key and whether it was made just now. */
  public record Loaded(MasterKey key, boolean created, Path file) {}

  // Argon2id parameters for the passphrase: 64 MiB, 3 passes, 1 lane (OWASP's second profile).
  static final int ARGON2_MEMORY_KIB = 64 * 1024;
  static final int ARGON2_ITERATIONS = 3;

  private final Aead aead;

  private MasterKey(KeysetHandle handle) {
    try {
      Crypto.init();
      this.aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("master key is not an AEAD key", e);
    }
  }

  /** Reads the key file, or creates a new random key there (owner-only permissions) when it does not exist. */
  public static Loaded loadOrCreate(Path keyFile) {
    Crypto.init();
    try {
      if (Files.exists(keyFile)) {
        String json = Files.readString(keyFile, StandardCharsets.UTF_8);
        KeysetHandle h = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
        return new Loaded(new MasterKey(h), false, keyFile.toAbsolutePath());
      }
      KeysetHandle h = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
      String json = TinkJsonProtoKeysetFormat.serializeKeyset(h, InsecureSecretKeyAccess.get());
      Files8.writeSecret(keyFile, json.getBytes(StandardCharsets.UTF_8));
      return new Loaded(new MasterKey(h), true, keyFile.toAbsolutePath());
    } catch (GeneralSecurityException e) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION,
          "master key file " + keyFile + " is not a valid Tink keyset");
    } catch (IOException e) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION,
          "cannot read or create master key file " + keyFile + ": " + e.getMessage(), e);
    }
  }

  /** Derives the key from a passphrase with Argon2id; the random salt file is created on first use. */
  public static MasterKey fromPassphrase(char[] passphrase, Path saltFile) {
    if (passphrase == null || passphrase.length < 12) {
      throw ModuleException.invalidArgument("the master passphrase must have at least 12 characters");
    }
    try {
      byte[] salt;
      if (Files.exists(saltFile)) {
        salt = Files.readAllBytes(saltFile);
      } else {
        salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        Files8.writeSecret(saltFile, salt);
      }
      byte[] raw = argon2id(passphrase, salt);
      AesGcmParameters params = AesGcmParameters.builder().setKeySizeBytes(32).setIvSizeBytes(12)
          .setTagSizeBytes(16).setVariant(AesGcmParameters.Variant.NO_PREFIX).build();
      AesGcmKey key = AesGcmKey.builder().setParameters(params)
          .setKeyBytes(SecretBytes.copyFrom(raw, InsecureSecretKeyAccess.get())).build();
      Arrays.fill(raw, (byte) 0);
      KeysetHandle h = KeysetHandle.newBuilder()
          .addEntry(KeysetHandle.importKey(key).withRandomId().makePrimary()).build();
      return new MasterKey(h);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the master key", e);
    } catch (IOException e) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION,
          "cannot read or create salt file " + saltFile + ": " + e.getMessage(), e);
    }
  }

  static byte[] argon2id(char[] passphrase, byte[] salt) {
    Argon2Parameters p = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withSalt(salt).withMemoryAsKB(ARGON2_MEMORY_KIB).withIterations(ARGON2_ITERATIONS)
        .withParallelism(1).build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(p);
    byte[] out = new byte[32];
    gen.generateBytes(passphrase, out);
    return out;
  }

  /** The master AEAD; only {@link KeyVault} uses it, to wrap and unwrap keysets. */
  Aead aead() {
    return aead;
  }
}
