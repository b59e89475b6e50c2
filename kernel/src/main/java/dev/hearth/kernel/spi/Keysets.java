package dev.hearth.kernel.spi;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;

/** Named Tink keysets kept by the node, wrapped by its master key (an extension's own keys). */
@FunctionalInterface
public interface Keysets {

  /** The keyset {@code name}, made with {@code parameters} on first use. */
  KeysetHandle loadOrCreate(String name, Parameters parameters);
}
