package dev.hearth.kernel.spi;

import java.util.Objects;

/**
 * One change of an origin transaction, as the owner's change log recorded it: what
 * {@link HearthStore#applyReplica} and {@link HearthStore#applySnapshot} write, and what
 * {@link HearthStore#scopeContent} lists (as puts).
 *
 * @param collection the collection's name; it must be registered in the receiving store
 * @param key the key
 * @param delete whether the change deletes the key
 * @param value the codec-encoded plain value of a put; {@code null} or empty for a delete
 */
public record ReplicaChange(String collection, String key, boolean delete, byte[] value) {

  public ReplicaChange {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(key, "key");
  }

  /** A put of {@code value} (codec-encoded). */
  public static ReplicaChange put(String collection, String key, byte[] value) {
    return new ReplicaChange(collection, key, false, Objects.requireNonNull(value, "value"));
  }

  /** A delete of {@code key}. */
  public static ReplicaChange delete(String collection, String key) {
    return new ReplicaChange(collection, key, true, null);
  }
}
