package dev.hearth.kernel.spi;

import java.util.Optional;

/**
 * Opens backup targets named by URI schemes the kernel does not know (found through
 * {@link java.util.ServiceLoader}); federation provides {@code nats://}.
 */
public interface TargetProvider {

  /** The target {@code uri} names, or empty when this provider does not handle its scheme. */
  Optional<BackupTarget> open(String uri);
}
