package dev.hearth.kernel.store;

import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Tx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.mapdb.BTreeMap;

/**
 * A transaction on the writer thread. Reads see, in order: its own changes, the changes of earlier
 * transactions in the same batch, durable changes not yet applied, then MapDB. Its changes reach the
 * batch only if its function returns normally.
 */
final class TxImpl implements Tx {

  static final int MAX_KEY_BYTES = 512;
  static final int MAX_VALUE_BYTES = 16 << 20;

  /** One change, in the order the transaction made it. */
  record Op(String collection, String key, Pending pending) {}

  private final Engine engine;
  private final String actor;
  private final String scope;
  private final Map<String, TreeMap<String, Pending>> batch;
  private final Map<String, TreeMap<String, Pending>> local = new HashMap<>();
  final List<Op> ops = new ArrayList<>();
  int bytes;

  TxImpl(Engine engine, String actor, String scope, Map<String, TreeMap<String, Pending>> batch) {
    this.scope = scope;
    this.engine = engine;
    this.actor = actor;
    this.batch = batch;
  }

  @Override
  public String actor() {
    return actor;
  }

  @Override
  public String scope() {
    return scope;
  }

  private Pending pending(String coll, String key) {
    TreeMap<String, Pending> l = local.get(coll);
    Pending p = l == null ? null : l.get(key);
    if (p == null) {
      TreeMap<String, Pending> b = batch.get(coll);
      p = b == null ? null : b.get(key);
    }
    return p != null ? p : engine.overlay.get(coll, key);
  }

  @Override
  public <V> Optional<V> get(Collection<V> collection, String key) {
    CollectionImpl<V> c = CollectionImpl.cast(collection, engine);
    Pending p = pending(c.name(), key);
    if (p != null) {
      return p.isDelete() ? Optional.empty() : Optional.of(c.decode(engine.plain(c.name(), key, p)));
    }
    return c.get(key);
  }

  @Override
  public <V> List<Entry<V>> scan(Collection<V> collection, String fromKey, String toKey, int limit, boolean descending) {
    CollectionImpl<V> c = CollectionImpl.cast(collection, engine);
    TreeMap<String, Pending> mine = local.getOrDefault(c.name(), new TreeMap<>());
    TreeMap<String, Pending> batched = batch.getOrDefault(c.name(), new TreeMap<>());
    // This transaction's and batch's deletes can hide overlay entries: read that many further.
    int hidden = (int) (mine.values().stream().filter(Pending::isDelete).count()
        + batched.values().stream().filter(Pending::isDelete).count());
    List<NavigableMap<String, Pending>> layers = List.of(mine, batched,
        engine.overlay.snapshot(c.name(), fromKey, toKey, limit + hidden, descending));
    return c.toEntries(c.lockedScan(layers, fromKey, toKey, limit, descending));
  }

  @Override
  public <V> List<String> findKeys(Collection<V> collection, String index, String term, int limit) {
    CollectionImpl<V> c = CollectionImpl.cast(collection, engine);
    List<Map<String, Pending>> layers = List.of(local.getOrDefault(c.name(), new TreeMap<>()),
        batch.getOrDefault(c.name(), new TreeMap<>()), engine.overlay.all(c.name()));
    return c.findKeys(index, term, limit, layers, k -> pending(c.name(), k));
  }

  @Override
  public <V> void put(Collection<V> collection, String key, V value) {
    CollectionImpl<V> c = writable(collection, key, false);
    if (value == null) {
      throw ModuleException.invalidArgument("value for key '" + key + "' in " + c.name() + " is null");
    }
    store(c, key, value, c.spec().codec().encode(value));
  }

  /**
   * The replica path: puts a value that arrives encoded (from another node's change log). It is
   * decoded with this store's codec, so a payload the collection cannot read fails here as
   * INVALID_ARGUMENT, and so the blind-index tokens are computed with this store's key. The bytes
   * received are what is stored, not a re-encoding: the replica then holds the owner's exact value
   * (digests compare bytes), whatever the codec would make of it.
   */
  <V> void putEncoded(CollectionImpl<V> c, String key, byte[] plain) {
    writable(c, key, false);
    V value;
    try {
      value = c.decode(plain);
    } catch (RuntimeException e) {
      throw ModuleException.invalidArgument("replicated value of key '" + key + "' does not decode as a value of "
          + c.name() + " on this node");
    }
    if (value == null) {
      throw ModuleException.invalidArgument("replicated value of key '" + key + "' in " + c.name() + " decodes to null");
    }
    store(c, key, value, plain.clone());
  }

  /** Puts into an internal collection ({@code fed.*}), which {@link #put} refuses to modules. */
  <V> void putInternal(CollectionImpl<V> c, String key, V value) {
    writable(c, key, true);
    store(c, key, value, c.spec().codec().encode(value));
  }

  private <V> void store(CollectionImpl<V> c, String key, V value, byte[] plain) {
    if (plain.length > MAX_VALUE_BYTES) {
      throw new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED, "value for key '" + key + "' in "
          + c.name() + " has " + plain.length + " bytes; the limit is " + MAX_VALUE_BYTES);
    }
    add(c.name(), key, new Pending(0, engine.seal(c.name(), key, plain, value, scope), plain));
    bytes += plain.length;
  }

  @Override
  public <V> void delete(Collection<V> collection, String key) {
    CollectionImpl<V> c = writable(collection, key, false);
    add(c.name(), key, new Pending(0, null, null));
  }

  /**
   * The scope the newest version of a key was written in, as this transaction sees it ({@code ""}
   * for an unscoped key), or null when the key does not exist.
   */
  String scopeOf(String coll, String key) {
    Pending p = pending(coll, key);
    if (p != null) {
      return p.isDelete() ? null : p.entry.scope();
    }
    BTreeMap<String, byte[]> m = engine.data(coll);
    byte[] stored = m == null ? null : m.get(key);
    return stored == null ? null : StoredEntry.scopeOf(stored);
  }

  private void add(String coll, String key, Pending p) {
    local.computeIfAbsent(coll, x -> new TreeMap<>()).put(key, p);
    ops.add(new Op(coll, key, p));
    bytes += key.length() + coll.length() + 32;
  }

  /** @param internal whether the store itself writes (its {@code fed.*} bookkeeping), not a module */
  private <V> CollectionImpl<V> writable(Collection<V> collection, String key, boolean internal) {
    CollectionImpl<V> c = CollectionImpl.cast(collection, engine);
    if (c.name().startsWith("view.")) {
      throw ModuleException.failedPrecondition("collection " + c.name() + " belongs to a view; only the view writes it");
    }
    if (!internal && c.name().startsWith(HearthStore.FED_PREFIX)) {
      throw ModuleException.failedPrecondition("collection " + c.name() + " is federation bookkeeping; only the store writes it");
    }
    if (key == null || key.isEmpty()) {
      throw ModuleException.invalidArgument("key in " + c.name() + " must not be empty");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES || key.indexOf('\0') >= 0) {
      throw ModuleException.invalidArgument("key in " + c.name() + " must be at most " + MAX_KEY_BYTES
          + " UTF-8 bytes without NUL characters");
    }
    return c;
  }
}
