package dev.hearth.cluster;

import dev.hearth.kernel.config.RunFiles;
import dev.hearth.testkit.nats.NatsServerProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The java command of the JVMs the cluster ITs start ({@code hearth serve}, the CLI), with one
 * class-data archive for all of them: the module's ITs start some forty such JVMs, and loading and
 * verifying the same ~9,000 classes is most of each start (measured: 7.5 s of CPU per start without,
 * 3.5 s with). The archive is made once per test JVM, by a {@code hearth serve} of its own that joins a
 * nats-server and is stopped at once ({@code -XX:ArchiveClassesAtExit}), and kept in
 * {@code target/cds} for the same class path. Anything that goes wrong making it only costs the
 * speed: the JVMs then start without it ({@code -Xshare:auto} ignores an archive it cannot use).
 */
final class ChildJvm {

  private static final Path DIR = Path.of("target", "cds");
  /** The class path's jars, in order: what the archive is made with (JDK 17 dumps none with a non-empty directory). */
  private static final String JARS = classPath(false);
  /** The class path: the jars first, so that the archive's class path is a prefix of it, then directories (test classes). */
  private static final String CLASS_PATH = classPath(true);
  private static Path archive;
  private static boolean tried;

  private ChildJvm() {}

  /** {@code java OPTIONS -cp … dev.hearth.cli.Main ARGS}: a JVM with this test's class path. */
  static List<String> command(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    Path shared = archive();
    if (shared != null) cmd.add("-XX:SharedArchiveFile=" + shared.toAbsolutePath());
    cmd.addAll(List.of("-cp", CLASS_PATH, "dev.hearth.cli.Main"));
    cmd.addAll(args);
    return cmd;
  }

  private static String classPath(boolean withDirs) {
    List<String> jars = new ArrayList<>();
    List<String> dirs = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.isEmpty()) continue;
      (Files.isDirectory(Path.of(entry)) ? dirs : jars).add(entry);
    }
    if (withDirs) jars.addAll(dirs);
    return String.join(File.pathSeparator, jars);
  }

  /** The archive, made on first use (null when it cannot be made: the JVMs start without one). */
  private static synchronized Path archive() {
    if (tried) return archive;
    tried = true;
    long started = System.nanoTime();
    try {
      String key = Integer.toHexString(fingerprint());
      Path target = DIR.resolve("serve-" + key + ".jsa");
      if (!Files.exists(target)) make(target);
      archive = target;
      System.out.printf("ChildJvm: class-data archive %s (%d ms to find or make)%n", target,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    } catch (Exception | AssertionError e) {
      System.out.println("ChildJvm: no class-data archive, the JVMs start without one: " + e);
    }
    return archive;
  }

  /** The class path's jars, their sizes and times: an archive is only good for the jars it was made from. */
  private static int fingerprint() throws IOException {
    StringBuilder s = new StringBuilder(System.getProperty("java.version"));
    for (String entry : JARS.split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isRegularFile(p)) s.append(entry).append(Files.size(p)).append(Files.getLastModifiedTime(p));
    }
    return s.toString().hashCode();
  }

  /**
   * Starts {@code hearth serve} with the chat module on a nats-server of its own, as the tests' processes
   * are, stops it (SIGTERM), and keeps what it dumped at exit.
   */
  private static void make(Path target) throws Exception {
    Path work = Files.createTempDirectory("hearth-cds");
    try (NatsServerProcess nats = NatsServerProcess.builder(work.resolve("nats"), "cds").start()) {
      Files.createDirectories(work.resolve("plugins"));
      Files.copy(ClusterProcess.chatJar(), work.resolve("plugins").resolve("chat.jar"));
      Path config = work.resolve("hearth.json");
      Files.writeString(config, new JsonObject().put("pluginsDir", work.resolve("plugins").toString())
          .put("cluster", new JsonObject().put("natsUrls", nats.url()).put("processId", "cds").put("kernel", "local")
              .put("owns", new JsonArray().add("*")))
          .encode());
      Files.createDirectories(DIR);
      Path dumped = work.resolve("serve.jsa");
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:ArchiveClassesAtExit=" + dumped,
          "-cp", JARS, "dev.hearth.cli.Main", "serve", "--port", "0", "--host", "127.0.0.1",
          "--data", work.resolve("data").toString(), "--master-key-file", work.resolve("master.key").toString(),
          "--config", config.toString()));
      Process p = new ProcessBuilder(cmd).redirectOutput(work.resolve("out.log").toFile()).redirectErrorStream(true).start();
      try {
        RunFiles run = new RunFiles(work.resolve("data"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (run.read().isEmpty() || run.read().get().pid() != p.pid()) {
          if (!p.isAlive() || System.nanoTime() - deadline > 0) {
            throw new IllegalStateException("the archiving serve did not start: " + Files.readString(work.resolve("out.log")));
          }
          Thread.sleep(50);
        }
        p.destroy();
        if (!p.waitFor(120, TimeUnit.SECONDS)) throw new IllegalStateException("the archiving serve did not stop");
      } finally {
        p.destroyForcibly();
      }
      if (!Files.exists(dumped) || Files.size(dumped) == 0) {
        throw new IllegalStateException("no archive dumped: " + Files.readString(work.resolve("out.log")));
      }
      Files.move(dumped, target, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
