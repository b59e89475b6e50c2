package dev.hearth.ops.bench.cluster;

import dev.hearth.cli.Main;
import dev.hearth.ops.bench.ChildJvm;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One {@code hearth serve} of the bench in a JVM of its own (this JVM's class path, so the cluster
 * extension and the chat jar's node are the build's), on a port chosen once and kept across
 * restarts, in a directory of its own: {@code master.key}, {@code data/}, {@code plugins/chat.jar},
 * {@code hearth.json}, a log per launch.
 */
final class ServeProcess implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  final String id;
  private final Path dir;
  private final int port;
  private final List<String> jvmOptions;
  private Process process;
  private int launches;

  /**
   * Writes the config ({@code node} with the plugins directory added) and starts the process; with
   * {@code keysOf}, it starts with that process's master key and keysets (a cluster's processes share
   * them: docs/cluster.md).
   */
  ServeProcess(Path dir, String id, JsonObject node, Path chatJar, ServeProcess keysOf, List<String> jvmOptions)
      throws IOException {
    this.dir = Files.createDirectories(dir);
    this.id = id;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.port = ChildJvm.freePort();
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Files.copy(chatJar, plugins.resolve("chat.jar"));
    if (keysOf != null) keysOf.copyKeysTo(dir);
    Files.writeString(dir.resolve("hearth.json"), node.copy().put("pluginsDir", plugins.toString()).encodePrettily());
    launch();
  }

  /** Starts it (again, on its data) and waits until it answers {@code /ready}. */
  void launch() throws IOException {
    if (process != null && process.isAlive()) throw new IllegalStateException(id + " is still running");
    launches++;
    Path log = dir.resolve("out-" + launches + ".log");
    List<String> args = List.of("serve", "--host", "127.0.0.1", "--port", String.valueOf(port), "--data",
        dir.resolve("data").toString(), "--master-key-file", dir.resolve("master.key").toString(), "--config",
        dir.resolve("hearth.json").toString());
    long t0 = System.nanoTime();
    process = ChildJvm.start(jvmOptions, System.getProperty("java.class.path"), Main.class.getName(), args, log,
        Map.of("HEARTH_LOG_FORMAT", "text"));
    ChildJvm.awaitOk(process, port, "/ready", t0, START_TIMEOUT, log);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** kill -9, and waits for the process to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  Path dataDir() {
    return dir.resolve("data");
  }

  private void copyKeysTo(Path other) throws IOException {
    Path to = Files.createDirectories(other.resolve("data").resolve("keys"));
    Files.copy(dir.resolve("master.key"), other.resolve("master.key"));
    try (Stream<Path> files = Files.list(dir.resolve("data").resolve("keys"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, to.resolve(f.getFileName()));
    }
  }

  String logTail() {
    return ChildJvm.tail(dir.resolve("out-" + launches + ".log"));
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) ChildJvm.stop(process);
  }
}
