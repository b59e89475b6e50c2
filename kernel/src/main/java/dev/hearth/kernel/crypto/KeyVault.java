package dev.hearth.kernel.crypto;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import dev.hearth.kernel.spi.KeyShare;
import dev.hearth.module.ModuleException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The data keysets of a node, kept under {@code <data>/keys/} encrypted with the {@link MasterKey}
 * (associated data names the store and the keyset's purpose, so files cannot be swapped).
 *
 * <p>Besides the per-store keysets ({@code <store>.<purpose>.json}, associated data
 * {@code hearth/keyset/<store>/<purpose>}) it holds named keysets for the kernel itself
 * ({@code <name>.json}, associated data {@code hearth/keyset/<name>}). A name is a single
 * lower-case word without {@code /} or {@code .}, so neither its file nor its associated data can
 * equal a per-store one: a named keyset can never be read in place of a store's, or the reverse.
 *
 * <p>In a cluster the files are shared ({@link KeyShare}): a keyset this vault lacks is taken from
 * the cluster's copy, one it makes is published there first (the copy published first wins), and
 * a rotated one replaces the cluster's copy. Only the wrapped bytes travel.
 */
public final class KeyVault {

  /** Names of named keysets: no '/' (associated data) and no '.' (file names) by construction. */
  private static final Pattern KEYSET_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  /** The file a passphrase's salt is kept in ({@code StoreBoot}); shared like the keysets, since the key is derived with it. */
  public static final String SALT_FILE = "master.salt";

  private final Path dir;
  private final MasterKey master;
  private final KeyShare share;

  private KeyVault(Path dir, MasterKey master, KeyShare share) {
    this.dir = dir;
    this.master = master;
    this.share = share;
  }

  public static KeyVault open(Path keysDir, MasterKey master) {
    return open(keysDir, master, KeyShare.NONE);
  }

  /**
   * Opens the vault, sharing its files through {@code share}. A passphrase's salt made by this start
   * is published now; one that differs from the cluster's fails (FAILED_PRECONDITION).
   */
  public static KeyVault open(Path keysDir, MasterKey master, KeyShare share) {
    Crypto.init();
    try {
      Files.createDirectories(keysDir);
    } catch (IOException e) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION,
          "cannot create key folder " + keysDir + ": " + e.getMessage(), e);
    }
    Path salt = keysDir.resolve(SALT_FILE);
    if (share != KeyShare.NONE && Files.exists(salt)) {
      try {
        byte[] local = Files.readAllBytes(salt);
        if (!Arrays.equals(local, share.agree(SALT_FILE, local))) {
          throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "the passphrase salt " + salt
              + " differs from the cluster's (" + share.describe() + "): this data directory's keys were made apart"
              + " from the cluster; start a process that joins with an empty " + keysDir);
        }
      } catch (IOException e) {
        throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "cannot read " + salt + ": " + e.getMessage(), e);
      }
    }
    return new KeyVault(keysDir, master, share);
  }

  /** The keys of {@code store}, created on first use. */
  public synchronized StoreKeys forStore(String store) {
    KeysetHandle aead = loadOrCreate(store, "aead");
    KeysetHandle prf = loadOrCreate(store, "prf");
    return new StoreKeys(store, this, aead, prf);
  }

  /**
   * The named keyset {@code name}, read from {@code <keysDir>/<name>.json}, or generated from
   * {@code parameters} (one primary key) and saved there when the file does not exist. The key
   * manager for {@code parameters} must be registered with Tink first. The parameters are not
   * compared with those of an existing keyset.
   *
   * @throws ModuleException INVALID_ARGUMENT for a bad name, FAILED_PRECONDITION when the file
   *     cannot be read or does not open with this master key
   */
  public synchronized KeysetHandle loadOrCreateKeyset(String name, Parameters parameters) {
    return openOrMake(namedFile(name), namedAssociatedData(name), parameters);
  }

  /** Replaces the named keyset {@code name} on disk (atomically) with {@code handle}. */
  public synchronized void saveKeyset(String name, KeysetHandle handle) {
    Path file = namedFile(name);
    try {
      save(file, handle, namedAssociatedData(name));
      share.replace(file.getFileName().toString(), Files.readAllBytes(file));
    } catch (GeneralSecurityException | IOException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "cannot save keyset " + name, e);
    }
  }

  /**
   * The named keyset {@code name} encrypted with the master key exactly as its file holds it, for
   * handing it to the other processes of a cluster (which share the master key) inside a store.
   */
  public String wrapKeyset(String name, KeysetHandle handle) {
    checkName(name);
    try {
      return TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(handle, master.aead(), namedAssociatedData(name));
    } catch (GeneralSecurityException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "cannot wrap keyset " + name, e);
    }
  }

  /** Opens what {@link #wrapKeyset} made; FAILED_PRECONDITION when it does not open with this master key. */
  public KeysetHandle unwrapKeyset(String name, String wrapped) {
    checkName(name);
    try {
      return TinkJsonProtoKeysetFormat.parseEncryptedKeyset(wrapped, master.aead(), namedAssociatedData(name));
    } catch (GeneralSecurityException e) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION,
          "keyset " + name + " shared by another process cannot be opened with this master key");
    }
  }

  /**
   * The file beside the named keyset {@code name} for facts about it that are not key material
   * (key ages, say): {@code <keysDir>/<name>.meta.json}. Not encrypted; its owner writes it.
   * ("meta" is no store purpose, so it cannot be a store's keyset file.)
   */
  public Path metaFile(String name) {
    checkName(name);
    return dir.resolve(name + ".meta.json");
  }

  private Path namedFile(String name) {
    checkName(name);
    return dir.resolve(name + ".json");
  }

  private static void checkName(String name) {
    if (name == null || !KEYSET_NAME.matcher(name).matches()) {
      throw ModuleException.invalidArgument("keyset name '" + name + "' must match " + KEYSET_NAME.pattern());
    }
  }

  private static byte[] namedAssociatedData(String name) {
    return ("hearth/keyset/" + name).getBytes(StandardCharsets.UTF_8);
  }

  private KeysetHandle loadOrCreate(String store, String purpose) {
    return openOrMake(dir.resolve(store + "." + purpose + ".json"), associatedData(store, purpose),
        purpose.equals("aead") ? PredefinedAeadParameters.AES256_GCM : PredefinedPrfParameters.HMAC_SHA256_PRF);
  }

  /**
   * The keyset in {@code file}; when there is none, the cluster's copy, or a new one from {@code
   * parameters} that becomes the cluster's unless another process published one first.
   */
  private KeysetHandle openOrMake(Path file, byte[] ad, Parameters parameters) {
    try {
      if (!Files.exists(file)) {
        byte[] fresh = TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(KeysetHandle.generateNew(parameters),
            master.aead(), ad).getBytes(StandardCharsets.UTF_8);
        Files8.writeSecret(file, share.agree(file.getFileName().toString(), fresh));
      }
      String json = Files.readString(file, StandardCharsets.UTF_8);
      return TinkJsonProtoKeysetFormat.parseEncryptedKeyset(json, master.aead(), ad);
    } catch (GeneralSecurityException e) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "keyset " + file
          + " cannot be opened with this master key" + (share != KeyShare.NONE ? ": it is the cluster's copy ("
          + share.describe() + "), so this process was started with another master key than the cluster's; start every"
          + " process of a cluster with the same master key" : ""));
    } catch (IOException e) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION,
          "cannot read or write keyset " + file + ": " + e.getMessage(), e);
    }
  }

  void saveAead(String store, KeysetHandle h) {
    try {
      Path file = dir.resolve(store + ".aead.json");
      save(file, h, associatedData(store, "aead"));
      share.replace(file.getFileName().toString(), Files.readAllBytes(file));
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
