package dev.hearth.chat;

import dev.hearth.module.change.ViewTx;
import dev.hearth.module.store.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A view's writes for one batch of events, held until {@link #flush}: a key written by several events
 * of the batch (a channel's counter, an author's read mark) is read from the store once and written
 * once. Reads see the batch's own writes, so folding through it gives what folding event by event gives.
 */
final class BatchTx implements ViewTx {

  private static final Object DELETED = new Object();

  private final ViewTx tx;
  private final Map<Collection<?>, Map<String, Object>> written = new IdentityHashMap<>();

  BatchTx(ViewTx tx) {
    this.tx = tx;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V> Optional<V> get(Collection<V> collection, String key) {
    Map<String, Object> mine = written.get(collection);
    if (mine != null && mine.containsKey(key)) {
      Object v = mine.get(key);
      return v == DELETED ? Optional.empty() : Optional.of((V) v);
    }
    return tx.get(collection, key);
  }

  @Override
  public <V> void put(Collection<V> collection, String key, V value) {
    written.computeIfAbsent(collection, c -> new LinkedHashMap<>()).put(key, value);
  }

  @Override
  public <V> void delete(Collection<V> collection, String key) {
    written.computeIfAbsent(collection, c -> new LinkedHashMap<>()).put(key, DELETED);
  }

  /** Writes what the batch left in each key, once. */
  @SuppressWarnings("unchecked")
  void flush() {
    for (Map.Entry<Collection<?>, Map<String, Object>> c : written.entrySet()) {
      Collection<Object> collection = (Collection<Object>) c.getKey();
      for (Map.Entry<String, Object> e : c.getValue().entrySet()) {
        if (e.getValue() == DELETED) tx.delete(collection, e.getKey());
        else tx.put(collection, e.getKey(), e.getValue());
      }
    }
    written.clear();
  }
}
