package dev.hearth.federation.backup;

import dev.hearth.kernel.spi.BackupTarget;
import dev.hearth.kernel.spi.TargetProvider;
import java.util.Optional;

/** {@code nats://} and {@code tls://} backup targets: JetStream object store buckets. */
public final class NatsTargetProvider implements TargetProvider {

  @Override
  public Optional<BackupTarget> open(String uri) {
    if (!uri.startsWith("nats://") && !uri.startsWith("tls://")) return Optional.empty();
    return Optional.of(NatsObjectStoreTarget.open(uri));
  }
}
