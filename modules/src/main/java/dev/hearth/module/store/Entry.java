package dev.hearth.module.store;

import java.util.Objects;

/**
 * A key and its decoded value, as returned by scans.
 *
 * @param <V> the value type
 * @since 0.1
 */
public record Entry<V>(String key, V value) {
  public Entry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
