package dev.hearth.kernel.crypto;

import java.nio.file.Path;

/** The key that wraps every data keyset of a node. (skeleton) */
public final class MasterKey {

  /** Result of {@link #loadOrCreate}: the key and whether it was made just now. */
  public record Loaded(MasterKey key, boolean created, Path file) {}

  /** Reads the key file, or creates a new random key there (mode 0600) when it does not exist. */
  public static Loaded loadOrCreate(Path keyFile) {
    throw new UnsupportedOperationException();
  }

  /** Derives the key from a passphrase with Argon2id; the salt file is created on first use. */
  public static MasterKey fromPassphrase(char[] passphrase, Path saltFile) {
    throw new UnsupportedOperationException();
  }
}
