package dev.hearth.kernel.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * gRPC over HTTP/2 cleartext from outside, below any gRPC library, fuzzed ({@link GrpcProbe}): each
 * input is one call — a method path, header lines, a blank line, then raw length-prefixed messages
 * with whatever flags, lengths and bytes the fuzzer makes. Every call must end with a
 * {@code grpc-status} whose message names no Java class, and nothing may be logged at ERROR
 * (vertx-grpc's deframer threw on some framing before the node checked it first). The tests below
 * pin the framing guard's answers.
 */
@ExtendWith(Fuzzing.Shared.class)
class GrpcFramesFuzzIT {

  private static final String LOG_IN = "/hearth.auth.v1.AuthService/LogIn";

  static Fuzzing.Target target;
  static Fuzzing.ErrorLog errors;
  static GrpcProbe probe;
  static final Tally tally = new Tally("GrpcFramesFuzzIT");

  @BeforeAll
  static void start(Fuzzing.Target shared) {
    target = shared;
    errors = shared.errors();
    probe = new GrpcProbe(shared);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      tally.report();
      assertThat(target.health()).as("the node is healthy after the run").isEqualTo(200);
    } finally {
      if (probe != null) probe.close();
    }
  }

  static GrpcProbe.Answer call(String path, MultiMap headers, byte[] body) {
    return probe.call(path, headers, body);
  }

  @FuzzTest(maxDuration = "2m")
  void grpcFrames(byte[] input) {
    try (SilentCloseable network = Fuzzing.allowNetwork()) {
      probe.check(input).forEach(status -> tally.count("grpc", status));
    }
  }

  private static MultiMap grpcHeaders() {
    return MultiMap.caseInsensitiveMultiMap().add("content-type", "application/grpc").add("te", "trailers");
  }

  private void assertAnswered(GrpcProbe.Answer a, int status, String message, int mark) {
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.grpcStatus()).isEqualTo(Integer.toString(status));
    assertThat(a.grpcMessage()).contains(message);
    assertThat(errors.size()).as("ERROR lines:%n%s", errors.since(mark)).isEqualTo(mark);
  }

  @Test
  void theCompressedFlagWithoutGrpcEncodingIsInternal_notAnErrorLogAndNoAnswer() {
    int mark = errors.size();
    GrpcProbe.Answer a = call(LOG_IN, grpcHeaders(), new byte[] {1, 0, 0, 0, 2, 0x0a, 0x00});
    assertAnswered(a, 13, "compressed flag set without grpc-encoding", mark);
  }

  @Test
  void theCompressedFlagWithoutGrpcEncodingInAGrpcWebTextCallOverHttp2IsInternal_notAnErrorLogAndNoAnswer() {
    // Found by FuzzRunIT: over HTTP/2 vertx-grpc reads a gRPC-Web text body as binary frames, and the
    // guard, which left every gRPC-Web text call alone, did not see it ("Handle me" at ERROR, no answer).
    int mark = errors.size();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/grpc-web-text")
        .add("te", "trailers");
    GrpcProbe.Answer a = call(LOG_IN, headers, new byte[] {1, 0, 0, 0, 2, 0x0a, 0x00});
    assertAnswered(a, 13, "compressed flag set without grpc-encoding", mark);
  }

  @Test
  void aLengthPrefixOverTheLimitIsResourceExhausted_fromThePrefixAlone() {
    int mark = errors.size();
    GrpcProbe.Answer a = call(LOG_IN, grpcHeaders(), new byte[] {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
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
  void aHealthCheckThatEndsWithoutItsMessageIsAnswered_notLeftOpen() {
    // Found by NodeFuzzIT: vertx-grpc's health service waited for a message that never came.
    int mark = errors.size();
    assertAnswered(call("/grpc.health.v1.Health/Check", grpcHeaders(), new byte[0]), 13, "ended without one", mark);
    GrpcProbe.Answer served = call("/grpc.health.v1.Health/Check", grpcHeaders(), new byte[] {0, 0, 0, 0, 0});
    assertThat(served.grpcStatus()).isEqualTo("0");
  }

  @Test
  void aHealthCheckWhoseMessageIsNotProtobufIsAnswered_notReset() {
    // Found by FuzzRunIT: vertx-grpc's health service reset such a stream (CANCEL); a few hundred on one
    // connection tripped Netty's RST-flood limit, which closed it and logged at ERROR.
    int mark = errors.size();
    byte[] notProtobuf = {0, 0, 0, 0, 3, 0x0a, 0x01, (byte) 0xff};
    for (int i = 0; i < 300; i++) {
      GrpcProbe.Answer a = call("/grpc.health.v1.Health/Check", grpcHeaders(), notProtobuf);
      assertAnswered(a, 13, "not one grpc.health.v1.HealthCheckRequest message", mark);
    }
  }

  @Test
  void aWellFramedCallIsStillServed() {
    // LogIn with an empty request: the handler's own answer (a field is missing), not the guard's.
    GrpcProbe.Answer a = call(LOG_IN, grpcHeaders(), new byte[] {0, 0, 0, 0, 0});
    assertThat(a.grpcStatus()).isEqualTo("3");
    assertThat(a.headers().get("hearth-field")).isNotNull();
  }
}
