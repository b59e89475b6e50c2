package dev.hearth.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.config.IdentityOptions;
import dev.hearth.kernel.config.RunFiles;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node in a process of its own ({@code hearth serve} with this test's class path), so a test can
 * kill it with SIGKILL mid-traffic and start it again on the same data.
 */
final class ProcessNode implements AutoCloseable {

  private final Path dir;
  private final String name;
  private final Path config;
  private Process process;
  TestRest rest;
  int port;

  ProcessNode(Path dir, String name, String natsUrl) throws Exception {
    this.dir = dir;
    this.name = name;
    Files.createDirectories(dir.resolve("plugins"));
    Files.copy(FedNode.chatJar(), dir.resolve("plugins").resolve("chat.jar"));
    this.config = dir.resolve("hearth.json");
    Files.writeString(config, new JsonObject()
        .put("pluginsDir", dir.resolve("plugins").toString())
        .put("identity", new JsonObject().put("authAttemptsPerAddress", 100_000)
            .put(IdentityOptions.TEST_HASH_MEMORY_KEY, 64)) // as TestNode: test passwords hashed cheaply
        .put("federation", new JsonObject().put("natsUrl", natsUrl).put("nodeId", name).put("jsDomain", name)
            // 3 s: the write queued while the owner is down waits it out in full; a write that takes
            // longer while the owner is up is answered UNAVAILABLE, queued and retried by the test's writers
            // with the same client id, which chat applies once.
            .put("gapTimeoutSeconds", 3).put("forwardTimeoutSeconds", 3))
        .encodePrettily());
    start();
  }

  void start() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // C1 only and the serial collector, as cluster-nats' ChildJvm: a start is mostly class loading and
        // first runs of code, which C2's compile threads slow down on two shared cores.
        "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.hearth.cli.Main",
        "serve", "--port", "0", "--host", "127.0.0.1", "--data", dir.resolve("data").toString(),
        "--master-key-file", dir.resolve("master.key").toString(), "--config", config.toString()));
    RunFiles runFiles = new RunFiles(dir.resolve("data"));
    Files.deleteIfExists(runFiles.nodeFile()); // a killed node leaves its run file behind
    process = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("out.log").toFile()))
        .redirectErrorStream(true).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.exists(runFiles.nodeFile()) || runFiles.read().isEmpty() || runFiles.read().get().pid() != process.pid()) {
      assertThat(process.isAlive()).as("node %s exited:\n%s", name, log()).isTrue();
      assertThat(System.nanoTime()).as("node %s did not start in 90 s", name).isLessThan(deadline);
      Thread.sleep(100);
    }
    port = runFiles.read().orElseThrow().port();
    rest = new TestRest(port);
  }

  /** SIGKILL: no shutdown hook, no final checkpoint. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(20, TimeUnit.SECONDS);
  }

  String log() {
    try {
      return Files.readString(dir.resolve("out.log"));
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
      } catch (InterruptedException e) {
        process.destroyForcibly();
      }
    }
  }
}
