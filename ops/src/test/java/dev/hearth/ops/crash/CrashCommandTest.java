package dev.hearth.ops.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.ops.OpsMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code hearth crash} refuses bad settings with exit 2 and a message naming the option, not a record's dump. */
class CrashCommandTest {

  @Test
  void killShares_overAHundred_areRefusedByName() {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new OpsMain()).setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
        .execute("crash", "--checkpoint-kill-pct", "100");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--checkpoint-kill-pct plus --segment-kill-pct must be at most 100 (they are 100 + 33")
        .doesNotContain("CrashConfig");
  }

  @Test
  void aMaxBelowTheMin_isRefusedByName() {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new OpsMain()).setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
        .execute("crash", "--min-ms", "500", "--max-ms", "100");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--max-ms must be at least --min-ms (500)");
  }
}
