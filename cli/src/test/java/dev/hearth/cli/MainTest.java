package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI's contract without a node: help, usage errors (exit 2), "no node running" (exit 3). */
class MainTest {

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    // An empty config dir: a profile of the person running the tests must not turn typos into API calls.
    Map<String, String> hermetic = new HashMap<>(env);
    hermetic.putIfAbsent("HEARTH_CONFIG_DIR", tmp.resolve("config").toString());
    CommandLine cl = Main.commandLine(hermetic);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  @Test
  void help_exitsZeroAndListsTheCommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("serve", "keys");
  }

  @Test
  void everyCommand_hasHelp() {
    for (String[] args : new String[][] {
        {"serve", "--help"}, {"keys", "--help"}, {"keys", "status", "--help"}, {"keys", "rotate", "--help"}}) {
      assertThat(run(args)).as(String.join(" ", args)).isZero();
    }
    assertThat(out.toString()).contains("--port", "--master-key-file", "--data", "--store");
  }

  @Test
  void noCommand_printsUsageAndExitsTwo() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: hearth");
  }

  @Test
  void misspelledCommand_exitsTwoWithASuggestion() {
    assertThat(run("serv")).isEqualTo(2);
    assertThat(err.toString()).contains("serve");
  }

  @Test
  void portThatIsNotANumber_exitsTwoNamingTheFlag() {
    assertThat(run("serve", "--port", "abc")).isEqualTo(2);
    assertThat(err.toString()).contains("--port").doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void portOutOfRange_exitsTwoNamingTheFlagWithoutStackTrace() {
    assertThat(run("serve", "--port", "70000", "--data", tmp.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--port: 70000").doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void badEnvironmentValue_exitsTwoNamingTheVariable() {
    assertThat(run(Map.of("HEARTH_PORT", "eighty"), "serve")).isEqualTo(2);
    assertThat(err.toString()).contains("HEARTH_PORT");
  }

  @Test
  void keysStatus_withoutRunFiles_exitsThreeSayingNoNodeRuns() {
    assertThat(run("keys", "status", "--data", tmp.toString())).isEqualTo(3);
    assertThat(err.toString()).contains("no node is running");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void keysRotate_withRunFileOfADeadProcess_exitsThree() throws IOException {
    Files.createDirectories(tmp.resolve("run"));
    Files.writeString(tmp.resolve("run/node.json"),
        new JsonObject().put("pid", Long.MAX_VALUE).put("host", "0.0.0.0").put("port", 1).encode());
    Files.writeString(tmp.resolve("run/admin.token"), "t");
    assertThat(run(Map.of("HEARTH_DATA", tmp.toString()), "keys", "rotate")).isEqualTo(3);
    assertThat(err.toString()).contains("which is gone");
  }
}
