package dev.hearth.kernel.files;

import dev.hearth.module.ModuleException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;

/**
 * Feeds a {@link BlobUpload} from an event loop: each chunk is encrypted and written on a worker,
 * one after the other, while the event loop goes on. {@link #full()} says when the reader should
 * pause (more than {@link #HIGH_WATER} bytes queued); the drain handler resumes it. That bound is
 * what keeps an upload's memory flat however large the file. All methods run on one event loop.
 */
final class BlobSink {

  /** Queued plaintext above which the source is paused: a few network chunks, less than one 1 MiB segment. */
  static final int HIGH_WATER = 1 << 20;

  private final WorkerExecutor worker;
  private final BlobUpload upload;
  private Future<Void> tail = Future.succeededFuture();
  private long queued;
  private long received;
  private ModuleException failure;
  private boolean ended;
  private Handler<Void> drain;
  private Handler<ModuleException> failed = e -> {};

  BlobSink(WorkerExecutor worker, BlobUpload upload) {
    this.worker = worker;
    this.upload = upload;
  }

  /** Called once, on the event loop, when a write fails (limit, type, disk): stop reading and answer. */
  BlobSink onFailure(Handler<ModuleException> handler) {
    this.failed = handler;
    return this;
  }

  /** Queues {@code chunk}; ignored after a failure. Fails at once when the limit is already passed. */
  void write(Buffer chunk) {
    if (failure != null || ended || chunk.length() == 0) return;
    received += chunk.length();
    byte[] bytes = chunk.getBytes();
    queued += bytes.length;
    tail = tail.compose(v -> worker.<Void>executeBlocking(() -> {
      upload.write(bytes);
      return null;
    }, false)).andThen(r -> {
      queued -= bytes.length;
      if (r.failed()) fail(r.cause());
      else if (queued < HIGH_WATER / 2 && drain != null) {
        Handler<Void> d = drain;
        drain = null;
        d.handle(null);
      }
    });
  }

  long received() {
    return received;
  }

  boolean full() {
    return queued >= HIGH_WATER;
  }

  /** Calls {@code handler} once when the queue is low again. */
  void onDrain(Handler<Void> handler) {
    this.drain = handler;
  }

  /** Ends the content once every queued chunk is written; fails with the first failure. */
  Future<BlobResult> end() {
    ended = true;
    Future<BlobResult> done = tail.compose(v -> {
      if (failure != null) return Future.failedFuture(failure);
      return worker.<BlobResult>executeBlocking(() ->
          new BlobResult(upload.blobId(), upload.size(), upload.complete()), false);
    }).recover(err -> {
      fail(err);
      return Future.failedFuture(failure);
    });
    tail = done.mapEmpty(); // an abort (the client left) waits for complete: never two threads on one upload
    return done;
  }

  /** Drops the upload (client gone, refused): the temp file is deleted once queued writes are done. */
  void abort() {
    ended = true;
    tail.onComplete(r -> worker.executeBlocking(() -> {
      upload.abort();
      return null;
    }, false));
  }

  private void fail(Throwable err) {
    if (failure != null) return;
    failure = err instanceof ModuleException e ? e
        : new ModuleException(ModuleException.Code.INTERNAL, "upload failed; details are in the node's log", err);
    abort();
    failed.handle(failure);
  }

  /** A written blob: its id, size and the SHA-256 of its plaintext. */
  record BlobResult(String blobId, long size, byte[] sha256) {}
}
