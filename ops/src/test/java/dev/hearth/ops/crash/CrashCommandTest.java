package dev.hearth.ops.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.ops.OpsMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CrashCommandTest {

  @TempDir Path dir;

  @Test
  void help_names_the_options() {
    StringWriter out = new StringWriter();
    int status = new CommandLine(new OpsMain()).setOut(new PrintWriter(out)).execute("crash", "--help");
    assertThat(status).isZero();
    assertThat(out.toString()).contains("--cycles", "--dir", "--writers", "--seed", "--min-ms", "--max-ms", "--json");
  }

  @Test
  void refuses_a_directory_that_is_not_empty() throws Exception {
    Files.writeString(dir.resolve("something"), "x");
    StringWriter err = new StringWriter();
    int status = new CommandLine(new CrashCommand()).setErr(new PrintWriter(err))
        .execute("--cycles", "1", "--dir", dir.toString());
    assertThat(status).isNotZero();
    assertThat(err.toString()).contains("not empty");
  }
}
