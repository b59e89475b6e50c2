package dev.hearth.kernel.files;

import dev.hearth.kernel.api.ApiServer;
import dev.hearth.kernel.config.FilesOptions;
import dev.hearth.kernel.crypto.KeyVault;
import dev.hearth.kernel.files.proto.EntryRecord;
import dev.hearth.kernel.identity.AvatarFiles;
import dev.hearth.kernel.spi.BlobStore;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.files.FileRef;
import dev.hearth.module.files.FileRefs;
import dev.hearth.module.realtime.Realtime;
import dev.hearth.module.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Project files on a node ({@code hearth.files.v1}, docs/files.md): metadata in the {@code files}
 * store, contents as encrypted, deduplicated blobs under {@code <data>/blobs/} or in the shared blob store
 * {@code files.blobs} names. {@link #serve} adds
 * {@code FileService} to the API and the streams of {@code FileTransferService} to gRPC and REST.
 */
public final class ProjectFiles implements AutoCloseable {

  /** The name of the store that holds file metadata; no module may take it. */
  public static final String STORE = "files";
  /** The service a cluster's fronts call on the files store's owner; it writes (or reads) {@link #STORE}. */
  public static final String OWNER_SERVICE = FileOwner.SERVICE.getFullName();

  private final FileCatalog catalog;
  private final Blobs blobs;
  private final FilesOptions options;
  private final WorkerExecutor worker;
  private final Transfers transfers;

  /**
   * Blocking (opens keysets, connects to the blob store {@code files.blobs} names): call on a worker.
   *
   * @param section the config's other sections by name (a {@code nats} blob store defaults to the
   *     cluster's NATS servers)
   */
  public ProjectFiles(Vertx vertx, Store store, KeyVault vault, Path dataDir, FilesOptions options,
      Function<String, Optional<String>> orgOfProject, Function<String, JsonObject> section) {
    this.catalog = new FileCatalog(store);
    Path blobsDir = dataDir.resolve("blobs");
    BlobStore where = BlobStores.open(options, blobsDir, dataDir, section, System.getenv());
    this.blobs = new Blobs(blobsDir, where, vault);
    if (!(where instanceof LocalBlobStore)) log.info("file contents are in {}", where.describe());
    this.options = options;
    // Disk and cipher work of transfers; bounded so uploads cannot take every worker thread.
    this.worker = vertx.createSharedWorkerExecutor("hearth-files", 4);
    // Only a cluster's gate refuses: on a process that does not own the files store now.
    Supplier<ModuleException> writeRefusal = store instanceof HearthStore h ? h::writeRefusal : () -> null;
    this.transfers = new Transfers(vertx, catalog, blobs, options, worker, orgOfProject, writeRefusal);
    int swept = blobs.sweep(catalog.blobFiles());
    if (swept > 0) log.info("deleted {} blob files no file uses (temp files of interrupted uploads, or left by a crash)", swept);
  }

  private static final Logger log = LoggerFactory.getLogger(ProjectFiles.class);

  /** Serves FileService (every transport), the transfer streams (gRPC, REST) and the realtime topics. */
  public void serve(ApiServer api, Realtime realtime, Authorization authorization) {
    api.add(new FilesApi(catalog, blobs, options, transfers, worker).binding());
    FilesGrpc grpc = new FilesGrpc(transfers, api.streamGuard());
    api.addStream(FilesGrpc.SERVICE, FilesGrpc.fullName(FilesGrpc.UPLOAD), grpc::upload);
    api.addStream(FilesGrpc.SERVICE, FilesGrpc.fullName(FilesGrpc.DOWNLOAD), grpc::download);
    new FilesRest(transfers, api.streamGuard()).mount(api.router());
    // A cluster's front records uploads and finds files at the files store's owner (docs/cluster.md#files).
    api.addInternal(new FileOwner(transfers).binding());
    transfers.owner(api::forward);
    realtime.topics(new FileTopics(authorization));
  }

  /**
   * Whether {@code fileId} is a file (not a folder) of {@code projectId}: what modules check before
   * they attach a file to a message or a record.
   */
  public Optional<EntryRecord> file(String projectId, String fileId) {
    return catalog.entries.get(fileId).filter(e -> e.getProjectId().equals(projectId) && !e.getFolder());
  }

  /** What modules see of the files: metadata lookups by project and id. */
  public FileRefs refs() {
    return (projectId, fileId) -> file(projectId, fileId).map(e -> new FileRef(e.getId(),
        e.getProjectId(), e.getName(), e.getSize(), e.getContentType(), e.getSha256()));
  }

  /**
   * Profile pictures are files of a project (docs/files.md#avatars): one must be an image the user
   * uploaded there, and the one a new picture replaces (or a removal drops) is deleted like a
   * {@code Delete} of it, its blob with its last reference.
   */
  public AvatarFiles avatars() {
    return new AvatarFiles() {
      @Override
      public void check(String userId, String projectId, String fileId) {
        EntryRecord e = file(projectId, fileId).orElseThrow(() ->
            ModuleException.badField("avatar_file_id", "no file " + fileId + " in project " + projectId));
        if (!e.getCreatedBy().equals(userId)) {
          throw ModuleException.badField("avatar_file_id", "file " + fileId + " was uploaded by someone else; upload your own picture");
        }
        if (!e.getContentType().startsWith("image/")) {
          throw ModuleException.badField("avatar_file_id", "file " + fileId + " is " + e.getContentType() + ", not an image");
        }
      }

      @Override
      public Future<Void> release(String userId, String projectId, String fileId) {
        // Only a picture the user uploaded (older profiles may name anything): others' files stay.
        if (file(projectId, fileId).filter(e -> e.getCreatedBy().equals(userId)).isEmpty()) {
          return Future.succeededFuture();
        }
        return catalog.delete(userId, projectId, fileId).compose(d -> d.freedBlobId() == null
            ? Future.<Void>succeededFuture()
            : worker.<Void>executeBlocking(() -> {
              blobs.delete(d.orgId(), d.freedBlobId());
              return null;
            }, false));
      }
    };
  }

  public FilesOptions options() {
    return options;
  }

  @Override
  public void close() {
    worker.close();
    blobs.close();
  }
}
