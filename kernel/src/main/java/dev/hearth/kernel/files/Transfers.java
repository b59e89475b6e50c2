package dev.hearth.kernel.files;

import dev.hearth.files.v1.UploadRequest;
import dev.hearth.kernel.config.FilesOptions;
import dev.hearth.kernel.files.proto.BlobRecord;
import dev.hearth.kernel.files.proto.EntryRecord;
import dev.hearth.kernel.files.proto.UsageRecord;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.store.Ids;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads and downloads, whatever the transport: the REST routes and the gRPC streams call these
 * after the guard admitted the caller. Bytes move in chunks with back-pressure both ways, so no
 * content is ever held whole in memory.
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

  Transfers(FileCatalog catalog, Blobs blobs, FilesOptions options, WorkerExecutor worker,
      Function<String, Optional<String>> orgOfProject) {
    this.catalog = catalog;
    this.blobs = blobs;
    this.options = options;
    this.types = new ContentTypes(options.allowedTypes());
    this.worker = worker;
    this.orgOfProject = orgOfProject;
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

    /** Ends the content and records the file; on any failure nothing is kept. */
    Future<EntryRecord> finish() {
      return sink.end().compose(blob -> {
        if (declaredSize > 0 && blob.size() != declaredSize) {
          blobs.delete(draft.getOrgId(), blob.blobId());
          return Future.failedFuture(ModuleException.badField("size", "declared " + declaredSize
              + " bytes, but the content has " + blob.size()));
        }
        EntryRecord file = draft.toBuilder().setSize(blob.size()).setSha256(HexFormat.of().formatHex(blob.sha256())).build();
        String token = blobs.dedupeToken(draft.getOrgId(), blob.sha256());
        return catalog.commitUpload(caller.userId(), file, token, blob.blobId(), quota)
            .recover(err -> worker.executeBlocking(() -> {
              blobs.delete(draft.getOrgId(), blob.blobId()); // refused at commit (quota, name): keep nothing
              return null;
            }, false).transform(x -> Future.failedFuture(err)))
            .compose(committed -> {
              if (committed.redundantBlobId() == null) return Future.succeededFuture(committed.entry());
              // Equal content was stored already: the file now points at it, our copy goes.
              return worker.executeBlocking(() -> {
                blobs.delete(draft.getOrgId(), committed.redundantBlobId());
                return committed.entry();
              }, false);
            });
      });
    }

    void abort() {
      sink.abort();
    }
  }

  /**
   * Checks an upload's metadata (name, folder, type, declared size against the limits) before any
   * content byte is read, then opens its blob. The caller is already admitted to the project.
   */
  Future<Upload> begin(Caller caller, UploadRequest meta) {
    String projectId = meta.getProjectId();
    String org = orgOf(projectId);
    String name = FileCatalog.checkName(meta.getName());
    String type = ContentTypes.normalize(meta.getContentType());
    types.checkDeclared(type);
    catalog.checkParentAndName(projectId, meta.getFolderId(), name);
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
