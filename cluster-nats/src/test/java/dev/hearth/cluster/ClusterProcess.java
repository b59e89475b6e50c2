package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.config.RunFiles;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.io.IOException;

/**
 * A cluster process in a JVM of its own ({@code hearth serve} with this test's class path and a
 * {@code cluster} section), with the chat module installed, so a test can SIGKILL, SIGSTOP and
 * SIGCONT it.
 */
final class ClusterProcess implements AutoCloseable {

  final String id;
  private final Path dir;
  private final Path config;
  private Process process;
  private final List<String> jvmOptions;
  TestRest rest;
  private int port;

  ClusterProcess(Path dir, String id, JsonObject cluster) throws Exception {
    this(dir, id, cluster, null);
  }

  /**
   * @param keysOf a process whose master key and keysets this one starts with (the processes of a
   *     cluster share each store's keys, so a standby can open the owner's frames); null: its own
   */
  ClusterProcess(Path dir, String id, JsonObject cluster, ClusterProcess keysOf) throws Exception {
    this(dir, id, cluster, keysOf, new JsonObject());
  }

  /** @param sections more sections of its config file (e.g. {@code files}) */
  ClusterProcess(Path dir, String id, JsonObject cluster, ClusterProcess keysOf, JsonObject sections) throws Exception {
    this(dir, id, cluster, keysOf, sections, List.of());
  }

  /** @param jvmOptions options of its JVM (test hooks: {@code -Dhearth.cluster.…}) */
  ClusterProcess(Path dir, String id, JsonObject cluster, ClusterProcess keysOf, JsonObject sections,
      List<String> jvmOptions) throws Exception {
    this.jvmOptions = List.copyOf(jvmOptions);
    this.dir = dir;
    this.id = id;
    if (keysOf != null) keysOf.copyKeysTo(dir);
    Files.createDirectories(dir.resolve("plugins"));
    Files.copy(chatJar(), dir.resolve("plugins").resolve("chat.jar"));
    this.config = dir.resolve("hearth.json");
    JsonObject conf = sections.copy().put("pluginsDir", dir.resolve("plugins").toString())
        .put("identity", new JsonObject().put("authAttemptsPerAddress", 100_000));
    if (cluster != null) conf.put("cluster", withKernel(cluster).put("processId", id));
    Files.writeString(config, conf.encodePrettily());
    launch();
  }

  /** A single node (no {@code cluster} section) with chat installed, to be made a cluster's process by {@link #joinCluster}. */
  static ClusterProcess singleNode(Path dir, String id) throws Exception {
    return new ClusterProcess(dir, id, null, null, new JsonObject());
  }

  /** Starts it again, stopped, on its data with this {@code cluster} section: a single node made a cluster's process. */
  void joinCluster(JsonObject cluster) throws Exception {
    JsonObject conf = new JsonObject(Files.readString(config)).put("cluster", withKernel(cluster).put("processId", id));
    Files.writeString(config, conf.encodePrettily());
    restart();
  }

  /**
   * The section as given, with {@code kernel: local} unless it says otherwise: the tests written
   * before the kernel store was shared keep each process's own (KernelStoreIT shares it).
   */
  private static JsonObject withKernel(JsonObject cluster) {
    JsonObject c = cluster.copy();
    if (!c.containsKey("kernel")) c.put("kernel", "local");
    return c;
  }

  /** The local admin endpoints' token (data/run/admin.token), as {@code hearth admin} reads it. */
  String adminToken() throws IOException {
    return Files.readString(dir.resolve("data/run/admin.token")).trim();
  }

  /** Starts it again on its data (after {@link #stop} or a kill). */
  void restart() throws Exception {
    assertThat(process.isAlive()).as("%s is still running", id).isFalse();
    launch();
  }

