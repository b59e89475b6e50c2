package dev.hearth.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.config.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/hearth's class-data sharing for {@code serve}: the first start writes an AppCDS archive when the
 * node stops, the next start loads its classes from it, and an archive the JVM cannot use does not
 * stop a node from starting. Runs the script itself, on the jars this build left in cli/target.
 */
class ServeScriptCdsIT {

  @TempDir Path tmp;

  private Process serve;

  @AfterEach
  void killLeftovers() {
    if (serve != null && serve.isAlive()) serve.destroyForcibly();
  }

  private static Path script() {
    // Failsafe runs in the module's directory: the repository root is its parent.
    Path script = Path.of("").toAbsolutePath().getParent().resolve("bin").resolve("hearth");
    assertThat(script).isExecutable();
    return script;
  }

  /** Starts bin/hearth serve, waits for run/node.json, stops it with SIGTERM; returns its output. */
  private String serveOnce(String name, String javaOpts) throws Exception {
    Path data = tmp.resolve("data-" + name);
    Path out = tmp.resolve(name + ".out");
    ProcessBuilder pb = new ProcessBuilder(List.of(script().toString(), "serve", "--port", "0",
        "--host", "127.0.0.1", "--data", data.toString(), "--master-key-file", tmp.resolve("k").toString()))
        .redirectErrorStream(true).redirectOutput(out.toFile());
    Map<String, String> env = pb.environment();
    env.put("HEARTH_CDS_DIR", tmp.resolve("cds").toString());
    env.put("JAVA_OPTS", javaOpts);
    env.remove("HEARTH_CDS");
    serve = pb.start();
    RunFiles runFiles = new RunFiles(data);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.exists(runFiles.nodeFile())) {
      assertThat(serve.isAlive()).as("serve exited early:\n%s", Files.readString(out)).isTrue();
      assertThat(System.nanoTime()).as("no run/node.json after 180 s:\n%s", Files.readString(out))
          .isLessThan(deadline);
      Thread.sleep(100);
    }
    serve.destroy(); // SIGTERM to the script, which passes it on to the JVM
    assertThat(serve.waitFor(120, TimeUnit.SECONDS)).as("still running 120 s after SIGTERM").isTrue();
    String log = Files.readString(out);
    assertThat(serve.exitValue()).as(log).isZero();
    assertThat(log).contains("node stopped cleanly");
    return log;
  }

  private List<Path> cdsFiles() throws IOException {
    try (Stream<Path> files = Files.list(tmp.resolve("cds"))) {
      return files.sorted().toList();
    }
  }

  @Test
  void firstStartWritesTheArchive_nextStartLoadsClassesFromIt_aBrokenOneIsIgnored() throws Exception {
    serveOnce("first", "-Xmx512m");
    List<Path> archives = cdsFiles();
    assertThat(archives).as("one whole archive, no unfinished one").hasSize(1);
    Path archive = archives.get(0);
    assertThat(archive.getFileName().toString()).startsWith("hearth-serve-").endsWith(".jsa");
    assertThat(Files.size(archive)).isPositive();

    Path classLog = tmp.resolve("classes.log");
    String second = serveOnce("second", "-Xmx512m -Xlog:class+load=info:file=" + classLog);
    assertThat(Files.readString(classLog)).contains("source: shared objects file (top)");
    assertThat(second.lines()).as("stdout and stderr: JSON log lines only")
        .allSatisfy(line -> assertThat(line).startsWith("{"));
    assertThat(cdsFiles()).containsExactly(archive);

    // An archive that is not one (a disk error, someone's edit): the JVM ignores it and starts.
    byte[] junk = new byte[1 << 20];
    new Random(21).nextBytes(junk);
    archive.toFile().setWritable(true);
    Files.write(archive, junk);
    serveOnce("third", "-Xmx512m");
  }
}
