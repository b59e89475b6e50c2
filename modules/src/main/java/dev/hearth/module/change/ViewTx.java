package dev.hearth.module.change;

import dev.hearth.module.store.Collection;
import java.util.Optional;

/**
 * What a {@link View} may do while folding an event: read and write its own collections.
 * Valid only during {@link View#apply} and {@link View#applyAll}.
 *
 * @since 0.1
 */
public interface ViewTx {

  <V> Optional<V> get(Collection<V> collection, String key);

  /** @throws dev.hearth.module.ModuleException FAILED_PRECONDITION for a collection not of this view */
  <V> void put(Collection<V> collection, String key, V value);

  <V> void delete(Collection<V> collection, String key);
}
