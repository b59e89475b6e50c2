package dev.hearth.kernel.spi;

import java.util.List;

/**
 * Every entry of one scope, as {@link HearthStore#scopeContent} read it.
 *
 * @param afterSeq every change with a sequence at or before it is reflected; later ones may be too
 * @param entries puts with their plain (codec-encoded) values, sorted by (collection, key)
 */
public record ScopeContent(long afterSeq, List<ReplicaChange> entries) {

  public ScopeContent {
    entries = List.copyOf(entries);
  }
}
