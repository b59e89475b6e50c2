package dev.hearth.kernel.identity;

import dev.hearth.kernel.store.HearthStore;
import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JWT signing keys of a cluster: one set for every process, so a token one front issued is
 * accepted by every other (docs/cluster.md). The kernel store's owner alone rotates them and
 * writes them (wrapped by the master key, inside the encrypted store) to {@code meta/jwt-signing};
 * every other process takes them from its replica of the kernel store: at start, at each
 * housekeeping, and when a token names a key it does not have yet.
 *
 * <p>On a single node (the kernel store is not {@linkplain HearthStore#shared shared}) nothing is
 * written: the keys stay in the key vault alone, as they always were.
 */
final class SharedJwtKeys {

  static final String KEY = "jwt-signing";
  private static final Logger log = LoggerFactory.getLogger(SharedJwtKeys.class);

  private final HearthStore kernel;
  private final Collection<String> meta;
  private final JwtKeys jwt;
  /** The record last taken in or written here: a record equal to it changes nothing. */
  private volatile String seen;

  SharedJwtKeys(HearthStore kernel, JwtKeys jwt) {
    this.kernel = kernel;
    this.meta = kernel.collection(CollectionSpec.of("meta", Codec.utf8()));
    this.jwt = jwt;
  }

  /** Whether this process shares its keys through the kernel store (a cluster). */
  boolean shared() {
    return kernel.shared();
  }

  private boolean owner() {
    return kernel.writeRefusal() == null;
  }

  /**
   * At start and at each housekeeping (blocking): everyone takes in the cluster's keys; the owner
   * then rotates when due and writes the keys when they changed or were never written.
   *
   * @return whether this process rotated the keys
   */
  boolean tick() {
    if (!shared()) return jwt.rotateIfDue();
    reload();
    if (!owner()) return false;
    boolean rotated = jwt.rotateIfDue();
    if (rotated || meta.get(KEY).isEmpty()) publish();
    return rotated;
  }

  /** A new primary key now (the owner only in a cluster), written for the others. Blocking. */
  void rotateNow() {
    if (shared()) {
      ModuleException refused = kernel.writeRefusal();
      if (refused != null) {
        throw ModuleException.failedPrecondition("only the process that owns the kernel store rotates the JWT signing"
            + " keys in a cluster; ask it (" + refused.getMessage() + ")");
      }
      reload();
    }
    jwt.rotateNow();
    if (shared()) publish();
  }

  /** Takes in the record when it changed since last seen. Cheap when it did not: one read, one comparison. */
  boolean reload() {
    if (!shared()) return false;
    String record = meta.get(KEY).orElse(null);
    if (record == null || Objects.equals(record, seen)) return false;
    try {
      boolean changed = jwt.adopt(record);
      seen = record;
      return changed;
    } catch (RuntimeException e) {
      log.error("the JWT signing keys in the kernel store cannot be used here (same master key as the owner?): {}",
          e.getMessage());
      return false;
    }
  }

  private void publish() {
    String record = jwt.exported();
    kernel.write("system", tx -> {
      tx.put(meta, KEY, record);
      return null;
    }).toCompletionStage().toCompletableFuture().join();
    seen = record;
  }
}
