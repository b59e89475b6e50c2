package dev.hearth.ops.crash;

import dev.hearth.module.store.Collection;
import dev.hearth.module.store.Entry;
import java.util.List;
import java.util.Optional;

/** A collection that is only a name: what {@link MemoryViewTx} needs to key its maps. */
final class NamedCollection<V> implements Collection<V> {

  private final String name;

  NamedCollection(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<V> get(String key) {
    throw new UnsupportedOperationException("detached collection " + name);
  }

  @Override
  public List<Entry<V>> scan(String fromKey, String toKey, int limit, boolean descending) {
    throw new UnsupportedOperationException("detached collection " + name);
  }

  @Override
  public List<String> findKeys(String index, String term, int limit) {
    throw new UnsupportedOperationException("detached collection " + name);
  }

  @Override
  public long size() {
    throw new UnsupportedOperationException("detached collection " + name);
  }
}
