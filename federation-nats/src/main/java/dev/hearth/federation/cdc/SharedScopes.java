package dev.hearth.federation.cdc;

import com.google.crypto.tink.KeysetHandle;

/** Which projects this node shares on some link, and the scope key each is sealed with. */
@FunctionalInterface
public interface SharedScopes {

  /** The scope key of {@code scope} when it is shared, else null (its events stay on this node). */
  KeysetHandle keyOf(String scope);
}
