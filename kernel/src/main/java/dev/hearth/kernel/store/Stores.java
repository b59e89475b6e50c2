package dev.hearth.kernel.store;

import dev.hearth.kernel.crypto.MasterKey;
import java.nio.file.Path;
import java.util.List;

/** The stores of one node: {@code <data>/stores/<name>/} with keysets under {@code <data>/keys/}. (skeleton) */
public final class Stores implements AutoCloseable {

  /** Opens the node's data directory, creating it if missing; holds an exclusive lock on it. */
  public static Stores open(Path dataDir, MasterKey master, StoreOptions options) {
    throw new UnsupportedOperationException("store engine lands next");
  }

  /** The store {@code name}, opened (and recovered) on first use. */
  public HearthStore store(String name) {
    throw new UnsupportedOperationException();
  }

  /** The stores opened so far. */
  public List<HearthStore> opened() {
    throw new UnsupportedOperationException();
  }

  /** Closes every store cleanly (final checkpoint) and releases the lock. */
  @Override
  public void close() {}
}
