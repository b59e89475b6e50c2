package dev.hearth.kernel.store;

import dev.hearth.module.store.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Decoded values of one collection, kept while their store shows no change at all since they were
 * read: for records read on every call (a caller's account, session and roles) in a store that
 * rarely changes (the kernel's). A hit costs a map lookup instead of a MapDB read, a decryption
 * and a protobuf parse.
 *
 * <p>Never stale across a write: each entry carries the store's visible sequence taken
 * <em>before</em> its value was read, and is used only while that sequence is still the store's.
 * The writer moves the sequence after it has made a batch visible and before it acknowledges it,
 * so once any write to the store is acknowledged every older entry misses. A store that is written
 * on every call (a module's) gains nothing from this: use it for read-mostly stores only.
 */
public final class ReadCache<V> {

  /** Entries kept at most per collection; past it the cache starts again empty (crude, bounded, rare). */
  static final int MAX_ENTRIES = 50_000;

  private record Stamped<V>(long sequence, Optional<V> value) {}

  private final Collection<V> collection;
  private final LongSupplier visible;
  private final ConcurrentHashMap<String, Stamped<V>> entries = new ConcurrentHashMap<>();

  private ReadCache(Collection<V> collection, LongSupplier visible) {
    this.collection = Objects.requireNonNull(collection, "collection");
    this.visible = Objects.requireNonNull(visible, "visible");
  }

  /** Reads of {@code collection}, a collection of {@code store}. */
  public static <V> ReadCache<V> of(HearthStore store, Collection<V> collection) {
    return new ReadCache<>(collection, store::visibleSequence);
  }

  /** As {@link Collection#get}: the value as of at least the newest write acknowledged so far. */
  public Optional<V> get(String key) {
    long sequence = visible.getAsLong();
    Stamped<V> s = entries.get(key);
    if (s != null && s.sequence() == sequence) return s.value();
    Optional<V> value = collection.get(key);
    if (entries.size() >= MAX_ENTRIES) entries.clear();
    entries.put(key, new Stamped<>(sequence, value));
    return value;
  }
}
