package dev.hearth.kernel.fuzz;

import dev.hearth.testkit.Await;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hearth.kernel.errors.GrpcMessages;
import dev.hearth.testkit.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * gRPC over HTTP/2 cleartext from outside, below any gRPC library: each input is a method path
 * ({@code /hearth.auth.v1.AuthService/LogIn}), header lines, a blank line, then the request body as
 * raw bytes — length-prefixed messages with whatever flags, lengths and bytes the fuzzer makes. Every
 * call must end with a {@code grpc-status} whose message names no Java class, and nothing may be
 * logged at ERROR (vertx-grpc's deframer threw on some framing before the node checked it first).
 */
@ExtendWith(Fuzzing.Shared.class)
class GrpcFramesFuzzIT {

  private static final Set<String> OWN_HEADERS = Set.of("content-length", "transfer-encoding", "connection", "upgrade",
      "keep-alive", "te", "host");
  private static final String LOG_IN = "/hearth.auth.v1.AuthService/LogIn";

  static TestNode node;
  static Fuzzing.Target target;
  static Fuzzing.Tenant tenant;
  static Fuzzing.ErrorLog errors;
  static HttpClient client;
  static final Map<String, AtomicLong> statuses = new TreeMap<>();
  static long started;

  @BeforeAll
  static void start(Fuzzing.Target shared) {
    target = shared;
    node = shared.node();
    tenant = shared.tenant();
    errors = shared.errors();
    client = node.vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(node.port()));
    started = System.nanoTime();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      long cases = statuses.values().stream().mapToLong(AtomicLong::get).sum();
      System.out.printf("GrpcFramesFuzzIT: %d calls in %.1f s, answers by grpc-status (or HTTP status) %s%n", cases,
          (System.nanoTime() - started) / 1e9, statuses);
      assertThat(target.health()).as("the node is healthy after the run").isEqualTo(200);
    } finally {
      if (client != null) Await.await(client.close());
    }
  }

  /** What came back: the HTTP status, headers and trailers together, and the body. */
  record Answer(int status, MultiMap headers, Buffer body) {
    String grpcStatus() {
      return headers.get("grpc-status");
    }

    String grpcMessage() {
      return GrpcMessages.decode(headers.get("grpc-message"));
    }
  }

  static Answer call(String path, MultiMap headers, byte[] body) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path).setHeaders(headers);
    return Await.await(client.request(options).compose(req -> req.send(Buffer.buffer(body))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(),
            MultiMap.caseInsensitiveMultiMap().addAll(resp.headers()).addAll(resp.trailers()), b)))), 20);
  }

  @FuzzTest(maxDuration = "2m")
  void grpcFrames(byte[] input) {
    try (SilentCloseable network = Fuzzing.allowNetwork()) {
      byte[] filled = tenant.fill(input);
      Fuzzing.Parts parts = Fuzzing.Parts.of(filled);
      String path = parts.head().get(0).trim().replaceAll("[^\\x21-\\x7e]", "");
      if (!path.startsWith("/")) path = "/" + path;
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      for (String h : parts.head().subList(1, parts.head().size())) {
        int colon = h.indexOf(':');
        if (colon <= 0) continue;
        String name = h.substring(0, colon).trim().toLowerCase();
        String value = h.substring(colon + 1).trim();
        if (!name.matches("[a-z0-9!#$%&'*+.^_`|~-]{1,64}") || OWN_HEADERS.contains(name)
            || !value.matches("[\\x20-\\x7e]*")) {
          continue;
        }
        headers.add(name, value);
      }
      if (!headers.contains("content-type")) headers.set("content-type", "application/grpc");
      headers.set("te", "trailers");
      String show = new String(filled, StandardCharsets.ISO_8859_1);
      int mark = errors.size();
      Answer a = call(path, headers, parts.body());
      boolean grpc = String.valueOf(a.headers().get("content-type")).startsWith("application/grpc");
      String key = grpc ? "grpc-status " + a.grpcStatus() : "HTTP " + a.status();
      statuses.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
      assertThat(a.status()).as("the HTTP status of %s", show).isLessThan(500);
      if (grpc && a.status() == 200) assertThat(a.grpcStatus()).as("the grpc-status of %s", show).isNotNull();
      String message = String.valueOf(a.grpcMessage()) + " " + (grpc ? "" : a.body().toString(StandardCharsets.UTF_8));
      assertThat(Fuzzing.internals(message, filled)).as("an internal name in %s after %s", message, show).isNull();
      assertThat(errors.size()).as("ERROR lines after %s:%n%s", show, errors.since(mark)).isEqualTo(mark);
    }
  }

  private static MultiMap grpcHeaders() {
    return MultiMap.caseInsensitiveMultiMap().add("content-type", "application/grpc").add("te", "trailers");
  }

  private void assertAnswered(Answer a, int status, String message, int mark) {
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.grpcStatus()).isEqualTo(Integer.toString(status));
    assertThat(a.grpcMessage()).contains(message);
    assertThat(errors.size()).as("ERROR lines:%n%s", errors.since(mark)).isEqualTo(mark);
  }

  @Test
  void theCompressedFlagWithoutGrpcEncodingIsInternal_notAnErrorLogAndNoAnswer() {
    int mark = errors.size();
    Answer a = call(LOG_IN, grpcHeaders(), new byte[] {1, 0, 0, 0, 2, 0x0a, 0x00});
    assertAnswered(a, 13, "compressed flag set without grpc-encoding", mark);
  }

  @Test
  void aLengthPrefixOverTheLimitIsResourceExhausted_fromThePrefixAlone() {
    int mark = errors.size();
    Answer a = call(LOG_IN, grpcHeaders(), new byte[] {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
    assertAnswered(a, 8, "request message", mark);
  }

  @Test
  void aRequestThatEndsInsideAMessageIsInternal() {
    int mark = errors.size();
    assertAnswered(call(LOG_IN, grpcHeaders(), new byte[] {0, 0, 0, 0, 100, 0x0a, 0x00}), 13, "100 bytes, 2 came", mark);
    assertAnswered(call(LOG_IN, grpcHeaders(), new byte[] {0, 0, 0}), 13, "5-byte prefix", mark);
  }

  @Test
  void reservedFlagBitsAndAnUnsupportedEncodingAreRefused() {
    int mark = errors.size();
    assertAnswered(call(LOG_IN, grpcHeaders(), new byte[] {4, 0, 0, 0, 0}), 13, "flags byte", mark);
    assertAnswered(call(LOG_IN, grpcHeaders().add("grpc-encoding", "snappy"), new byte[] {1, 0, 0, 0, 1, 0}), 12,
        "snappy", mark);
  }

  @Test
  void aWellFramedCallIsStillServed() {
    // LogIn with an empty request: the handler's own answer (a field is missing), not the guard's.
    Answer a = call(LOG_IN, grpcHeaders(), new byte[] {0, 0, 0, 0, 0});
    assertThat(a.grpcStatus()).isEqualTo("3");
    assertThat(a.headers().get("hearth-field")).isNotNull();
  }
}
