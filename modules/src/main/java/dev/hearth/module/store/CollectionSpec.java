package dev.hearth.module.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The declaration of a collection: its name, its codec and its blind indexes. Immutable; build one
 * with {@link #of} and {@link #withIndex}.
 *
 * <p>Names are lower-case ({@code [a-z][a-z0-9_.-]*}, at most 63 characters). Names starting with
 * {@code view.} are reserved for the collections that views write; names starting with {@code fed.}
 * are reserved for the store's own federation bookkeeping (a store refuses to register them).
 *
 * @param <V> the value type
 * @since 0.1
 */
public final class CollectionSpec<V> {

  private final String name;
  private final Codec<V> codec;
  private final List<BlindIndex<V>> indexes;

  private CollectionSpec(String name, Codec<V> codec, List<BlindIndex<V>> indexes) {
    this.name = Names.check("collection name", name);
    this.codec = Objects.requireNonNull(codec, "codec");
    this.indexes = List.copyOf(indexes);
  }

  public static <V> CollectionSpec<V> of(String name, Codec<V> codec) {
    return new CollectionSpec<>(name, codec, List.of());
  }

  /** A copy of this spec with one more blind index; index names must be unique per collection. */
  public CollectionSpec<V> withIndex(BlindIndex<V> index) {
    Objects.requireNonNull(index, "index");
    for (BlindIndex<V> i : indexes) {
      if (i.name().equals(index.name())) {
        throw new IllegalArgumentException("index '" + index.name() + "' declared twice on " + name);
      }
    }
    List<BlindIndex<V>> all = new ArrayList<>(indexes);
    all.add(index);
    return new CollectionSpec<>(name, codec, all);
  }

  public String name() {
    return name;
  }

  public Codec<V> codec() {
    return codec;
  }

  public List<BlindIndex<V>> indexes() {
    return indexes;
  }
}
