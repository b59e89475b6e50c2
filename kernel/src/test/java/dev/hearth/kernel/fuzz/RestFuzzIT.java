package dev.hearth.kernel.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * REST from outside, fuzzed ({@link RestProbe}): each input is up to eight HTTP/1.1 requests,
 * pipelined on a kept-alive raw connection to the shared node, which must answer each below 500
 * with no Java class or exception name and log nothing at ERROR. The seeds (the cases) are in {@code RestFuzzITInputs/}.
 */
@ExtendWith(Fuzzing.Shared.class)
class RestFuzzIT {

  static Fuzzing.Target target;
  static RestProbe probe;
  static final Tally tally = new Tally("RestFuzzIT");

  @BeforeAll
  static void start(Fuzzing.Target shared) {
    target = shared;
    probe = new RestProbe(shared);
  }

  @AfterAll
  static void stop() throws Exception {
    tally.report();
    if (probe != null) probe.close();
    assertThat(target.health()).as("the node is healthy after the run").isEqualTo(200);
  }

  @FuzzTest(maxDuration = "2m")
  void restRequest(byte[] input) throws IOException {
    try (SilentCloseable network = Fuzzing.allowNetwork()) {
      probe.check(input).forEach(status -> tally.count("rest", status));
    }
  }
}
