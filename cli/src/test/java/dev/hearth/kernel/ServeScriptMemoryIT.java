package dev.hearth.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.config.RunFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/hearth's memory defaults for {@code serve} (docs/operations.md, "Memory"): the JVM it starts runs
 * with G1's tighter free ratios and periodic collection and with glibc's malloc arenas capped, a
 * {@code -XX:*HeapFreeRatio} of the user's own replaces both of ours (the JVM refuses Min above Max),
 * and the JVM takes them all (the node starts). Reads the running JVM's own command line and
 * environment from /proc.
 */
class ServeScriptMemoryIT {

  @TempDir Path tmp;

  private Process serve;

  @AfterEach
  void stop() throws InterruptedException {
    if (serve != null && serve.isAlive()) {
      serve.destroy();
      if (!serve.waitFor(60, TimeUnit.SECONDS)) serve.destroyForcibly();
    }
  }

  /** The JVM's arguments and environment once the node is up (HEARTH_CDS=off: the script execs the JVM). */
  private record Jvm(List<String> args, List<String> env) {}

  private Jvm serve(String name, String javaOpts) throws Exception {
    Path script = Path.of("").toAbsolutePath().getParent().resolve("bin").resolve("hearth");
    Path data = tmp.resolve("data-" + name);
    Path out = tmp.resolve(name + ".out");
    ProcessBuilder pb = new ProcessBuilder(List.of(script.toString(), "serve", "--port", "0", "--host", "127.0.0.1",
        "--data", data.toString(), "--master-key-file", tmp.resolve("k").toString()))
        .redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("HEARTH_CDS", "off");
    pb.environment().put("JAVA_OPTS", javaOpts);
    pb.environment().remove("MALLOC_ARENA_MAX");
    serve = pb.start();
    RunFiles runFiles = new RunFiles(data);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.exists(runFiles.nodeFile())) {
      assertThat(serve.isAlive()).as("serve exited early:\n%s", Files.readString(out)).isTrue();
      assertThat(System.nanoTime()).as("no run/node.json after 180 s:\n%s", Files.readString(out))
          .isLessThan(deadline);
      Thread.sleep(100);
    }
    Path proc = Path.of("/proc", String.valueOf(serve.pid()));
    Jvm jvm = new Jvm(split(Files.readAllBytes(proc.resolve("cmdline"))), split(Files.readAllBytes(proc.resolve("environ"))));
    serve.destroy();
    assertThat(serve.waitFor(120, TimeUnit.SECONDS)).as("still running 120 s after SIGTERM").isTrue();
    return jvm;
  }

  private static List<String> split(byte[] nulSeparated) {
    return Arrays.asList(new String(nulSeparated, StandardCharsets.UTF_8).split("\0"));
  }

  @Test
  void serveStartsTheJvmWithTheMemoryDefaults_aFreeRatioOfTheUsersReplacesOurs() throws Exception {
    Jvm plain = serve("plain", "-Xmx512m");
    assertThat(plain.args()).contains("-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20",
        "-XX:G1PeriodicGCInterval=60000", "-Xmx512m");
    assertThat(plain.args().indexOf("-XX:G1PeriodicGCInterval=60000")).as("ours before JAVA_OPTS, so the user's win")
        .isLessThan(plain.args().indexOf("-Xmx512m"));
    assertThat(plain.env()).contains("MALLOC_ARENA_MAX=2");

    Jvm own = serve("own", "-Xmx512m -XX:MinHeapFreeRatio=40");
    assertThat(own.args()).contains("-XX:MinHeapFreeRatio=40", "-XX:G1PeriodicGCInterval=60000")
        .doesNotContain("-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20");
  }
}
