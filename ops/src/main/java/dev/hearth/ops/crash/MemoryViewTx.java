package dev.hearth.ops.crash;

import dev.hearth.module.change.ViewTx;
import dev.hearth.module.store.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ViewTx} over plain maps, keyed by collection name: the verifier folds the whole change
 * log through the view with it to get what the store's copy of the view must hold.
 */
final class MemoryViewTx implements ViewTx {

  private final Map<String, Map<String, Object>> collections = new HashMap<>();

  @Override
  @SuppressWarnings("unchecked")
  public <V> Optional<V> get(Collection<V> collection, String key) {
    return Optional.ofNullable((V) map(collection.name()).get(key));
  }

  @Override
  public <V> void put(Collection<V> collection, String key, V value) {
    map(collection.name()).put(key, value);
  }

  @Override
  public <V> void delete(Collection<V> collection, String key) {
    map(collection.name()).remove(key);
  }

  /** The contents of one collection, by name; empty when never written. */
  Map<String, Object> map(String collection) {
    return collections.computeIfAbsent(collection, c -> new HashMap<>());
  }
}
