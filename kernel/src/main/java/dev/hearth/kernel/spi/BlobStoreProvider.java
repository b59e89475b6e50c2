package dev.hearth.kernel.spi;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Opens blob stores of {@code files.blobs} types the kernel does not know (found with {@link
 * java.util.ServiceLoader}, like {@link TargetProvider}); the cluster extension provides {@code nats}.
 * The kernel itself knows {@code local} and {@code s3}.
 */
public interface BlobStoreProvider {

  /**
   * The store {@code settings} (the {@code files.blobs} object, with its {@code type}) describe, or
   * empty when this provider does not handle that type. Blocking (connects).
   *
   * @param section the config file's other sections by name (the cluster's NATS servers are the
   *     default of a {@code nats} store)
   * @throws InvalidOptionException naming the {@code files.blobs.*} key that is wrong
   */
  Optional<BlobStore> open(JsonObject settings, Path dataDir, Function<String, JsonObject> section);
}
