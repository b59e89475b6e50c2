package dev.hearth.module.store;

import java.util.List;
import java.util.Optional;

/**
 * A named, ordered map from string keys to values inside a {@link Store}. Reads are served from
 * memory-mapped pages and decrypted on the calling thread; they take microseconds and may be
 * called on an event loop for single keys and short scans.
 *
 * <p>Consistency: a read sees every write whose {@link Store#write} future has completed (read your
 * writes), and never a write that is not yet durable. Keys sort as strings (UTF-16 order); use
 * UUIDv7 ids ({@link Ids}) for keys that should sort by creation time.
 *
 * <p>Keys are stored in clear (values are encrypted): never put an email, a name or any content in
 * a key; use a {@link BlindIndex} for lookups on such values.
 *
 * @param <V> the value type
 * @since 0.1
 */
public interface Collection<V> {

  String name();

  /** The value at {@code key}, or empty. */
  Optional<V> get(String key);

  /**
   * Up to {@code limit} entries with keys in {@code [fromKey, toKey)}, ascending, or descending when
   * {@code descending} is true (then the newest first for UUIDv7 keys). A {@code null} bound is open.
   */
  List<Entry<V>> scan(String fromKey, String toKey, int limit, boolean descending);

  /** Up to {@code limit} entries whose key starts with {@code prefix}. */
  default List<Entry<V>> scanPrefix(String prefix, int limit, boolean descending) {
    return scan(prefix, prefix + Character.MAX_VALUE, limit, descending);
  }

  /** The keys whose value has {@code term} in the blind index {@code index}, ascending, at most {@code limit}. */
  List<String> findKeys(String index, String term, int limit);

  /** The number of entries; counts the whole collection, so avoid it on hot paths. */
  long size();
}
