package dev.hearth.kernel.backup;

import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.module.ModuleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The master key for offline work on backups, resolved like {@code serve} resolves it
 * ({@code HEARTH_MASTER_PASSPHRASE} with the salt in {@code keysDir}, else the key file) but never
 * created: a new key would open nothing and only hide the mistake.
 */
public final class ExistingMasterKey {

  private ExistingMasterKey() {}

  public static MasterKey load(NodeOptions options, Path keysDir) {
    if (options.hasPassphrase()) {
      Path salt = keysDir.resolve("master.salt");
      if (!Files.exists(salt)) {
        throw ModuleException.failedPrecondition("no master.salt in " + keysDir + ": the passphrase cannot be used");
      }
      char[] passphrase = options.getPassphrase();
      try {
        return MasterKey.fromPassphrase(passphrase, salt);
      } finally {
        Arrays.fill(passphrase, '\0');
      }
    }
    Path file = options.getMasterKeyFile().toAbsolutePath();
    if (!Files.exists(file)) {
      throw ModuleException.failedPrecondition("master key file " + file + " does not exist: give the key the backup"
          + " was taken with (--master-key-file, HEARTH_MASTER_KEY_FILE or HEARTH_MASTER_PASSPHRASE)");
    }
    return MasterKey.loadOrCreate(file).key();
  }
}
