package dev.hearth.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.config.RunFiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearth serve} as a real child JVM, the way bin/hearth runs it: one node for the class (JVMs
 * are slow to start on two cores), asked over HTTP and through {@code hearth keys}, then stopped with
 * SIGTERM in the last test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeProcessIT {

  @TempDir static Path tmp;

  private static Process serve;
  private static RunFiles runFiles;
  private static int port;

  private static ProcessBuilder hearth(String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        // C1 only and the serial collector, as cluster-nats' ChildJvm: a start is mostly class loading and
        // first runs of code, which C2's compile threads slow down on two shared cores.
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), "dev.hearth.cli.Main"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  @BeforeAll
  static void startServe() throws Exception {
    Path data = tmp.resolve("data");
    serve = hearth("serve", "--port", "0", "--host", "127.0.0.1", "--data", data.toString(),
            "--master-key-file", tmp.resolve("k").toString())
        .redirectOutput(tmp.resolve("serve.out").toFile())
        .redirectError(tmp.resolve("serve.err").toFile())
        .start();
    runFiles = new RunFiles(data);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.exists(runFiles.nodeFile())) {
      assertThat(serve.isAlive()).as("serve exited early:\n%s", logs()).isTrue();
      assertThat(System.nanoTime()).as("no run/node.json after 90 s:\n%s", logs()).isLessThan(deadline);
      Thread.sleep(100);
    }
    port = runFiles.read().orElseThrow().port();
  }

  @AfterAll
  static void killLeftovers() {
    if (serve != null && serve.isAlive()) serve.destroyForcibly();
  }

  private static String logs() throws IOException {
    return Files.readString(tmp.resolve("serve.out")) + Files.readString(tmp.resolve("serve.err"));
  }

  @Test
  @Order(1)
  void servedNode_answersHealth200() throws Exception {
    assertThat(TestHttp.get(port, "/health").statusCode()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void servedNode_logsJsonLinesOnStdout_includingItsUrlAndTheNewMasterKey() throws Exception {
    List<String> lines = Files.readAllLines(tmp.resolve("serve.out"));
    assertThat(lines).isNotEmpty().allSatisfy(line -> new JsonObject(line));
    assertThat(lines).anySatisfy(line -> assertThat(new JsonObject(line).getString("message"))
        .contains("serving on http://127.0.0.1:" + port));
    assertThat(lines).anySatisfy(line -> assertThat(new JsonObject(line).getString("message"))
        .contains("created a new master key at " + tmp.resolve("k").toAbsolutePath()));
    assertThat(String.join("\n", lines)).doesNotContain(runFiles.readToken());
  }

  @Test
  @Order(3)
  void keysStatus_printsTheRunningNodesKeyStatusAsJson_exitZero() throws Exception {
    Process keys = hearth("keys", "status", "--data", tmp.resolve("data").toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(keys.getInputStream().readAllBytes());
    assertThat(keys.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keys.exitValue()).as(out).isZero();
    assertThat(new JsonArray(out).getJsonObject(0).getString("store")).isEqualTo("kernel");
  }

  @Test
  @Order(4)
  void sigterm_stopsTheNodeCleanly_exitZero_runFilesRemoved() throws Exception {
    serve.destroy(); // SIGTERM on Linux
    assertThat(serve.waitFor(20, TimeUnit.SECONDS)).as("still running 20 s after SIGTERM").isTrue();
    assertThat(serve.exitValue()).as(logs()).isZero();
    assertThat(runFiles.nodeFile()).doesNotExist();
    assertThat(runFiles.tokenFile()).doesNotExist();
    assertThat(logs()).contains("stores closed");
  }
}
