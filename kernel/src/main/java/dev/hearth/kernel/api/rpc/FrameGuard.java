package dev.hearth.kernel.api.rpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.hearth.kernel.errors.GrpcMessages;
import dev.hearth.module.ModuleException;
import io.vertx.core.Handler;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.grpc.common.GrpcMediaType;
import io.vertx.grpc.common.GrpcStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.BiConsumer;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the length-prefixed framing of a gRPC request (PROTOCOL-HTTP2.md: a flags byte, a 4-byte
 * length, the message) before vertx-grpc's deframer sees it, and answers what that deframer does
 * not: a message with the compressed flag but no {@code grpc-encoding} makes it throw
 * ({@code UnsupportedOperationException: Handle me}, logged at ERROR by the event loop, the call never
 * answered). Such a call, and one whose framing is otherwise wrong, ends here with the status gRPC's
 * own implementations give — INTERNAL for a compressed flag without an encoding, reserved flag bits,
 * a request that ends inside a message, a second message to a unary method or none to a unary
 * method of a service bound in vertx-grpc (health), a compressed message that is not gzip;
 * RESOURCE_EXHAUSTED for a length over the method's limit, from its prefix, before the message is
 * read, or a message that decompresses to more — and one DEBUG line.
 *
 * <p>A gzip message is decompressed here and passed on uncompressed: vertx-grpc's own decoding
 * answered one that is not gzip with a reset stream (RST_STREAM CANCEL) instead of a status, as soon
 * as the request was not over yet, and set no limit on what a message decompresses to.
 *
 * <p>After the answer nothing more reaches vertx-grpc but, for a call of the node's own handlers, an
 * error, so the handler (an upload) lets go of what it holds and writes nothing more. Used on the
 * request's event loop only.
 */
final class FrameGuard extends HttpServerRequestWrapper {

  private static final Logger log = LoggerFactory.getLogger(FrameGuard.class);
  /** What a compressed message may be in; any other encoding of one is UNIMPLEMENTED. */
  private static final String SUPPORTED_ENCODINGS = "gzip";

  private final long maxBytes;
  private final boolean unary;
  private final String encoding;
  private final ModuleException tooLarge;
  /** The request message's parser when each message is to be checked here (a service bound in vertx-grpc), else null. */
  private final Parser<?> parser;
  private final String messageType;
  private ByteArrayOutputStream message;
  private boolean compressed;
  private Handler<Buffer> data;
  private Handler<Void> end;
  private Handler<Throwable> error;
  private BiConsumer<GrpcStatus, String> answer;
  private final byte[] head = new byte[5];
  private int headBytes;
  private long remaining;
  private long length;
  private int messages;
  private boolean refused;

  private FrameGuard(HttpServerRequestInternal request, long maxBytes, boolean unary, ModuleException tooLarge,
      Message prototype) {
    super(request);
    this.maxBytes = maxBytes;
    this.unary = unary;
    this.tooLarge = tooLarge;
    this.parser = prototype == null ? null : prototype.getParserForType();
    this.messageType = prototype == null ? null : prototype.getDescriptorForType().getFullName();
    String e = request.getHeader("grpc-encoding");
    this.encoding = e == null || e.isBlank() || e.trim().equalsIgnoreCase("identity") ? null : e.trim().toLowerCase();
  }

  /**
   * The request with its framing checked, or the request itself when it cannot be (gRPC-Web text over
   * HTTP/1.x is base64; a request Vert.x did not make). vertx-grpc (5.0.7) decodes base64 only over
   * HTTP/1.x: over HTTP/2 it reads a gRPC-Web text body as binary frames with the same deframer as
   * gRPC, so such a call is checked as one (found by {@code FuzzRunIT}: a compressed flag in such a
   * body threw {@code Handle me} at ERROR and the call was never answered).
   *
   * @param unary whether the method takes exactly one message (unary, or streaming only its answer)
   * @param tooLarge the answer to a message over {@code maxBytes}
   * @param prototype the request message of a method served by a service bound in vertx-grpc (health),
   *     whose messages are parsed here before it sees them, else null: such a service resets the stream
   *     on a message that does not parse instead of answering (found by FuzzRunIT: 200 resets in 30 s
   *     on one connection trip Netty's RST-flood limit, which closes the connection with an ERROR line)
   */
  static HttpServerRequest wrap(HttpServerRequest request, long maxBytes, boolean unary, ModuleException tooLarge,
      Message prototype) {
    String type = String.valueOf(request.getHeader("content-type"));
    boolean base64 = GrpcMediaType.isGrpcWebText(type) && request.version() != HttpVersion.HTTP_2;
    if (!(request instanceof HttpServerRequestInternal internal) || base64) {
      return request;
    }
    return new FrameGuard(internal, maxBytes, unary, tooLarge, prototype);
  }

