package dev.hearth.kernel.files;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.hearth.files.v1.Entry;
import dev.hearth.files.v1.UploadRequest;
import dev.hearth.kernel.config.FilesOptions;
import dev.hearth.kernel.files.proto.BlobRecord;
import dev.hearth.kernel.files.proto.CommitUploadRequest;
import dev.hearth.kernel.files.proto.EntryRecord;
import dev.hearth.kernel.files.proto.OpenFileRequest;
import dev.hearth.kernel.files.proto.OpenedFile;
import dev.hearth.kernel.files.proto.UsageRecord;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.store.Ids;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads and downloads, whatever the transport: the REST routes and the gRPC streams call these
 * after the guard admitted the caller. Bytes move in chunks with back-pressure both ways, so no
 * content is ever held whole in memory.
 *
 * <p>In a cluster (docs/cluster.md#files), on a process that does not own the {@code files} store
 * now: with a shared blob store the content is encrypted and stored here, and only the metadata
 * write goes to the owner ({@link FileOwner}'s CommitUpload, a forwarded call, retried while the
 * store changes owner); a download reads the metadata here, or asks the owner when this process's
 * copy of the store does not have the file. With the local blob store such an upload is refused
 * before any byte is read.
 */
final class Transfers {

  private static final Logger log = LoggerFactory.getLogger(Transfers.class);
  /** Plaintext per REST download step: a quarter of a 1 MiB segment. */
  static final int REST_CHUNK = 256 * 1024;
  /** Plaintext per gRPC download message: well under the 256 KiB gRPC clients (Vert.x's) accept by default. */
  static final int GRPC_CHUNK = 64 * 1024;

  private final FileCatalog catalog;
  private final Blobs blobs;
  private final FilesOptions options;
  private final ContentTypes types;
  private final WorkerExecutor worker;
  private final Function<String, Optional<String>> orgOfProject;
  private final Vertx vertx;
  private final Supplier<ModuleException> writeRefusal;
  private volatile Owner owner = (method, request, caller) -> null;

  /** How long a front keeps retrying an upload's metadata write while the files store has no owner. */
  static final long COMMIT_RETRY_MILLIS = 60_000;

  /** The owner of the files store as this process reaches it: a forwarded call's answer, or null to run here. */
  @FunctionalInterface
  interface Owner {
    Future<Message> call(String methodFullName, Message request, Caller caller);
  }

  /**
   * @param writeRefusal why this process may not write the files store now (a cluster's standby or
   *     front), null when it may
   */
  Transfers(Vertx vertx, FileCatalog catalog, Blobs blobs, FilesOptions options, WorkerExecutor worker,
      Function<String, Optional<String>> orgOfProject, Supplier<ModuleException> writeRefusal) {
    this.vertx = vertx;
    this.catalog = catalog;
    this.blobs = blobs;
    this.options = options;
    this.types = new ContentTypes(options.allowedTypes());
    this.worker = worker;
    this.orgOfProject = orgOfProject;
    this.writeRefusal = writeRefusal;
  }

  /** Sets how the files store's owner is reached (the API's forwarders); until then everything runs here. */
  void owner(Owner owner) {
    this.owner = owner;
  }

  String orgOf(String projectId) {
    return orgOfProject.apply(projectId).orElseThrow(() -> ModuleException.notFound("no project " + projectId));
  }

  // ---- upload

  /** An upload under way: write its chunks, then finish or abort it. Event-loop confined. */
  final class Upload {
    private final Caller caller;
    private final EntryRecord draft;
    private final long declaredSize;
    private final long quota;
    final BlobSink sink;

    private Upload(Caller caller, EntryRecord draft, long declaredSize, long quota, BlobSink sink) {
      this.caller = caller;
      this.draft = draft;
      this.declaredSize = declaredSize;
      this.quota = quota;
      this.sink = sink;
    }

    /**
     * Ends the content and records the file, here or (a cluster's front) at the files store's
     * owner; on any failure nothing is kept, but for a metadata write whose outcome is unknown.
     */
    Future<Entry> finish() {
      return sink.end().compose(blob -> {
        if (declaredSize > 0 && blob.size() != declaredSize) {
          blobs.delete(draft.getOrgId(), blob.blobId());
          return Future.failedFuture(ModuleException.badField("size", "declared " + declaredSize
              + " bytes, but the content has " + blob.size()));
        }
        EntryRecord file = draft.toBuilder().setSize(blob.size()).setSha256(HexFormat.of().formatHex(blob.sha256())).build();
        return commit(caller, file, blob.blobId(), quota, System.currentTimeMillis() + COMMIT_RETRY_MILLIS);
      });
    }

    void abort() {
      sink.abort();
    }
  }

  /**
   * Records an uploaded blob as {@code file}: at the files store's owner when a forwarder claims the
   * call, else here. With a shared blob store, while the files store has no owner (UNAVAILABLE) the
   * call is tried again until {@code until}; the commit is idempotent by the entry's id, so a retry after a timeout cannot
   * make the file twice.
   */
  private Future<Entry> commit(Caller caller, EntryRecord file, String blobId, long quota, long until) {
    CommitUploadRequest request = CommitUploadRequest.newBuilder().setProjectId(file.getProjectId())
        .setFolderId(file.getParentId()).setName(file.getName()).setContentType(file.getContentType())
        .setSize(file.getSize()).setSha256(file.getSha256()).setBlobId(blobId).setEntryId(file.getId())
        .setCreatedAtMicros(file.getCreatedAtMicros()).build();
    Future<Message> atOwner;
    try {
      atOwner = owner.call(FileOwner.COMMIT, request, caller);
    } catch (RuntimeException e) {
      atOwner = Future.failedFuture(e);
    }
    boolean here = atOwner == null;
    Future<Entry> attempt = here ? commitHere(caller.userId(), file, blobId, quota).map(FilesApi::toApi)
        : atOwner.map(Transfers::entryOf);
    return attempt.recover(err -> {
      ModuleException e = err instanceof ModuleException m ? m : null;
      if (e != null && e.code() == ModuleException.Code.UNAVAILABLE) {
        if (blobs.shared() && System.currentTimeMillis() < until) { // a cluster's: the next owner can record it
          Promise<Entry> again = Promise.promise();
          vertx.setTimer(1000, t -> commit(caller, file, blobId, quota, until).onComplete(again));
          return again.future();
        }
        // The owner may have written it (a timed-out call): the blob stays, perhaps an orphan
        // (a local one is swept at the next start when no record names it).
        if (blobs.shared()) log.warn("upload {}: the files store's owner did not record it in time, so its blob {} stays in {}",
            file.getId(), blobId, blobs.describe());
        return Future.failedFuture(err);
      }
      if (here) return Future.failedFuture(err); // commitHere deleted the blob
      // The owner refused it (its guard, name, quota): nothing records the blob.
      return worker.executeBlocking(() -> {
        blobs.delete(file.getOrgId(), blobId);
        return null;
      }, false).transform(x -> Future.failedFuture(err));
    });
  }

  private static Entry entryOf(Message answer) {
    try {
      return answer instanceof Entry e ? e : Entry.parseFrom(answer.toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "the files store's owner answered no Entry");
    }
  }

  /**
   * Records {@code file}, whose content is blob {@code blobId}, in this process's files store, which
   * must be writable here; the blob is deleted when the write is refused, or when the org stores
   * equal content already. Not after UNAVAILABLE (a cluster's store changing owner, a replicated
   * log that did not answer): the write may yet be there, and a retry may record it.
   */
  Future<EntryRecord> commitHere(String actor, EntryRecord file, String blobId, long quota) {
    String org = file.getOrgId();
    String token = blobs.dedupeToken(org, HexFormat.of().parseHex(file.getSha256()));
    return catalog.commitUpload(actor, file, token, blobId, quota)
        .recover(err -> err instanceof ModuleException e && e.code() == ModuleException.Code.UNAVAILABLE
            ? Future.failedFuture(err)
            : worker.executeBlocking(() -> {
              blobs.delete(org, blobId); // refused at commit (quota, name): keep nothing
              return null;
            }, false).transform(x -> Future.failedFuture(err)))
        .compose(committed -> {
          if (committed.redundantBlobId() == null) return Future.succeededFuture(committed.entry());
          // Equal content was stored already: the file now points at it, our copy goes.
          return worker.executeBlocking(() -> {
            blobs.delete(org, committed.redundantBlobId());
            return committed.entry();
          }, false);
        });
  }

  /** A front's upload, recorded here at the owner: the org, name and quota as this process has them. */
  Future<EntryRecord> commitForFront(String actor, CommitUploadRequest r) {
    String org = orgOf(r.getProjectId());
    String name = FileCatalog.checkName(r.getName());
    if (r.getSize() < 0 || r.getSha256().length() != 64 || r.getBlobId().isEmpty() || r.getEntryId().isEmpty()) {
      throw ModuleException.invalidArgument("a front's upload needs its size, sha256, blob_id and entry_id");
    }
    String type = ContentTypes.normalize(r.getContentType());
    types.checkDeclared(type);
    EntryRecord file = EntryRecord.newBuilder().setId(r.getEntryId()).setProjectId(r.getProjectId()).setOrgId(org)
        .setParentId(r.getFolderId()).setName(name).setContentType(type)
        .setCreatedBy(actor).setCreatedAtMicros(r.getCreatedAtMicros()).setUpdatedAtMicros(r.getCreatedAtMicros())
        .setSize(r.getSize()).setSha256(r.getSha256()).build();
    return commitHere(actor, file, r.getBlobId(), Quotas.quotaOf(catalog.usage(r.getProjectId()), options));
  }

  /**
   * Checks an upload's metadata (name, folder, type, declared size against the limits) before any
   * content byte is read, then opens its blob. The caller is already admitted to the project.
   *
   * <p>On a process that may not write the files store now (a cluster's front or standby) folder and
   * name are left to the owner, which checks them when it records the file (this process's copy of
   * the store may lag); and with the local blob store the upload is refused at once: its content
   * would stay on this process, out of the owner's reach.
   */
  Future<Upload> begin(Caller caller, UploadRequest meta) {
    String projectId = meta.getProjectId();
    String org = orgOf(projectId);
    String name = FileCatalog.checkName(meta.getName());
    String type = ContentTypes.normalize(meta.getContentType());
    types.checkDeclared(type);
    ModuleException notOwner = writeRefusal.get();
    if (notOwner == null) {
      catalog.checkParentAndName(projectId, meta.getFolderId(), name);
    } else if (!blobs.shared()) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "this process does not own the files store now, and"
          + " files.blobs is local: upload to the process that owns it, or give every process of the cluster a shared"
          + " blob store (files.blobs type nats or s3)")
          .detail("retryAfterSeconds", notOwner.details().getOrDefault("retryAfterSeconds", "1"));
    }
    if (meta.getSize() < 0) throw ModuleException.badField("size", "must not be negative");
    UsageRecord usage = catalog.usage(projectId);
    long quota = Quotas.quotaOf(usage, options);
    BlobUpload.Limits limits = Quotas.forUpload(projectId, options, usage);
    if (meta.getSize() > limits.maxBytes()) throw limits.over().apply(meta.getSize());
    long now = System.currentTimeMillis() * 1000;
    EntryRecord draft = EntryRecord.newBuilder().setId(Ids.next()).setProjectId(projectId).setOrgId(org)
        .setParentId(meta.getFolderId()).setName(name).setContentType(type).setCreatedBy(caller.userId())
        .setCreatedAtMicros(now).setUpdatedAtMicros(now).build();
    return worker.executeBlocking(() -> blobs.begin(org, limits, types), false)
        .map(blob -> new Upload(caller, draft, meta.getSize(), quota, new BlobSink(worker, blob)));
  }

  // ---- download

  /** A file ready to be read: its entry and where its blob is. */
  record Opened(EntryRecord entry, String orgId, String blobId) {}

  /**
   * As {@link #open}, and when this process's copy of the files store does not have the file (a
   * cluster's front, or a standby that lags) and this process does not own the store, as the owner
   * has it.
   */
  Future<Opened> openAnywhere(Caller caller, String projectId, String id) {
    try {
      return Future.succeededFuture(open(projectId, id));
    } catch (ModuleException e) {
      if (e.code() != ModuleException.Code.NOT_FOUND || writeRefusal.get() == null) return Future.failedFuture(e);
      Future<Message> atOwner = owner.call(FileOwner.OPEN, OpenFileRequest.newBuilder().setProjectId(projectId).setId(id)
          .build(), caller);
      if (atOwner == null) return Future.failedFuture(e);
      return atOwner.map(answer -> {
        OpenedFile f;
        try {
          f = answer instanceof OpenedFile o ? o : OpenedFile.parseFrom(answer.toByteString());
        } catch (InvalidProtocolBufferException bad) {
          throw new ModuleException(ModuleException.Code.INTERNAL, "the files store's owner answered no OpenedFile");
        }
        return new Opened(f.getEntry(), f.getEntry().getOrgId(), f.getBlobId());
      });
    }
  }

  Opened open(String projectId, String id) {
    EntryRecord e = catalog.get(projectId, id);
    if (e.getFolder()) throw ModuleException.badField("id", id + " is a folder; only files have content");
    BlobRecord blob = catalog.blobs.get(e.getBlobKey())
        .orElseThrow(() -> new ModuleException(ModuleException.Code.DATA_LOSS, "file " + id + " has no stored content"));
    return new Opened(e, e.getOrgId(), blob.getBlobId());
  }

  /**
   * Streams {@code length} plaintext bytes from {@code offset} into {@code out}, each chunk made a
   * message by {@code frame}; reads wait while {@code out}'s queue is full. Completes when the last
   * chunk is written, fails when the client goes away or the blob cannot be read.
   */
  Future<Void> send(Opened file, long offset, long length, int chunk, WriteStream<Buffer> out,
      Function<Buffer, Buffer> frame) {
    return worker.executeBlocking(() -> {
      SeekableByteChannel ch = blobs.open(file.orgId(), file.blobId());
      ch.position(offset);
      return ch;
    }, false).compose(ch -> {
      Promise<Void> done = Promise.promise();
      new Pump(ch, length, chunk, out, frame, done).next();
      return done.future().andThen(r -> worker.executeBlocking(() -> {
        ch.close();
        return null;
      }, false));
    });
  }

  private final class Pump {
    private final SeekableByteChannel ch;
    private long left;
    private final int chunk;
    private final WriteStream<Buffer> out;
    private final Function<Buffer, Buffer> frame;
    private final Promise<Void> done;

    Pump(SeekableByteChannel ch, long length, int chunk, WriteStream<Buffer> out, Function<Buffer, Buffer> frame,
        Promise<Void> done) {
      this.ch = ch;
      this.left = length;
      this.chunk = chunk;
      this.out = out;
      this.frame = frame;
      this.done = done;
      out.exceptionHandler(err -> done.tryFail(err));
    }

    void next() {
      if (left <= 0) {
        done.tryComplete();
        return;
      }
      int want = (int) Math.min(chunk, left);
      worker.executeBlocking(() -> {
        ByteBuffer buf = ByteBuffer.allocate(want);
        while (buf.hasRemaining()) {
          if (ch.read(buf) < 0) throw new ModuleException(ModuleException.Code.DATA_LOSS, "a blob ended early");
        }
        return Buffer.buffer(buf.array());
      }, false).onComplete(r -> {
        if (r.failed()) {
          log.error("reading a blob failed", r.cause());
          done.tryFail(r.cause());
          return;
        }
        if (done.future().isComplete()) return; // the client went away
        left -= want;
        out.write(frame.apply(r.result())).onFailure(done::tryFail);
        if (out.writeQueueFull()) out.drainHandler(v -> next());
        else next();
      });
    }
  }

  /** Interface for the two transports' chunk sources: pause and resume them as the sink fills. */
  interface Source {
    void pause();

    void resume();
  }

  /** Writes {@code chunk}, pausing {@code source} until the queue drains when it is full. */
  static void feed(Upload upload, Buffer chunk, Source source) {
    upload.sink.write(chunk);
    if (upload.sink.full()) {
      source.pause();
      upload.sink.onDrain(v -> source.resume());
    }
  }
}
