package dev.hearth.kernel.files;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.files.v1.DownloadRequest;
import dev.hearth.files.v1.Entry;
import dev.hearth.files.v1.UploadRequest;
import dev.hearth.kernel.access.StreamGuard;
import dev.hearth.kernel.errors.ApiErrors;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Caller;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * The REST face of {@code FileTransferService}, by hand because bodies must stream: the routes come
 * before the API's body handler (which would buffer the body, and vertx-web's would write plaintext
 * uploads to disk), pass the same guard as every RPC, then move bytes chunk by chunk with
 * back-pressure.
 *
 * <ul>
 *   <li>{@code POST /v1/projects/{project_id}/files[?folderId=&name=&size=]}: {@code multipart/form-data}
 *       with one file part (name and type from the part unless given), or any other content type as
 *       the raw content (then {@code name} is required). Answers the new entry as JSON.
 *   <li>{@code GET /v1/projects/{project_id}/files/{id}/content}: the bytes; one {@code Range} is
 *       answered 206 with {@code Content-Range}, one that cannot be satisfied 416.
 * </ul>
 */
final class FilesRest {

  /** Before {@code RestTransport.BODY_ORDER}: these routes never reach the body handler. */
  static final int ORDER = -10;
  /** After a refused upload, at most this much more of the body is read (and dropped) before the connection closes. */
  private static final long DRAIN_BYTES = 64L << 20;
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();

  private final Transfers transfers;
  private final StreamGuard guard;

  FilesRest(Transfers transfers, StreamGuard guard) {
    this.transfers = transfers;
    this.guard = guard;
  }

  void mount(Router router) {
    router.post("/v1/projects/:project_id/files").order(ORDER).handler(this::upload);
    router.get("/v1/projects/:project_id/files/:id/content").order(ORDER).handler(this::download);
  }

  // ---- upload