  /**
   * How a refusal is answered once the call exists: through its gRPC response, so vertx-grpc knows
   * the call is over. Until then (or without one) the guard answers on the HTTP response itself.
   */
  void answerWith(BiConsumer<GrpcStatus, String> answer) {
    this.answer = answer;
  }

  @Override
  public HttpServerRequest handler(Handler<Buffer> handler) {
    data = handler;
    super.handler(handler == null ? null : this::chunk);
    return this;
  }

  @Override
  public HttpServerRequest endHandler(Handler<Void> handler) {
    end = handler;
    super.endHandler(handler == null ? null : v -> ended());
    return this;
  }

  @Override
  public HttpServerRequest exceptionHandler(Handler<Throwable> handler) {
    error = handler;
    super.exceptionHandler(handler);
    return this;
  }

  /**
   * Checks a chunk of the request and passes on what vertx-grpc is to see: the chunk itself, or — when
   * it holds bytes of a compressed message — the chunk without them, and in their place the message
   * decompressed here, once it is complete, framed as an uncompressed one.
   */
  private void chunk(Buffer chunk) {
    if (refused) return;
    int n = chunk.length();
    Buffer out = null; // what goes on instead of the chunk, once a byte of it is held
    int run = 0; // where the chunk's bytes that go on as they are start
    for (int i = 0; i < n && !refused; ) {
      if (remaining > 0) {
        int take = (int) Math.min(remaining, n - i);
        if (message != null) message.write(chunk.getBytes(i, i + take), 0, take);
        remaining -= take;
        i += take;
        if (compressed) run = i;
        if (remaining == 0) out = append(out, completed());
        continue;
      }
      if (headBytes == 0) {
        // A message starts: a compressed one is held from its prefix on, the bytes before it go on.
        compressed = chunk.getByte(i) == 1;
        if (compressed) out = append(out == null ? Buffer.buffer() : out, chunk.slice(run, i));
      }
      head[headBytes++] = chunk.getByte(i++);
      if (compressed) {
        run = i;
        if (out == null) out = Buffer.buffer();
      }
      if (headBytes == head.length) {
        headBytes = 0;
        header();
        if (!refused && remaining == 0) out = append(out, completed());
      }
    }
    if (refused) return;
    if (out == null) {
      data.handle(chunk);
      return;
    }
    out.appendBuffer(chunk.slice(run, n));
    if (out.length() > 0) data.handle(out);
  }

  private static Buffer append(Buffer out, Buffer more) {
    if (more == null) return out;
    return out == null ? more : out.appendBuffer(more);
  }

  /** One message's prefix, complete: its flags and length. */
  private void header() {
    int flags = head[0] & 0xff;
    length = ((head[1] & 0xffL) << 24) | ((head[2] & 0xffL) << 16) | ((head[3] & 0xffL) << 8) | (head[4] & 0xffL);
    messages++;
    if ((flags & 0xfe) != 0) {
      refuse(GrpcStatus.INTERNAL, String.format("a message's flags byte must be 0, or 1 for compressed; it was 0x%02x", flags));
    } else if (flags == 1 && encoding == null) {
      refuse(GrpcStatus.INTERNAL, "compressed flag set without grpc-encoding");
    } else if (flags == 1 && !SUPPORTED_ENCODINGS.equals(encoding)) {
      refuse(GrpcStatus.UNIMPLEMENTED, "grpc-encoding '" + shorten(encoding) + "' is not supported; send gzip or identity");
    } else if (length > maxBytes) {
      refuse(GrpcStatus.RESOURCE_EXHAUSTED, tooLarge.getMessage());
    } else if (unary && messages > 1) {
      refuse(GrpcStatus.INTERNAL, "a unary call takes one request message; a second one came");
    } else {
      remaining = length;
      // A compressed message is kept to be decompressed here; an empty one always parses. Grown as
      // bytes come, not sized from a prefix a client chose (up to an upload's limit).
      message = compressed || parser != null && length > 0 ? new ByteArrayOutputStream((int) Math.min(length, 1 << 16))
          : null;
    }
  }

