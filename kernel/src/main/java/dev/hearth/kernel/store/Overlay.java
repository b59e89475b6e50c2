package dev.hearth.kernel.store;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Durable changes that the applier has not yet put into MapDB. The writer adds a batch here right
 * after its fsync and before acknowledging it; the applier removes each change once MapDB holds it.
 * Readers look here first, so an acknowledged write is visible at once even while MapDB is busy
 * with a checkpoint.
 */
final class Overlay {

  private final Map<String, ConcurrentSkipListMap<String, Pending>> byCollection = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();

  Pending get(String collection, String key) {
    ConcurrentSkipListMap<String, Pending> m = byCollection.get(collection);
    return m == null ? null : m.get(key);
  }

  void put(String collection, String key, Pending p) {
    Pending old = byCollection.computeIfAbsent(collection, c -> new ConcurrentSkipListMap<>()).put(key, p);
    if (old == null) {
      size.incrementAndGet();
    }
  }

  /** Removes the change once applied, unless a newer change of the same key replaced it. */
  void release(String collection, String key, Pending p) {
    ConcurrentSkipListMap<String, Pending> m = byCollection.get(collection);
    if (m != null && m.remove(key, p)) {
      size.decrementAndGet();
    }
  }

  int size() {
    return size.get();
  }

  /**
   * A copy of the pending changes of a collection in {@code [from, to)} (null bounds are open) that
   * a scan of at most {@code limit} results needs: in scan order, up to and including the
   * {@code limit}-th change that is not a delete. Past that key the overlay alone already yields
   * {@code limit} results, so nothing further can be returned. Copied before MapDB is read, so a
   * change moving to MapDB meanwhile is seen in one place or both, never in neither.
   */
  NavigableMap<String, Pending> snapshot(String collection, String from, String to, int limit, boolean descending) {
    ConcurrentSkipListMap<String, Pending> m = byCollection.get(collection);
    TreeMap<String, Pending> out = new TreeMap<>();
    if (m == null || m.isEmpty()) {
      return out;
    }
    NavigableMap<String, Pending> range = Ranges.sub(m, from, to);
    int live = 0;
    for (Map.Entry<String, Pending> e : (descending ? range.descendingMap() : range).entrySet()) {
      out.put(e.getKey(), e.getValue());
      if (!e.getValue().isDelete() && ++live >= limit) {
        break;
      }
    }
    return out;
  }

  /** Names of the collections that have (or had) pending changes: some may not be in MapDB yet. */
  Set<String> collections() {
    return Set.copyOf(byCollection.keySet());
  }

  /** Every pending change of a collection (for index lookups). */
  Map<String, Pending> all(String collection) {
    ConcurrentSkipListMap<String, Pending> m = byCollection.get(collection);
    return m == null ? Map.of() : m;
  }
}