  private void launch() throws Exception {
    List<String> cmd = ChildJvm.command(List.of("serve", "--port", "0", "--host", "127.0.0.1", "--data",
        dir.resolve("data").toString(), "--master-key-file", dir.resolve("master.key").toString(), "--config", config.toString()));
    if (!jvmOptions.isEmpty()) {
      cmd = new ArrayList<>(cmd);
      cmd.addAll(1, jvmOptions);
    }
    long started = System.nanoTime();
    RunFiles runFiles = new RunFiles(dir.resolve("data"));
    process = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("out.log").toFile()))
        .redirectErrorStream(true).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(runFiles.nodeFile()) || runFiles.read().isEmpty() || runFiles.read().get().pid() != process.pid()) {
      assertThat(process.isAlive()).as("process %s exited:\n%s", id, log()).isTrue();
      assertThat(System.nanoTime()).as("process %s did not start in 120 s", id).isLessThan(deadline);
      Thread.sleep(100);
    }
    port = runFiles.read().orElseThrow().port();
    rest = new TestRest(port);
    // Started is ready, as a load balancer sees it: the run files are written before the node says
    // ready, and a cluster process says it only once its copies have caught up (docs/cluster.md "Readiness").
    while (!ready()) {
      assertThat(process.isAlive()).as("process %s exited:\n%s", id, log()).isTrue();
      assertThat(System.nanoTime()).as("process %s did not say ready in 120 s", id).isLessThan(deadline);
      Thread.sleep(50);
    }
    System.out.printf("ClusterProcess %s started (ready) in %d ms%n", id,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** Whether it answers {@code GET /ready} with 200 (READY) now; false while it starts, or when it does not answer. */
  boolean ready() {
    try {
      return rest.get("/ready", null).status() == 200;
    } catch (Exception notYet) {
      if (notYet instanceof InterruptedException) Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Runs {@code starts} (process starts, restarts returning the process) at once and waits for all of
   * them: each is a JVM of its own, and their starts overlap instead of adding up. If one fails, the
   * others' processes are closed and the first failure is thrown.
   */
  @SafeVarargs
  static List<ClusterProcess> together(Callable<ClusterProcess>... starts) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(starts.length);
    try {
      List<Future<ClusterProcess>> running = new ArrayList<>();
      for (Callable<ClusterProcess> s : starts) running.add(pool.submit(s));
      List<ClusterProcess> out = new ArrayList<>();
      Throwable failure = null;
      for (Future<ClusterProcess> f : running) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          if (failure == null) failure = e.getCause();
          else failure.addSuppressed(e.getCause());
        }
      }
      if (failure == null) return out;
      out.forEach(ClusterProcess::close);
      if (failure instanceof Error error) throw error;
      throw (Exception) failure;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The HTTP port it listens on now. */
  int port() {
    return port;
  }

  /** Copies this process's master key and keysets (all of them wrapped by the master key) to {@code other}. */
  void copyKeysTo(Path other) throws IOException {
    Path to = other.resolve("data").resolve("keys");
    Files.createDirectories(to);
    Files.copy(dir.resolve("master.key"), other.resolve("master.key"));
    try (Stream<Path> files = Files.list(dir.resolve("data").resolve("keys"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, to.resolve(f.getFileName()));
    }
  }

  Path dir() {
    return dir;
  }

  /** Stops it cleanly (SIGTERM: the node closes its stores) and waits. */
  void stop() throws Exception {
    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s stopped", id).isTrue();
  }

  /** Sends SIGTERM and returns at once: the node drains its calls and stops on its own ({@link #awaitExit}). */
  void terminate() {
    process.destroy();
  }

  /** Waits (30 s at most) until it has exited; its exit code (0: the node stopped cleanly). */
  int awaitExit() throws InterruptedException {
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s exited", id).isTrue();
    return process.exitValue();
  }

  /** Its Prometheus exposition ({@code GET /metrics}). */
  String metrics() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("/metrics of %s", id).isEqualTo(200);
    return r.body();
  }

  /** The chat jar the reactor built before this module. */
  static Path chatJar() {
    try (Stream<Path> files = Files.list(Path.of("../module-chat/target"))) {
      return files.filter(p -> p.getFileName().toString().matches("hearth-module-chat-[^-]+(-SNAPSHOT)?\\.jar"))
          .findFirst().orElseThrow(() -> new IllegalStateException("build module-chat first: its jar is missing"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A sys-admin's access token, made through the local admin endpoint as {@code hearth admin create-sysadmin} does. */
  String sysAdminToken() throws Exception {
    String admin = adminToken();
    String email = "root@" + id + ".test";
    TestRest.Response made = rest.call("POST", "/admin/v1/sysadmin", admin,
        new JsonObject().put("email", email).put("password", "a-long-password-1"));
    assertThat(made.status()).as("create-sysadmin: %s", made).isEqualTo(200);
    return rest.post("/v1/auth/log-in", null, new JsonObject().put("email", email).put("password", "a-long-password-1"))
        .ok().getString("accessToken");
  }

  /** Sends a signal with kill(1): STOP, CONT or KILL. */
  void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -%s %s", name, id).isZero();
    if (name.equals("KILL")) process.waitFor(20, TimeUnit.SECONDS);
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
    if (process == null || !process.isAlive()) return;
    try {
      signal("CONT"); // a stopped JVM cannot run its shutdown hook
    } catch (Exception ignored) {
      // it exits or is killed below
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
    }
  }
}