  /**
   * A message is complete: one checked here ({@link #parser}) that does not parse is refused, not passed
   * on; a compressed one is decompressed here and returned framed as an uncompressed message, for
   * vertx-grpc, whose own gzip decoding resets the stream (RST_STREAM CANCEL, no status) on a message
   * that is not gzip or decompresses to nothing (found by FuzzRunIT: Upload with grpc-encoding gzip),
   * and has no limit on what a message decompresses to. Null when there is nothing to pass on.
   */
  private Buffer completed() {
    if (message == null) return null;
    byte[] bytes = message.toByteArray();
    message = null;
    boolean gzip = compressed;
    compressed = false;
    if (gzip) {
      bytes = gunzip(bytes);
      if (bytes == null) return null;
    }
    if (parser != null && bytes.length > 0) {
      try {
        parser.parseFrom(bytes);
      } catch (InvalidProtocolBufferException e) {
        refuse(GrpcStatus.INTERNAL, "the request is not one " + messageType + " message");
        return null;
      }
    }
    if (!gzip) return null; // it went on as it came
    return Buffer.buffer(5 + bytes.length).appendByte((byte) 0).appendInt(bytes.length).appendBytes(bytes);
  }

  /**
   * A gzip message's bytes, decompressed, at most {@link #maxBytes} (the method's limit applies to a
   * message as the handler gets it, as in gRPC's own servers); null, refused, when it is not gzip or
   * decompresses to more.
   */
  private byte[] gunzip(byte[] gzip) {
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      for (int read; (read = in.read(buffer)) > 0; ) {
        if (plain.size() + (long) read > maxBytes) {
          refuse(GrpcStatus.RESOURCE_EXHAUSTED, tooLarge.getMessage() + ", decompressed");
          return null;
        }
        plain.write(buffer, 0, read);
      }
    } catch (IOException e) {
      refuse(GrpcStatus.INTERNAL, "a message with the compressed flag is not gzip data");
      return null;
    }
    return plain.toByteArray();
  }

  private void ended() {
    if (refused) return;
    if (headBytes > 0) {
      refuse(GrpcStatus.INTERNAL, "the request ended inside a message's 5-byte prefix");
    } else if (remaining > 0) {
      refuse(GrpcStatus.INTERNAL, "the request ended inside a message: its prefix says " + length + " bytes, "
          + (length - remaining) + " came");
    } else if (unary && messages == 0 && answer == null) {
      // A service bound in vertx-grpc (health) waits for its one message and would never answer a
      // call that ends without one (found by NodeFuzzIT: the stream stayed open until the client gave up).
      refuse(GrpcStatus.INTERNAL, "the call takes one request message; it ended without one");
    } else {
      end.handle(null);
    }
  }

  private void refuse(GrpcStatus status, String message) {
    refused = true;
    log.debug("refused gRPC call {}: {}", path(), message);
    HttpServerResponse response = response();
    if (answer != null) {
      if (!response.ended()) answer.accept(status, message);
      // vertx-grpc's side of the call ends as a client's cancel does: handlers let go, write nothing more.
      if (error != null) error.handle(new VertxException("the request's gRPC framing was refused", true));
    } else if (!response.headWritten()) {
      // A service bound in vertx-grpc (health, reflection): answered here, trailers-only, and its
      // handler hears nothing more, so it cannot write after the end.
      trailersOnly(this, status, message);
    } else if (!response.ended()) {
      response.putTrailer("grpc-status", Integer.toString(status.code))
          .putTrailer("grpc-message", GrpcMessages.encode(message)).end();
    }
  }

  /** Ends a call that sent no message yet with {@code status}: the status in the headers (gRPC's "trailers-only"). */
  static void trailersOnly(HttpServerRequest request, GrpcStatus status, String message) {
    request.response().setStatusCode(200).putHeader("content-type", String.valueOf(request.getHeader("content-type")))
        .putHeader("grpc-status", Integer.toString(status.code))
        .putHeader("grpc-message", GrpcMessages.encode(message)).end();
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
