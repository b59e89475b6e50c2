package dev.hearth.ops.bench.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.ops.OpsMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hearth bench history} with tiny settings (its own node, the built chat jar): a smoke test, not a measurement. */
class HistoryBenchIT {

  @TempDir Path tmp;

  @Test
  void aTinyRun_seedsBothChannels_readsFullPagesOfEach_andPrintsTheRatio() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new OpsMain()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("bench", "history", "--sizes", "500,2000", "--limit", "10", "--pages", "5", "--warmup-pages", "1",
            "--dir", tmp.toString());
    // Exit 1 only for the ratio: how fast a shared machine reads is the benchmark's output, not the test's.
    assertThat(code).as("exit code; stderr:%n%s", err).isIn(0, 1);
    if (code == 1) assertThat(err.toString()).contains("the goal is");
    // The seeded messages are what chat reads: every page call checks it got a full page.
    assertThat(err.toString()).contains("seed: 2,000 messages").contains("folded the seeded messages");
    assertThat(out.toString()).contains("500 ").contains("2,000 ").contains("newest").contains("deep")
        .contains("2,000 vs 500 messages, p50 ratio");
  }
}
