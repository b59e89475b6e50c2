package dev.hearth.module.store;

import java.util.List;
import java.util.Optional;

/**
 * A write transaction, handed to the function given to {@link Store#write}. It sees the store as of
 * every earlier write plus its own changes. All its changes become durable together or not at all.
 *
 * <p>A Tx is only valid inside that function and only on the thread that called it (the store's
 * writer). The function must be quick and must not block: it holds up every other writer of the
 * store. Throwing from it aborts the whole transaction; nothing of it is written.
 *
 * @since 0.1
 */
public interface Tx {

  /** Who is writing: a user id, {@code system}, or a module id; recorded on every change event. */
  String actor();

  /** The tenant this write belongs to, as given to {@link Store#write(String, String, java.util.function.Function)}; {@code ""} when unscoped. @since 0.4 */
  default String scope() {
    return "";
  }

  <V> Optional<V> get(Collection<V> collection, String key);

  /**
   * Reads a range like {@link Collection#scan}, seeing this transaction's own writes too.
   */
  <V> List<Entry<V>> scan(Collection<V> collection, String fromKey, String toKey, int limit, boolean descending);

  /** Like {@link Collection#findKeys}, seeing this transaction's own writes. */
  <V> List<String> findKeys(Collection<V> collection, String index, String term, int limit);

  /**
   * Sets {@code key} to {@code value}.
   *
   * @throws dev.hearth.module.ModuleException INVALID_ARGUMENT for an empty key, a key over 512
   *     UTF-8 bytes or a {@code null} value
   */
  <V> void put(Collection<V> collection, String key, V value);

  /** Removes {@code key}; a change event is written even if the key was absent. */
  <V> void delete(Collection<V> collection, String key);
}
