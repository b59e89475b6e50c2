package dev.hearth.chat;

import dev.hearth.module.store.Collection;
import dev.hearth.module.store.Tx;
import java.util.Optional;

/**
 * Point reads from the committed store or from inside a transaction, so the same access checks
 * serve read-only calls and writes (where they must see the transaction's view to be race-free).
 */
interface Reads {

  <V> Optional<V> get(Collection<V> collection, String key);

  Reads COMMITTED = new Reads() {
    @Override
    public <V> Optional<V> get(Collection<V> collection, String key) {
      return collection.get(key);
    }
  };

  static Reads of(Tx tx) {
    return new Reads() {
      @Override
      public <V> Optional<V> get(Collection<V> collection, String key) {
        return tx.get(collection, key);
      }
    };
  }
}
