package dev.hearth.cluster;

import dev.hearth.kernel.spi.BlobStore;
import dev.hearth.kernel.spi.BlobStoreProvider;
import dev.hearth.kernel.spi.InvalidOptionException;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.StorageType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code files.blobs.type: nats}: blobs in a JetStream object store bucket ({@code bucket}, default
 * {@code hearth-blobs}) on the NATS servers {@code natsUrls} names, by default the cluster's
 * ({@code cluster.natsUrls}); {@code replicas}, by default the cluster's, else three when the NATS
 * cluster has three servers or more. The bucket is made (file storage) when missing.
 */
public final class NatsBlobStoreProvider implements BlobStoreProvider {

  /** The bucket when {@code files.blobs.bucket} is not set. */
  public static final String DEFAULT_BUCKET = "hearth-blobs";

  @Override
  public Optional<BlobStore> open(JsonObject settings, Path dataDir, Function<String, JsonObject> section) {
    if (!"nats".equals(settings.getString("type"))) return Optional.empty();
    JsonObject cluster = section.apply("cluster");
    List<String> urls = urls(settings.getValue("natsUrls", cluster.getValue("natsUrls")));
    if (urls.isEmpty()) {
      throw new InvalidOptionException("files.blobs.natsUrls", "is required when there is no cluster.natsUrls"
          + " (the NATS servers of the object store, e.g. [\"nats://nats-1:4222\"])");
    }
    Object bucket = settings.getValue("bucket", DEFAULT_BUCKET);
    if (!(bucket instanceof String b) || !b.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new InvalidOptionException("files.blobs.bucket", "'" + bucket + "' must match [A-Za-z0-9_-]{1,64}");
    }
    Object r = settings.getValue("replicas", cluster.getValue("replicas", 0));
    if (!(r instanceof Integer replicas) || replicas < 0 || replicas > 5) {
      throw new InvalidOptionException("files.blobs.replicas", "'" + r + "' must be a whole number from 0 (as many as"
          + " the NATS cluster allows, up to 3) to 5");
    }
    String describe = "NATS object store " + b;
    try {
      Connection nc = Nats.connect(Options.builder().servers(urls.toArray(String[]::new))
          .connectionName("hearth-blobs").maxReconnects(-1).reconnectWait(Duration.ofMillis(200))
          .connectionTimeout(Duration.ofSeconds(5)).build());
      try {
        if (!nc.objectStoreManagement().getBucketNames().contains(b)) {
          int n = replicas > 0 ? replicas : Math.min(3, Math.max(1, nc.getServerInfo().getConnectURLs().size()));
          nc.objectStoreManagement().create(ObjectStoreConfiguration.builder(b).storageType(StorageType.File)
              .replicas(n).description("Hearth file contents (encrypted)").build());
        }
        return Optional.of(new NatsBlobStore(nc, nc.objectStore(b), describe));
      } catch (IOException | JetStreamApiException | RuntimeException e) {
        nc.close();
        throw e;
      }
    } catch (IOException | JetStreamApiException e) {
      throw new IllegalStateException("cannot use the " + describe + " (files.blobs): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to the " + describe, e);
    }
  }

  /** A JSON array of URLs or one comma-separated string (as {@code HEARTH_CLUSTER_NATS_URLS} gives). */
  private static List<String> urls(Object v) {
    List<String> out = new ArrayList<>();
    if (v instanceof String s) {
      for (String part : s.split(",")) if (!part.isBlank()) out.add(part.trim());
    } else if (v instanceof JsonArray a) {
      for (Object o : a) {
        if (!(o instanceof String s)) throw new InvalidOptionException("files.blobs.natsUrls", "must be NATS URLs");
        out.add(s.trim());
      }
    } else if (v != null) {
      throw new InvalidOptionException("files.blobs.natsUrls", "must be an array of NATS URLs or one comma-separated string");
    }
    for (String u : out) {
      if (!u.matches("(nats|tls)://[^\\s,]+")) throw new InvalidOptionException("files.blobs.natsUrls", "'" + u + "' is not a NATS URL");
    }
    return out;
  }
}
