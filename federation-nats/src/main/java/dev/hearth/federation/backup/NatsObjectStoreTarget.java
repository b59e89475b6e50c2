package dev.hearth.federation.backup;

import dev.hearth.kernel.spi.BackupTarget;
import dev.hearth.kernel.spi.Manifest;
import dev.hearth.module.ModuleException;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.ObjectStore;
import io.nats.client.Options;
import io.nats.client.api.ObjectInfo;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.StorageType;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Backups in a NATS JetStream object store bucket ({@code nats://host:port/bucket}), one object per
 * file named {@code <backup id>/<path>}. The bucket is created (file storage) when missing. The
 * manifest is put last, and only backups with a manifest are listed, as in a folder. Objects are
 * streamed in chunks by the client; what is stored is already encrypted (frames, wrapped keysets,
 * blobs).
 */
public final class NatsObjectStoreTarget implements BackupTarget {

  private static final String MANIFEST = "manifest.json";

  private final String describe;
  private final Connection nc;
  private final ObjectStore store;

  private NatsObjectStoreTarget(String describe, Connection nc, ObjectStore store) {
    this.describe = describe;
    this.nc = nc;
    this.store = store;
  }

  /** Connects to {@code uri} ({@code nats://[user:password@]host:port/bucket}); the bucket is created if missing. */
  public static NatsObjectStoreTarget open(String uri) {
    URI u = URI.create(uri);
    String bucket = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
    if (u.getHost() == null || !bucket.matches("[A-Za-z0-9_-]+")) {
      throw ModuleException.invalidArgument("a NATS backup target is nats://host:port/bucket (bucket: letters, digits, _ and -)");
    }
    String server = u.getScheme() + "://" + (u.getUserInfo() == null ? "" : u.getUserInfo() + "@") + u.getHost()
        + (u.getPort() > 0 ? ":" + u.getPort() : "");
    String describe = u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + "/" + bucket;
    try {
      Connection nc = Nats.connect(new Options.Builder().server(server).connectionTimeout(Duration.ofSeconds(5))
          .maxReconnects(3).build());
      try {
        if (!nc.objectStoreManagement().getBucketNames().contains(bucket)) {
          nc.objectStoreManagement().create(ObjectStoreConfiguration.builder(bucket).storageType(StorageType.File)
              .description("Hearth backups").build());
        }
        return new NatsObjectStoreTarget(describe, nc, nc.objectStore(bucket));
      } catch (IOException | JetStreamApiException | RuntimeException e) {
        nc.close();
        throw e;
      }
    } catch (IOException | JetStreamApiException e) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "cannot use NATS object store " + describe + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "interrupted while connecting to " + describe);
    }
  }

  @Override
  public String describe() {
    return describe;
  }

  @Override
  public List<String> ids() throws IOException {
    TreeSet<String> ids = new TreeSet<>();
    for (ObjectInfo o : list()) {
      String name = o.getObjectName();
      if (!o.isDeleted() && name.endsWith("/" + MANIFEST) && name.indexOf('/') == name.length() - MANIFEST.length() - 1) {
        ids.add(name.substring(0, name.indexOf('/')));
      }
    }
    return new ArrayList<>(ids);
  }

  @Override
  public Manifest manifest(String id) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    get(id + "/" + MANIFEST, out);
    return Manifest.fromJson(new JsonObject(out.toString(StandardCharsets.UTF_8)));
  }

  @Override
  public void upload(String id, Path staged) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(staged)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    Path manifest = staged.resolve(MANIFEST);
    for (Path f : files) {
      if (!f.equals(manifest)) put(id + "/" + staged.relativize(f).toString().replace('\\', '/'), f);
    }
    put(id + "/" + MANIFEST, manifest); // last: the backup exists once this is there
    deleteTree(staged);
  }

  /** The staged folder is the node's temporary copy; once uploaded it goes. */
  private static void deleteTree(Path root) throws IOException {
    List<Path> paths;
    try (Stream<Path> s = Files.walk(root)) {
      paths = s.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : paths) Files.delete(p);
  }

  @Override
  public void download(String id, String path, Path dest) throws IOException {
    Files.createDirectories(dest.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(dest)) {
      get(id + "/" + path, out);
    }
  }

  @Override
  public void delete(String id) throws IOException {
    String prefix = id + "/";
    List<String> names = new ArrayList<>();
    for (ObjectInfo o : list()) {
      if (!o.isDeleted() && o.getObjectName().startsWith(prefix)) names.add(o.getObjectName());
    }
    // The manifest first: a half-deleted backup is no longer listed.
    names.sort((a, b) -> a.endsWith("/" + MANIFEST) ? -1 : b.endsWith("/" + MANIFEST) ? 1 : a.compareTo(b));
    for (String n : names) {
      try {
        store.delete(n);
      } catch (JetStreamApiException e) {
        throw new IOException("cannot delete " + n + " from " + describe + ": " + e.getMessage(), e);
      }
    }
  }

  private List<ObjectInfo> list() throws IOException {
    try {
      return store.getList();
    } catch (JetStreamApiException e) {
      throw new IOException("cannot list " + describe + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private void put(String name, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      store.put(name, in);
    } catch (JetStreamApiException | NoSuchAlgorithmException e) {
      throw new IOException("cannot put " + name + " into " + describe + ": " + e.getMessage(), e);
    }
  }

  private void get(String name, OutputStream out) throws IOException {
    try {
      ObjectInfo info = store.getInfo(name);
      if (info == null || info.isDeleted()) throw new NoSuchFileException(name + " in " + describe);
      store.get(name, out); // the client checks the object's digest as it reads
    } catch (JetStreamApiException | NoSuchAlgorithmException e) {
      throw new IOException("cannot get " + name + " from " + describe + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      nc.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
