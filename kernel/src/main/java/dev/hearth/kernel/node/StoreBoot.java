package dev.hearth.kernel.node;

import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.spi.KeyShare;
import dev.hearth.kernel.store.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the master key and opens the node's stores. Blocking (Argon2, recovery): call it on a worker.
 * What it logs about the key is where it is and whether it is new, never any key material.
 */
final class StoreBoot {

  private static final Logger log = LoggerFactory.getLogger(StoreBoot.class);

  private StoreBoot() {}

  static Stores open(NodeOptions options) {
    return open(options, KeyShare.NONE);
  }

  /** As {@link #open(NodeOptions)}, the keysets (and a passphrase's salt) shared through {@code keys}. */
  static Stores open(NodeOptions options, KeyShare keys) {
    Path data = options.getDataDir().toAbsolutePath();
    MasterKey master = masterKey(options, data);
    log.info("opening stores in {}", data);
    return Stores.open(data, master, options.storeOptions(), keys);
  }

  static MasterKey masterKey(NodeOptions options, Path data) {
    if (options.hasPassphrase()) {
      Path salt = data.resolve("keys").resolve("master.salt");
      char[] passphrase = options.getPassphrase(); // a copy, wiped below
      try {
        Files.createDirectories(salt.getParent());
        log.info("deriving the master key from the passphrase (salt {})", salt);
        return MasterKey.fromPassphrase(passphrase, salt);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + salt.getParent(), e);
      } finally {
        Arrays.fill(passphrase, '\0');
      }
    }
    Path keyFile = options.getMasterKeyFile().toAbsolutePath();
    if (keyFile.normalize().startsWith(data.normalize())) {
      log.warn("the master key file {} is inside the data directory: a copy of the data directory "
          + "then carries its own key; keep the key elsewhere", keyFile);
    }
    MasterKey.Loaded loaded = MasterKey.loadOrCreate(keyFile);
    if (loaded.created()) {
      log.warn("created a new master key at {}: back it up separately from the data directory; "
          + "without it the data cannot be decrypted", loaded.file().toAbsolutePath());
    } else {
      log.info("master key loaded from {}", loaded.file().toAbsolutePath());
    }
    return loaded.key();
  }
}
