package dev.hearth.module.store;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A secondary lookup on a sensitive value (an email, a word for search) that never stores the value
 * in clear: the store keeps a keyed pseudo-random token of the term (Tink PRF) next to the primary
 * key, so {@link Collection#findKeys} can answer "which keys have this term" while the disk only
 * holds opaque tokens.
 *
 * <p>The extractor runs on the store's writer thread for every put; it must be fast, pure and must
 * not throw. It returns the terms of a value (none, one or many, e.g. the words of a message).
 * Terms are compared exactly; normalise them (lower-case an email) in the extractor and in the query.
 *
 * @param <V> the value type of the collection
 * @since 0.1
 */
public final class BlindIndex<V> {

  private final String name;
  private final Function<V, ? extends Iterable<String>> terms;

  private BlindIndex(String name, Function<V, ? extends Iterable<String>> terms) {
    this.name = Names.check("index name", name);
    this.terms = Objects.requireNonNull(terms, "terms");
  }

  /** An index whose value has zero or more terms. */
  public static <V> BlindIndex<V> ofTerms(String name, Function<V, ? extends Iterable<String>> terms) {
    return new BlindIndex<>(name, terms);
  }

  /** An index with at most one term per value; {@code null} from the extractor means no term. */
  public static <V> BlindIndex<V> of(String name, Function<V, String> term) {
    Objects.requireNonNull(term, "term");
    return new BlindIndex<>(name, v -> {
      String t = term.apply(v);
      return t == null ? List.of() : List.of(t);
    });
  }

  public String name() {
    return name;
  }

  /** The terms of a value; never {@code null}. */
  public Iterable<String> terms(V value) {
    Iterable<String> t = terms.apply(value);
    return t == null ? List.of() : t;
  }
}
