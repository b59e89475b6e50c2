package dev.hearth.kernel.files;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.hearth.files.v1.DownloadRequest;
import dev.hearth.files.v1.DownloadResponse;
import dev.hearth.files.v1.FilesProto;
import dev.hearth.files.v1.UploadRequest;
import dev.hearth.kernel.access.StreamGuard;
import dev.hearth.kernel.errors.GrpcMessages;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Caller;
import io.netty.handler.codec.http2.Http2Exception;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC face of {@code FileTransferService}: Upload as a client stream (metadata in the first
 * message), Download as a server stream (the entry, then the bytes). Each call passes the {@link
 * StreamGuard} with its first message before any content is stored or read; messages are read with
 * back-pressure, so a slow disk pauses the client rather than filling memory.
 */
final class FilesGrpc {

  static final ServiceDescriptor SERVICE = FilesProto.getDescriptor().findServiceByName("FileTransferService");
  static final MethodDescriptor UPLOAD = SERVICE.findMethodByName("Upload");
  static final MethodDescriptor DOWNLOAD = SERVICE.findMethodByName("Download");
  private static final Logger log = LoggerFactory.getLogger(FilesGrpc.class);

  private final Transfers transfers;
  private final StreamGuard guard;

  FilesGrpc(Transfers transfers, StreamGuard guard) {
    this.transfers = transfers;
    this.guard = guard;
  }

  static String fullName(MethodDescriptor m) {
    return m.getService().getFullName() + "/" + m.getName();
  }

  void upload(GrpcServerRequest<Buffer, Buffer> call) {
    GrpcServerResponse<Buffer, Buffer> response = call.response();
    String auth = call.headers().get("authorization");
    String client = call.connection().remoteAddress().hostAddress();
    var state = new Object() {
      boolean first = true;
      boolean ended;
      boolean over;
      Transfers.Upload upload;
    };
    Transfers.Source source = new Transfers.Source() {
      @Override public void pause() {
        call.pause();
      }

      @Override public void resume() {
        call.resume();
      }
    };
    Runnable finish = () -> state.upload.finish().onComplete(r -> {
      if (r.succeeded()) response.send(Buffer.buffer(r.result().toByteArray()));
      else fail(response, r.cause());
    });
    call.handler(bytes -> {
      if (state.over) return;
      UploadRequest msg;
      try {
        msg = UploadRequest.parseFrom(bytes.getBytes());
      } catch (InvalidProtocolBufferException e) {
        state.over = true;
        if (state.upload != null) state.upload.abort();
        fail(response, ModuleException.invalidArgument("a message is not one hearth.files.v1.UploadRequest"));
        return;
      }
      if (!state.first) {
        Transfers.feed(state.upload, Buffer.buffer(msg.getData().toByteArray()), source);
        return;
      }
      state.first = false;
      call.pause(); // until the blob is open
      Future.succeededFuture().compose(v -> {
        Caller caller = guard.admit(UPLOAD, msg, auth, client);
        return transfers.begin(caller, msg);
      }).onComplete(r -> {
        if (r.failed()) {
          state.over = true;
          fail(response, r.cause());
          call.resume(); // read and drop the rest: the status is out
          return;
        }
        state.upload = r.result();
        state.upload.sink.onFailure(e -> {
          state.over = true;
          fail(response, e);
        });
        Transfers.feed(state.upload, Buffer.buffer(msg.getData().toByteArray()), source);
        if (state.ended) finish.run();
        else call.resume();
      });
    });
    call.endHandler(v -> {
      if (state.over) return;
      if (state.first) {
        fail(response, ModuleException.invalidArgument("an upload needs at least one message, with project_id and name"));
      } else if (state.upload != null) {
        finish.run();
      } else {
        state.ended = true; // the first message is still being checked
      }
    });
    call.exceptionHandler(err -> {
      state.over = true;
      if (state.upload != null) state.upload.abort();
    });
  }

  void download(GrpcServerRequest<Buffer, Buffer> call) {
    GrpcServerResponse<Buffer, Buffer> response = call.response();
    String auth = call.headers().get("authorization");
    String client = call.connection().remoteAddress().hostAddress();
    call.last().onComplete(r -> {
      try {
        if (r.failed()) throw ModuleException.invalidArgument("the request is not one hearth.files.v1.DownloadRequest");
        DownloadRequest req = parse(r.result());
        Caller caller = guard.admit(DOWNLOAD, req, auth, client);
        transfers.openAnywhere(caller, req.getProjectId(), req.getId()).onComplete(o -> {
          if (o.failed()) fail(response, o.cause());
          else send(response, req, o.result());
        });
      } catch (RuntimeException e) {
        fail(response, e);
      }
    });
  }

  private void send(GrpcServerResponse<Buffer, Buffer> response, DownloadRequest req, Transfers.Opened file) {
    try {
      long size = file.entry().getSize();
      if (req.getOffset() < 0 || req.getOffset() > size) {
        throw ModuleException.badField("offset", "must be between 0 and the file's size, " + size);
      }
      if (req.getLength() < 0) throw ModuleException.badField("length", "must not be negative");
      long length = req.getLength() == 0 ? size - req.getOffset() : Math.min(req.getLength(), size - req.getOffset());
      response.write(Buffer.buffer(DownloadResponse.newBuilder().setEntry(FilesApi.toApi(file.entry())).build().toByteArray()));
      transfers.send(file, req.getOffset(), length, Transfers.GRPC_CHUNK, response, b ->
              Buffer.buffer(DownloadResponse.newBuilder().setData(UnsafeByteOperations
                  .unsafeWrap(b.getBytes())).build().toByteArray()))
          .onSuccess(v -> response.end())
          .onFailure(err -> fail(response, err));
    } catch (RuntimeException e) {
      fail(response, e);
    }
  }

  private static DownloadRequest parse(Buffer bytes) {
    try {
      return DownloadRequest.parseFrom(bytes.getBytes());
    } catch (InvalidProtocolBufferException e) {
      throw ModuleException.invalidArgument("the request is not one hearth.files.v1.DownloadRequest");
    }
  }

  private static void fail(GrpcServerResponse<Buffer, Buffer> response, Throwable err) {
    ModuleException e = err instanceof ModuleException m ? m : null;
    if (e == null && err instanceof Http2Exception) {
      log.debug("file transfer ended by the client: {}", err.toString()); // a cancel or reset: nothing to answer
      return;
    }
    if (e == null) {
      log.error("file transfer failed", err);
      e = new ModuleException(ModuleException.Code.INTERNAL, "internal error; details are in the node's log");
    }
    try {
      GrpcMessages.fail(response, e);
    } catch (IllegalStateException gone) {
      // the client reset the stream, or an answer is out already
    }
  }
}