  private void upload(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.pause(); // no byte is read before the guard and the metadata checks passed
    UploadRequest.Builder meta = UploadRequest.newBuilder().setProjectId(ctx.pathParam("project_id"));
    Caller caller;
    try {
      String folder = req.getParam("folderId", req.getParam("folder_id", ""));
      meta.setFolderId(folder).setName(req.getParam("name", ""));
      String size = req.getParam("size");
      if (size != null) meta.setSize(parseSize(size, "size"));
      caller = guard.admit(FilesGrpc.UPLOAD, meta.build(), req.getHeader("authorization"), client(req));
    } catch (ModuleException e) {
      refuse(ctx, e);
      return;
    }
    String type = req.getHeader("content-type");
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      multipart(ctx, caller, meta);
    } else {
      try {
        if (meta.getName().isEmpty()) throw ModuleException.badField("name", "is required (query parameter name) for a raw upload");
        meta.setContentType(type == null ? "" : type);
        String length = req.getHeader("content-length");
        if (meta.getSize() == 0 && length != null) meta.setSize(parseSize(length, "Content-Length"));
      } catch (ModuleException e) {
        refuse(ctx, e);
        return;
      }
      start(ctx, caller, meta.build(), req);
    }
  }

  private void multipart(RoutingContext ctx, Caller caller, UploadRequest.Builder meta) {
    HttpServerRequest req = ctx.request();
    boolean[] seen = new boolean[1];
    req.setExpectMultipart(true);
    req.uploadHandler(part -> {
      if (seen[0]) {
        part.handler(b -> {}); // one file per request: the response already says so
        return;
      }
      seen[0] = true;
      UploadRequest.Builder m = meta.clone();
      if (m.getName().isEmpty()) m.setName(part.filename() == null ? "" : part.filename());
      m.setContentType(part.contentType() == null ? "" : part.contentType());
      start(ctx, caller, m.build(), part);
    });
    req.endHandler(v -> {
      if (!seen[0]) refuse(ctx, ModuleException.badField("file", "the multipart body has no file part"));
    });
    req.resume();
  }

  /** Starts the upload from {@code source} (the raw request or a multipart file part). */
  private void start(RoutingContext ctx, Caller caller, UploadRequest meta, ReadStream<Buffer> source) {
    source.pause();
    Transfers.Source pausable = new Transfers.Source() {
      @Override public void pause() {
        source.pause();
      }

      @Override public void resume() {
        source.resume();
      }
    };
    Future.succeededFuture().compose(v -> transfers.begin(caller, meta)).onComplete(begun -> {
      if (begun.failed()) {
        refuse(ctx, begun.cause());
        return;
      }
      Transfers.Upload upload = begun.result();
      upload.sink.onFailure(e -> refuse(ctx, e));
      source.exceptionHandler(err -> upload.abort());
      source.handler(chunk -> Transfers.feed(upload, chunk, pausable));
      source.endHandler(v -> upload.finish()
          .onSuccess(e -> ok(ctx, e))
          .onFailure(err -> refuse(ctx, err)));
      ctx.response().closeHandler(v -> upload.abort()); // the client went away mid-upload
      source.resume();
      // A small body may have arrived whole while the upload was being set up: nothing left to resume.
      if (!ctx.request().isEnded()) ctx.request().resume();
    });
  }

  private static void ok(RoutingContext ctx, Entry e) {
    if (ctx.response().ended()) return;
    try {
      ctx.response().putHeader("content-type", "application/json").end(PRINTER.print(e));
    } catch (InvalidProtocolBufferException err) {
      refuse(ctx, err);
    }
  }

  /**
   * Answers an error at once, then drops (up to {@link #DRAIN_BYTES} of) the rest of the body so a
   * client that sends it all still reads the answer, and closes the connection.
   */
  private static void refuse(RoutingContext ctx, Throwable err) {
    ModuleException e = err instanceof ModuleException m ? m
        : new ModuleException(ModuleException.Code.INTERNAL, "internal error; details are in the node's log");
    if (!(err instanceof ModuleException)) LoggerFactory.getLogger(FilesRest.class).error("upload failed", err);
    HttpServerRequest req = ctx.request();
    if (!ctx.response().ended() && !ctx.response().headWritten()) {
      ctx.response().putHeader("connection", "close");
      write(ctx, e);
    }
    if (!req.isEnded()) {
      long[] dropped = new long[1];
      try {
        req.handler(b -> {
          dropped[0] += b.length();
          if (dropped[0] > DRAIN_BYTES) req.connection().close();
        });
        req.resume();
      } catch (IllegalStateException alreadyRead) {
        req.connection().close(); // a multipart body: its parts are read through the upload handler
      }
    }
  }

  static void write(RoutingContext ctx, ModuleException e) {
    String retry = e.details().get("retryAfterSeconds"); // as every REST answer has it (a cluster's store changing owner)
    if (retry != null && !ctx.response().headWritten()) ctx.response().putHeader("Retry-After", retry);
    // Too large for the node or the quota is 413, not the 429 of rate limits.
    int status = e.code() == ModuleException.Code.RESOURCE_EXHAUSTED ? 413 : ApiErrors.status(e.code());
    ApiErrors.write(ctx, status, e);
  }

  private static long parseSize(String value, String what) {
    try {
      long n = Long.parseLong(value.trim());
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw ModuleException.badField("size", what + " '" + value + "' is not a byte count");
    }
  }

  private static String client(HttpServerRequest req) {
    return req.remoteAddress() == null ? "" : req.remoteAddress().hostAddress();
  }

  // ---- download

  private void download(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    Future<Transfers.Opened> opened;
    try {
      DownloadRequest request = DownloadRequest.newBuilder().setProjectId(ctx.pathParam("project_id"))
          .setId(ctx.pathParam("id")).build();
      Caller caller = guard.admit(FilesGrpc.DOWNLOAD, request, req.getHeader("authorization"), client(req));
      opened = transfers.openAnywhere(caller, request.getProjectId(), request.getId());
    } catch (ModuleException e) {
      write(ctx, e);
      return;
    }
    opened.onComplete(r -> {
      if (r.failed()) {
        if (r.cause() instanceof ModuleException e) write(ctx, e);
        else refuse(ctx, r.cause());
        return;
      }
      send(ctx, r.result());
    });
  }

  private void send(RoutingContext ctx, Transfers.Opened file) {
    HttpServerRequest req = ctx.request();
    ByteRanges.Range range;
    try {
      range = ByteRanges.parse(req.getHeader("range"), file.entry().getSize());
    } catch (ModuleException e) {
      write(ctx, e);
      return;
    } catch (ByteRanges.Unsatisfiable e) {
      ctx.response().setStatusCode(416).putHeader("content-range", "bytes */" + e.size).end();
      return;
    }
    long size = file.entry().getSize();
    var resp = ctx.response();
    resp.putHeader("content-type", file.entry().getContentType())
        .putHeader("x-content-type-options", "nosniff") // never rendered as something else in a browser
        .putHeader("content-disposition", "attachment; filename*=UTF-8''"
            + URLEncoder.encode(file.entry().getName(), StandardCharsets.UTF_8).replace("+", "%20"))
        .putHeader("accept-ranges", "bytes")
        .putHeader("etag", "\"" + file.entry().getSha256() + "\"")
        .putHeader("content-length", Long.toString(range.length()));
    if (range.partial()) {
      resp.setStatusCode(206).putHeader("content-range",
          "bytes " + range.offset() + "-" + (range.offset() + range.length() - 1) + "/" + size);
    }
    if (req.method() == HttpMethod.HEAD || range.length() == 0) {
      resp.end();
      return;
    }
    transfers.send(file, range.offset(), range.length(), Transfers.REST_CHUNK, resp, b -> b)
        .onSuccess(v -> resp.end())
        .onFailure(err -> resp.reset()); // headers are out: all a client can be told is that the body broke off
  }
}
