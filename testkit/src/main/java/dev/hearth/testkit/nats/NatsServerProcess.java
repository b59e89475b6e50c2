package dev.hearth.testkit.nats;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Supervises a real {@code nats-server} process for tests and benchmarks (the federation ITs, and
 * {@code hearth bench federation} in ops), on free ports of 127.0.0.1, with JetStream on (its own
 * store directory) unless told otherwise. Build one with {@link #builder}, then {@link
 * Builder#start()}; it returns once the server accepts clients. Not used by a node in production:
 * there, each org runs its own NATS server and the node only connects to it.
 *
 * <p>It lives in the main sources (not the test-jar) so that the ops module can start servers at
 * compile scope; nothing in the federation runtime depends on it.
 *
 * <p>The server is configured by a file ({@code <dir>/<name>.conf}) and logs to {@code
 * <dir>/<name>.log}; failure messages quote the log's tail. {@link #restart()} reuses the same
 * config file, so the ports, the JetStream domain and the store directory stay the same: what was
 * stored before a {@link #kill()} is there again.
 *
 * <p>Written for {@code nats-server} 2.9.10 (Debian bookworm's), the oldest version we support: it
 * uses only {@code server_name}, {@code listen}, {@code http}, {@code jetstream {store_dir, domain}},
 * {@code leafnodes {listen, remotes}} and {@code cluster {name, listen, routes}}. Processes still running when the JVM exits are killed.
 */
public final class NatsServerProcess implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
        "nats-server-reaper"));
  }

  private final String name;
  private final Path binary;
  private final Path config;
  private final Path log;
  private final Path storeDir;
  private final String domain;
  private final int port;
  private final int monitorPort;
  private final int leafPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private Process process;

  private NatsServerProcess(Builder b) throws IOException {
    this.name = b.name;
    this.binary = findBinary();
    Files.createDirectories(b.dir);
    this.config = b.dir.resolve(name + ".conf");
    this.log = b.dir.resolve(name + ".log");
    this.storeDir = b.jetStream ? b.dir.resolve(name + "-store") : null;
    this.domain = b.domain;
    int[] ports = freePorts(3);
    this.port = ports[0];
    this.monitorPort = ports[1];
    this.leafPort = b.leafListen ? ports[2] : 0;
    Files.writeString(config, configText(b.leafRemotes, b.clusterName, b.clusterPort, b.routes));
  }

  /** A server named {@code name} whose files go under {@code dir}. */
  public static Builder builder(Path dir, String name) {
    return new Builder(dir, name);
  }

  /** The client URL, {@code nats://127.0.0.1:<port>}; it stays the same across restarts. */
  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  /** The URL a leaf's remote dials; only for a server built with {@link Builder#leafListen()}. */
  public String leafUrl() {
    if (leafPort == 0) {
      throw new IllegalStateException(name + " does not accept leaf connections (Builder.leafListen())");
    }
    return "nats-leaf://127.0.0.1:" + leafPort;
  }

  public String name() {
    return name;
  }

  /** The JetStream domain, or null. */
  public String domain() {
    return domain;
  }

  public int port() {
    return port;
  }

  public int monitorPort() {
    return monitorPort;
  }

  /** The JetStream store directory, or null when JetStream is off. */
  public Path storeDir() {
    return storeDir;
  }

  public Path logFile() {
    return log;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Starts the process (again) and waits until it accepts clients and JetStream is on. */
  public synchronized NatsServerProcess start() {
    if (isRunning()) {
      throw new IllegalStateException(name + " is already running");
    }
    try {
      Files.writeString(log, "---- starting " + name + " (" + binary + " -c " + config + ")\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      process = new ProcessBuilder(binary.toString(), "-c", config.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
    LIVE.add(process);
    awaitReady();
    return this;
  }

  /** Stops the server with SIGTERM (a clean shutdown) and waits for it to exit. */
  public synchronized void stop() {
    end(false);
  }

  /** Kills the server with SIGKILL, as a crash would: nothing is flushed beyond what the OS has. */
  public synchronized void kill() {
    end(true);
  }

  /** Starts the server again with the same ports, domain and store directory; stops it first if running. */
  public synchronized NatsServerProcess restart() {
    stop();
    return start();
  }

  @Override
  public synchronized void close() {
    end(false);
  }

  /** The last lines of the server's log, for failure messages. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log at " + log + ": " + e + ")";
    }
  }

  /** GETs a monitoring endpoint, e.g. {@code /leafz}; returns the body. */
  public String monitor(String pathAndQuery) throws IOException {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + monitorPort + pathAndQuery))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException(pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** How many leaf connections this server has now (from {@code /leafz}). */
  public int leafConnections() throws IOException {
    Matcher m = Pattern.compile("\"leafnodes\"\\s*:\\s*(\\d+)").matcher(monitor("/leafz"));
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  /** Waits until this server has {@code expected} leaf connections. */
  public void awaitLeafConnections(int expected, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = -1;
    while (System.nanoTime() < deadline) {
      try {
        seen = leafConnections();
        if (seen == expected) {
          return;
        }
      } catch (IOException ignored) {
        // not up yet
      }
      sleep(50);
    }
    throw new IllegalStateException(name + " has " + seen + " leaf connections, expected " + expected
        + " after " + timeout + "; log tail:\n" + logTail(30));
  }

  @Override
  public String toString() {
    return name + "@" + url() + (domain == null ? "" : " (domain " + domain + ")");
  }

  private void end(boolean forcibly) {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    // On Unix, destroy() is SIGTERM (nats-server shuts down cleanly) and destroyForcibly() SIGKILL.
    if (forcibly) {
      p.destroyForcibly();
    } else {
      p.destroy();
    }
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    LIVE.remove(p);
  }

  private void awaitReady() {
    // The monitor listens before the client port does, so both are checked. js-enabled-only
    // (2.9+) answers 200 once JetStream is on, without waiting on stream health.
    String health = storeDir == null ? "/healthz" : "/healthz?js-enabled-only=true";
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        LIVE.remove(process);
        throw new IllegalStateException(name + " exited with " + process.exitValue()
            + " while starting; log tail:\n" + logTail(30));
      }
      try {
        last = monitor(health);
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      sleep(25);
    }
    end(true);
    throw new IllegalStateException(name + " not ready after " + READY_TIMEOUT + " (" + last
        + "); log tail:\n" + logTail(30));
  }

  private String configText(List<String> leafRemotes, String clusterName, int clusterPort, List<String> routes) {
    StringBuilder c = new StringBuilder()
        .append("server_name: ").append(quote(name)).append('\n')
        .append("listen: \"127.0.0.1:").append(port).append("\"\n")
        .append("http: \"127.0.0.1:").append(monitorPort).append("\"\n");
    if (storeDir != null) {
      c.append("jetstream {\n  store_dir: ").append(quote(storeDir.toString())).append('\n');
      if (domain != null) {
        c.append("  domain: ").append(quote(domain)).append('\n');
      }
      c.append("}\n");
    }
    if (clusterName != null) {
      c.append("cluster {\n  name: ").append(quote(clusterName)).append('\n')
          .append("  listen: \"127.0.0.1:").append(clusterPort).append("\"\n  routes: [\n");
      for (String route : routes) {
        c.append("    ").append(quote(route)).append('\n');
      }
      c.append("  ]\n}\n");
    }
    if (leafPort != 0 || !leafRemotes.isEmpty()) {
      c.append("leafnodes {\n");
      if (leafPort != 0) {
        c.append("  listen: \"127.0.0.1:").append(leafPort).append("\"\n");
      }
      if (!leafRemotes.isEmpty()) {
        c.append("  remotes: [\n");
        for (String url : leafRemotes) {
          c.append("    { url: ").append(quote(url)).append(" }\n");
        }
        c.append("  ]\n");
      }
      c.append("}\n");
    }
    return c.toString();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * The {@code nats-server} binary: {@code /usr/sbin/nats-server} (Debian's), else the first on the
   * PATH. Throws IllegalStateException, saying how to install it, when there is none.
   */
  public static Path findBinary() {
    Path sbin = Path.of("/usr/sbin/nats-server");
    if (Files.isExecutable(sbin)) {
      return sbin;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nats-server"))) {
        return Path.of(dir, "nats-server");
      }
    }
    throw new IllegalStateException("nats-server is neither at /usr/sbin/nats-server nor on the PATH:"
        + " install it with `apt-get install nats-server` (.ci/run does)");
  }

  /** Distinct free ports: every socket stays open until all are picked. */
  static int[] freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** What to start; every setting is optional. */
  public static final class Builder {
    private final Path dir;
    private final String name;
    private boolean jetStream = true;
    private String domain;
    private boolean leafListen;
    private final List<String> leafRemotes = new ArrayList<>();
    private String clusterName;
    private int clusterPort;
    private final List<String> routes = new ArrayList<>();

    private Builder(Path dir, String name) {
      if (!name.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException("server name '" + name + "': use letters, digits, '-' and '_'");
      }
      this.dir = dir;
      this.name = name;
    }

    /** The JetStream domain, as an org's own server has. */
    public Builder domain(String domain) {
      this.domain = domain;
      return this;
    }

    /** No JetStream, as on a hub that only routes between leaves. */
    public Builder withoutJetStream() {
      this.jetStream = false;
      return this;
    }

    /** Accept leaf connections on a free port ({@link #leafUrl()}). */
    public Builder leafListen() {
      this.leafListen = true;
      return this;
    }

    /** Connect as a leaf to these URLs (another server's {@link #leafUrl()}). */
    public Builder leafRemote(String... urls) {
      leafRemotes.addAll(List.of(urls));
      return this;
    }

    /**
     * Joins a NATS cluster {@code name} (JetStream clustered with Raft): listens for routes on
     * {@code port} and dials {@code routes} ({@code nats-route://127.0.0.1:<port>} of every member,
     * itself included, as a static cluster config lists them). See {@link NatsTopology#clustered}.
     */
    public Builder cluster(String name, int port, List<String> routes) {
      this.clusterName = name;
      this.clusterPort = port;
      this.routes.clear();
      this.routes.addAll(routes);
      return this;
    }

    /** Writes the config and starts the server; it accepts clients when this returns. */
    public NatsServerProcess start() {
      if (domain != null && !jetStream) {
        throw new IllegalStateException("domain '" + domain + "' needs JetStream");
      }
      try {
        return new NatsServerProcess(this).start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare nats-server " + name + " in " + dir, e);
      }
    }
  }
}
