package dev.hearth.kernel.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.io.UncheckedIOException;

/**
 * Every outside surface of one node, fuzzed in one session: the first byte of an input picks the
 * surface — 0 a REST request ({@link RestProbe}), 1 a gRPC call ({@link GrpcProbe}), 2 realtime
 * WebSocket messages ({@link RealtimeProbe}), 3 a user-module definition ({@link DefinitionProbe}) —
 * and the rest is that probe's input. Jazzer fuzzes one {@code @FuzzTest} per JVM, so this is the one
 * a build fuzzes for real: the kernel's {@code node-fuzz} failsafe execution runs it in its own fork
 * with {@code JAZZER_FUZZ=1}, time-boxed, after the ordinary ITs (docs/api.md#fuzzing). It starts from
 * the three suites' seeds and the worked example definition, and prints (and writes under
 * {@code target/fuzz-figures/}) its figures: cases, seconds, outcomes by surface. Any answer of 500 or
 * more, internal name, dropped connection or ERROR line fails it, with the input that did it.
 */
@ExtendWith(Fuzzing.Shared.class)
class NodeFuzzIT {

  static Fuzzing.Target target;
  static RestProbe rest;
  static GrpcProbe grpc;
  static RealtimeProbe realtime;
  static DefinitionProbe definition;
  static final Tally tally = new Tally("NodeFuzzIT");

  @BeforeAll
  static void start(Fuzzing.Target shared) {
    target = shared;
    rest = new RestProbe(shared);
    grpc = new GrpcProbe(shared);
    realtime = new RealtimeProbe(shared);
    definition = new DefinitionProbe(shared, rest);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      tally.report();
      System.out.println("NodeFuzzIT: REST connections opened " + (rest == null ? 0 : rest.connections())
          + ", event-loop blocked warnings " + target.errors().blocked.get());
      assertThat(target.health()).as("the node is healthy after the run").isEqualTo(200);
    } finally {
      if (rest != null) rest.close();
      if (grpc != null) grpc.close();
    }
  }

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "60s")
  void anyInput(byte[] input) throws IOException {
    if (input.length == 0) return;
    byte[] rest = Arrays.copyOfRange(input, 1, input.length);
    try (SilentCloseable network = Fuzzing.allowNetwork()) {
      switch (input[0] & 3) {
        case 0 -> NodeFuzzIT.rest.check(rest).forEach(status -> tally.count("rest", status));
        case 1 -> grpc.check(rest).forEach(status -> tally.count("grpc", status));
        case 2 -> tally.count("realtime", realtime.check(rest));
        default -> tally.count("definition", definition.check(rest));
      }
    }
  }

  /** The three suites' seeds and the definitions' (the worked example among them), each behind its surface's byte. */
  static Stream<Arguments> seeds() throws IOException {
    Path inputs = Path.of("src", "test", "resources", "dev", "hearth", "kernel", "fuzz");
    Path definitions = Path.of("..", "user-modules", "src", "test", "resources", "dev", "hearth", "usermodules",
        "DefinitionFuzzTestInputs", "anyBytes");
    List<Stream<Arguments>> all = List.of(
        seeds(0, inputs.resolve("RestFuzzITInputs/restRequest")),
        seeds(1, inputs.resolve("GrpcFramesFuzzITInputs/grpcFrames")),
        seeds(2, inputs.resolve("RealtimeFuzzITInputs/realtimeFrames")),
        seeds(3, definitions),
        Stream.of(Arguments.of((Object) prefixed(3, Files.readAllBytes(Path.of("..", "docs", "examples", "inventory.json"))))));
    return all.stream().flatMap(s -> s);
  }

  private static Stream<Arguments> seeds(int surface, Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().map(f -> {
        try {
          return Arguments.of((Object) prefixed(surface, Files.readAllBytes(f)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList().stream();
    }
  }

  private static byte[] prefixed(int surface, byte[] input) {
    byte[] out = new byte[input.length + 1];
    out[0] = (byte) surface;
    System.arraycopy(input, 0, out, 1, input.length);
    return out;
  }
}
