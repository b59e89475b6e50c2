package dev.hearth.kernel.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The realtime WebSocket from outside, fuzzed ({@link RealtimeProbe}): each input is a few messages
 * (text, binary, fragmented, ping) on a fresh connection to the shared node. Each must get an answer
 * or a close with a code, never a drop; nothing is logged at ERROR. Seeds: {@code RealtimeFuzzITInputs/}.
 */
@ExtendWith(Fuzzing.Shared.class)
class RealtimeFuzzIT {

  static Fuzzing.Target target;
  static RealtimeProbe probe;
  static final Tally tally = new Tally("RealtimeFuzzIT");

  @BeforeAll
  static void start(Fuzzing.Target shared) {
    target = shared;
    probe = new RealtimeProbe(shared);
  }

  @AfterAll
  static void stop() throws Exception {
    tally.report();
    assertThat(target.health()).as("the node is healthy after the run").isEqualTo(200);
  }

  @FuzzTest(maxDuration = "2m")
  void realtimeFrames(byte[] input) throws IOException {
    try (SilentCloseable network = Fuzzing.allowNetwork()) {
      tally.count("realtime", probe.check(input));
    }
  }
}
