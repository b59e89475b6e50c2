package dev.hearth.kernel.fuzz;

import static dev.hearth.testkit.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.errors.GrpcMessages;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.atomic.AtomicReference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * gRPC calls whose request is still open when the node has an answer: the client sends the headers
 * and a message, without END_STREAM, waits until the call ends (trailers, or a reset) and only then
 * ends its request — what a loaded client does when its DATA and END_STREAM go out apart. Every such
 * call must end with a status, never RST_STREAM: vertx-grpc decompressed a message with the compressed
 * flag itself and, when it was not gzip, cancelled the call (RST_STREAM CANCEL, no status) as soon as
 * the request had not ended yet (found by FuzzRunIT on Upload, whose stream the node serves by hand).
 */
@ExtendWith(Fuzzing.Shared.class)
class HalfClosedCallIT {

  private static final String UPLOAD = "/hearth.files.v1.FileTransferService/Upload";
  private static final String DOWNLOAD = "/hearth.files.v1.FileTransferService/Download";
  private static final String SUBSCRIBE = "/hearth.realtime.v1.RealtimeService/Subscribe";
  private static final String LOG_IN = "/hearth.auth.v1.AuthService/LogIn";
  /** The finding's message: the compressed flag, 4 bytes that are not gzip. */
  private static final byte[] NOT_GZIP = {1, 0, 0, 0, 4, 0x1a, 0x02, (byte) 0xc0, (byte) 0x80};

  private Fuzzing.Target target;

  @BeforeEach
  void start(Fuzzing.Target shared) {
    target = shared;
  }

