package dev.hearth.kernel.store;

import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.NavigableMap;
import java.util.Optional;
import org.mapdb.BTreeMap;

/** The read side of a collection: MapDB merged with durable changes the applier has not reached. */
final class CollectionImpl<V> implements Collection<V> {

  private final Engine engine;
  private volatile CollectionSpec<V> spec;

  CollectionImpl(Engine engine, CollectionSpec<V> spec) {
    this.engine = engine;
    this.spec = spec;
  }

  @SuppressWarnings("unchecked")
  static <V> CollectionImpl<V> cast(Collection<V> c, Engine engine) {
    if (!(c instanceof CollectionImpl<?> impl) || impl.engine != engine) {
      throw ModuleException.failedPrecondition("collection " + c.name() + " belongs to another store");
    }
    return (CollectionImpl<V>) impl;
  }

  void respec(CollectionSpec<V> spec) {
    this.spec = spec;
  }

  CollectionSpec<V> spec() {
    return spec;
  }

  boolean isView() {
    return spec.name().startsWith("view.");
  }

  @Override
  public String name() {
    return spec.name();
  }

  V decode(byte[] plain) {
    return spec.codec().decode(plain);
  }

  @Override
  public Optional<V> get(String key) {
    Resolved r = engine.readCommitted(name(), key);
    return r == null ? Optional.empty() : Optional.of(decode(engine.plain(name(), r)));
  }

  @Override
  public List<Entry<V>> scan(String fromKey, String toKey, int limit, boolean descending) {
    if (limit <= 0) {
      throw ModuleException.invalidArgument("scan limit must be positive, was " + limit);
    }
    List<NavigableMap<String, Pending>> layers = List.of(engine.overlay.snapshot(name(), fromKey, toKey, limit, descending));
    return toEntries(lockedScan(layers, fromKey, toKey, limit, descending));
  }

  /** A merged scan under the read side of the map lock (see {@link Engine#mapLock}). */
  List<Resolved> lockedScan(List<NavigableMap<String, Pending>> layers, String fromKey, String toKey, int limit,
      boolean descending) {
    engine.mapLock.readLock().lock();
    try {
      return MergedScan.scan(layers, engine.data(name()), fromKey, toKey, limit, descending);
    } finally {
      engine.mapLock.readLock().unlock();
    }
  }

  List<Entry<V>> toEntries(List<Resolved> rs) {
    List<Entry<V>> out = new ArrayList<>(rs.size());
    for (Resolved r : rs) {
      out.add(new Entry<>(r.key(), decode(engine.plain(name(), r))));
    }
    return out;
  }

  /** Test hook: runs in an index lookup between reading the pending layers and MapDB's index. Null in production. */
  static volatile Runnable betweenReadsHook;

  @Override
  public List<String> findKeys(String index, String term, int limit) {
    return findKeys(index, term, limit, List.of(engine.overlay.all(name())), k -> engine.overlay.get(name(), k));
  }

  /**
   * Index lookup over MapDB's index rows and layers of pending changes: every candidate key is
   * checked against its newest version, so stale rows and replaced values never match.
   *
   * @param layers pending changes that may add candidates
   * @param newest the newest pending change of a key, or null when MapDB holds its newest version
   */
  List<String> findKeys(String index, String term, int limit, List<Map<String, Pending>> layers,
      Function<String, Pending> newest) {
    byte[] token = engine.token(name(), index, term);
    // The pending layers are read before MapDB's index, as scans copy the overlay before reading
    // MapDB: the applier puts a change into MapDB before it releases it from the overlay, so a change
    // moving meanwhile is found in one place or both, never in neither. (Read the other way round, an
    // invite acknowledged a moment before could be missed by the redemption that followed.)
    TreeSet<String> candidates = new TreeSet<>();
    for (Map<String, Pending> layer : layers) {
      // Only pending values that carry the token can add a match; the rest only ever remove one,
      // which the newest-version check below already sees. Keeps a lookup from growing a set of
      // every unapplied key of the collection.
      for (Map.Entry<String, Pending> e : layer.entrySet()) {
        Pending p = e.getValue();
        if (!p.isDelete() && p.entry.hasToken(index, token)) candidates.add(e.getKey());
      }
    }
    Runnable hook = betweenReadsHook;
    if (hook != null) {
      hook.run();
    }
    candidates.addAll(storedKeysWithToken(index, token));
    List<String> out = new ArrayList<>();
    for (String k : candidates) {
      Pending p = newest.apply(k);
      boolean match = p != null ? (!p.isDelete() && p.entry.hasToken(index, token)) : storedHasToken(k, index, token);
      if (match) {
        out.add(k);
        if (out.size() >= limit) {
          break;
        }
      }
    }
    return out;
  }

  /** Keys that MapDB's index lists for the token (may be stale; callers re-check). */
  List<String> storedKeysWithToken(String index, byte[] token) {
    BTreeMap<String, byte[]> idx = engine.state.index(name(), false);
    if (idx == null) {
      return List.of();
    }
    String prefix = StoredEntry.indexPrefix(index, token);
    List<String> keys = new ArrayList<>();
    engine.mapLock.readLock().lock();
    try {
      for (String k : idx.subMap(prefix, true, prefix + Character.MAX_VALUE, false).keySet()) {
        keys.add(k.substring(prefix.length()));
      }
    } finally {
      engine.mapLock.readLock().unlock();
    }
    return keys;
  }

  boolean storedHasToken(String key, String index, byte[] token) {
    BTreeMap<String, byte[]> m = engine.data(name());
    byte[] stored = m == null ? null : m.get(key);
    return stored != null && StoredEntry.decode(stored).hasToken(index, token);
  }

  @Override
  public long size() {
    BTreeMap<String, byte[]> m = engine.data(name());
    long n = m == null ? 0 : m.sizeLong();
    for (var e : engine.overlay.all(name()).entrySet()) {
      boolean stored = m != null && m.containsKey(e.getKey());
      if (e.getValue().isDelete() && stored) {
        n--;
      } else if (!e.getValue().isDelete() && !stored) {
        n++;
      }
    }
    return n;
  }
}
