package dev.hearth.module.store;

import com.github.f4b6a3.uuid.UuidCreator;

/**
 * Time-ordered ids (UUIDv7, RFC 9562) as canonical strings: keys made from them sort by creation
 * time, and ids made on different nodes never clash.
 *
 * @since 0.1
 */
public final class Ids {

  private Ids() {}

  /** A new UUIDv7 in canonical form ({@code 018f...-...}); monotonic within this JVM. */
  public static String next() {
    return UuidCreator.getTimeOrderedEpoch().toString();
  }
}