  /**
   * A client of its own for one call, so each call is on a connection of its own and what one
   * call leaves (a stream the node reset, a request ended late) cannot hold up the next.
   */
  private HttpClient client() {
    return target.node().vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(target.node().port()));
  }

  /** How a call ended: its headers and trailers together, or the reset (or other failure) instead. */
  record Ending(MultiMap headers, Throwable failure) {
    String status() {
      return headers == null ? null : headers.get("grpc-status");
    }

    String message() {
      return headers == null ? null : GrpcMessages.decode(headers.get("grpc-message"));
    }
  }

  /**
   * Sends the headers and {@code body} without ending the request, waits (10 s at most) until the
   * call ends, then ends the request; returns how the call ended.
   */
  private Ending beforeTheEnd(String path, String contentType, String encoding, byte[] body) {
    HttpClient client = client();
    try {
      HttpClientRequest request = await(client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path)));
      Promise<Ending> ended = Promise.promise();
      request.exceptionHandler(e -> ended.tryComplete(new Ending(null, e)));
      request.response().onSuccess(r -> {
        MultiMap all = MultiMap.caseInsensitiveMultiMap().addAll(r.headers());
        r.exceptionHandler(e -> ended.tryComplete(new Ending(null, e)));
        r.endHandler(v -> ended.tryComplete(new Ending(all.addAll(r.trailers()), null)));
      });
      request.setChunked(true).putHeader("content-type", contentType).putHeader("te", "trailers");
      if (encoding != null) request.putHeader("grpc-encoding", encoding);
      await(request.write(Buffer.buffer(body)));
      Ending ending;
      try {
        ending = await(ended.future(), 10);
      } catch (IllegalStateException timedOut) {
        ending = new Ending(null, new IllegalStateException("no answer within 10 s on " + stream(request)
            + " of a connection of its own", timedOut));
      }
      request.end(); // the call is over either way: what becomes of the request's end is not the point
      return ending;
    } finally {
      client.close();
    }
  }

  /** A whole call at once (a unary method answers once the request ended); how it ended. */
  private Ending atOnce(String path, String encoding, byte[] body) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
        .putHeader("content-type", "application/grpc").putHeader("te", "trailers");
    if (encoding != null) options.putHeader("grpc-encoding", encoding);
    HttpClient client = client();
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    // Chained on one event loop: from the test's thread, reading the body could come after Vert.x
    // delivered it and the call would never complete (see GrpcProbe#send).
    Promise<Ending> ended = Promise.promise();
    target.node().vertx.getOrCreateContext().runOnContext(v -> client.request(options).compose(req -> {
      sent.set(req);
      return req.send(Buffer.buffer(body));
    }).compose(r -> r.body().map(b -> MultiMap.caseInsensitiveMultiMap().addAll(r.headers()).addAll(r.trailers())))
        .map(h -> new Ending(h, null)).otherwise(e -> new Ending(null, e)).onComplete(ended));
    try {
      return await(ended.future(), 20);
    } catch (IllegalStateException timedOut) {
      return new Ending(null, new IllegalStateException("no answer within 20 s on " + stream(sent.get())
          + " of a connection of its own", timedOut));
    } finally {
      client.close();
    }
  }

  /** Which stream a request went out on, for a failure message: none when it got no connection or stream. */
  private static String stream(HttpClientRequest request) {
    if (request == null) return "no request (no connection)";
    try {
      return "stream " + request.streamId();
    } catch (RuntimeException notYet) {
      return "a request that got no stream";
    }
  }

  private void assertStatus(Ending e, String status, String message) {
    assertThat(e.failure()).as("how the call ended").isNull();
    assertThat(e.status()).as("grpc-status").isEqualTo(status);
    assertThat(e.message()).as("grpc-message").contains(message);
  }

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] framed(int flags, byte[] message) {
    return Buffer.buffer().appendByte((byte) flags).appendInt(message.length).appendBytes(message).getBytes();
  }

  @Test
  void anUploadWhoseCompressedMessageIsNotGzipEndsWithInternal_notAResetStream() {
    int mark = target.errors().size();
    assertStatus(beforeTheEnd(UPLOAD, "application/grpc", "gzip", NOT_GZIP), "13", "not gzip");
    // gRPC-Web over HTTP/2 goes the same way.
    assertStatus(beforeTheEnd(UPLOAD, "application/grpc-web", "gzip", NOT_GZIP), "13", "not gzip");
    // Sent at once (END_STREAM with the message) it was reset as well, every time: the handler of a
    // stream gets the message before the request's end is read.
    assertStatus(atOnce(UPLOAD, "gzip", NOT_GZIP), "13", "not gzip");
    // And without grpc-encoding, as the finding was kept (the harness did not record its headers).
    assertStatus(beforeTheEnd(UPLOAD, "application/grpc", null, NOT_GZIP), "13", "without grpc-encoding");
    assertThat(target.errors().size()).as("ERROR lines:%n%s", target.errors().since(mark)).isEqualTo(mark);
  }

  @Test
  void theOtherHandServedStreamsAnswerAMessageThatIsNotGzipBeforeTheRequestEnds() {
    int mark = target.errors().size();
    // Download and Subscribe take one message and answer once the request ends; a bad one is refused at once.
    assertStatus(beforeTheEnd(DOWNLOAD, "application/grpc", "gzip", NOT_GZIP), "13", "not gzip");
    assertStatus(beforeTheEnd(SUBSCRIBE, "application/grpc", "gzip", NOT_GZIP), "13", "not gzip");
    assertStatus(beforeTheEnd(DOWNLOAD, "application/grpc-web", "gzip", NOT_GZIP), "13", "not gzip");
    assertThat(target.errors().size()).as("ERROR lines:%n%s", target.errors().since(mark)).isEqualTo(mark);
  }

  @Test
  void aGzipMessageThatDecompressesToNothingIsAnEmptyMessage_notAResetStream() {
    // vertx-grpc took gzip that decompresses to no bytes for invalid input and reset the stream. An empty
    // UploadRequest from a caller without credentials: the upload's own answer.
    Ending e = beforeTheEnd(UPLOAD, "application/grpc", "gzip", framed(1, gzip(new byte[0])));
    assertThat(e.failure()).as("how the call ended").isNull();
    assertThat(e.status()).isIn("3", "16");
  }

  @Test
  void aGzipMessageIsServedAsTheSameMessageUncompressed() {
    // LogIn with an email and no password: the handler's own answer, naming the field.
    byte[] logIn = {0x0a, 0x0b, 'a', '@', 'f', 'u', 'z', 'z', '.', 't', 'e', 's', 't'};
    Ending plain = atOnce(LOG_IN, null, framed(0, logIn));
    Ending zipped = atOnce(LOG_IN, "gzip", framed(1, gzip(logIn)));
    assertThat(plain.status()).isEqualTo("3");
    assertThat(zipped.failure()).isNull();
    assertThat(zipped.status()).isEqualTo(plain.status());
    assertThat(zipped.message()).isEqualTo(plain.message());
    assertThat(zipped.headers().get("hearth-field")).isEqualTo(plain.headers().get("hearth-field")).isNotNull();
    // A health check in gzip, whose message the guard parses before vertx-grpc's health service sees it.
    assertThat(atOnce("/grpc.health.v1.Health/Check", "gzip", framed(1, gzip(new byte[0]))).status()).isEqualTo("0");
  }

  @Test
  void aGzipMessageThatDecompressesToMoreThanTheLimitIsResourceExhausted() {
    // 2 MiB of zeros, a few KiB in gzip: over the node's 1 MiB limit once decompressed.
    byte[] bomb = gzip(new byte[2 << 20]);
    assertThat(bomb.length).isLessThan(64 << 10);
    assertStatus(beforeTheEnd(LOG_IN, "application/grpc", "gzip", framed(1, bomb)), "8", "decompressed");
  }
}
