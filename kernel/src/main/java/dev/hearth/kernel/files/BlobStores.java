package dev.hearth.kernel.files;

import dev.hearth.kernel.config.FilesOptions;
import dev.hearth.kernel.spi.BlobStore;
import dev.hearth.kernel.spi.BlobStoreProvider;
import dev.hearth.kernel.spi.InvalidOptionException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/** Opens the blob store {@code files.blobs} names: the kernel's local and S3 ones, or an extension's. */
final class BlobStores {

  private BlobStores() {}

  /** Blocking (connects). @throws InvalidOptionException naming the setting that is wrong */
  static BlobStore open(FilesOptions options, Path blobsDir, Path dataDir, Function<String, JsonObject> section,
      Map<String, String> env) {
    JsonObject settings = options.blobs();
    return switch (options.blobsType()) {
      case "local" -> new LocalBlobStore(blobsDir);
      case "s3" -> S3BlobStore.open(settings, env);
      default -> {
        for (BlobStoreProvider p : ServiceLoader.load(BlobStoreProvider.class, BlobStores.class.getClassLoader())) {
          Optional<BlobStore> store = p.open(settings, dataDir, section);
          if (store.isPresent()) yield store.get();
        }
        throw new InvalidOptionException("files.blobs.type", options.blobsType()
            + " needs its extension on the class path (nats: the cluster extension, hearth-cluster-nats)");
      }
    };
  }
}
