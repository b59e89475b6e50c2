package dev.hearth.ops.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node VictoriaMetrics ({@code victoria-metrics}, Debian's package) scraping Hearth
 * nodes' {@code /metrics}, for tests and local checks: its own data directory and scrape config
 * under {@code dir}, a free port of 127.0.0.1, its log in {@code dir/victoria-metrics.log}. {@link
 * #start} returns once it answers {@code /health}; {@link #close} kills it. Processes still running
 * when the JVM exits are killed.
 *
 * <p>Written for 1.79 (Debian bookworm's). Two flags make fresh samples queryable at once, which a
 * production setup would not want: {@code -search.latencyOffset=0s} (by default a sample becomes
 * visible 30 s after it was scraped) and {@code -search.disableCache}.
 */
public final class VictoriaMetricsProcess implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
        "victoria-metrics-reaper"));
  }

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private VictoriaMetricsProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts VictoriaMetrics scraping {@code targets} ({@code host:port} of nodes, path {@code
   * /metrics}, job {@code hearth}) every {@code every}, and waits until it is up.
   */
  public static VictoriaMetricsProcess start(Path dir, List<String> targets, Duration every) {
    try {
      Files.createDirectories(dir);
      Path config = dir.resolve("scrape.yml");
      Files.writeString(config, scrapeConfig(targets, every));
      Path log = dir.resolve("victoria-metrics.log");
      int port = freePort();
      Process p = new ProcessBuilder(findBinary().toString(),
          "-httpListenAddr=127.0.0.1:" + port,
          "-storageDataPath=" + dir.resolve("data"),
          "-promscrape.config=" + config,
          "-search.latencyOffset=0s",
          "-search.disableCache",
          "-loggerLevel=WARN")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      LIVE.add(p);
      VictoriaMetricsProcess vm = new VictoriaMetricsProcess(p, port, log);
      vm.awaitReady();
      return vm;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start victoria-metrics", e);
    }
  }

  /** The scrape config VictoriaMetrics reads (a subset of Prometheus' format). */
  static String scrapeConfig(List<String> targets, Duration every) {
    StringBuilder yml = new StringBuilder()
        .append("scrape_configs:\n")
        .append("  - job_name: hearth\n")
        .append("    scrape_interval: ").append(every.toMillis()).append("ms\n")
        .append("    metrics_path: /metrics\n")
        .append("    static_configs:\n")
        .append("      - targets:\n");
    for (String t : targets) yml.append("          - \"").append(t).append("\"\n");
    return yml.toString();
  }

  /** {@code /usr/bin/victoria-metrics}, else the first on the PATH. */
  public static Path findBinary() {
    Path bin = Path.of("/usr/bin/victoria-metrics");
    if (Files.isExecutable(bin)) return bin;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "victoria-metrics"))) return Path.of(dir, "victoria-metrics");
    }
    throw new IllegalStateException("victoria-metrics is neither at /usr/bin/victoria-metrics nor on the PATH:"
        + " install it with `apt-get install victoria-metrics` (.ci/run does)");
  }

  /** Its HTTP API, {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code GET /api/v1/query?query=...} (an instant query, now): the JSON answer. */
  public JsonObject query(String promql) {
    String body = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    return new JsonObject(body);
  }

  /** The value of the first series {@code promql} returns now; empty when it returns none. */
  public OptionalDouble value(String promql) {
    JsonArray result = query(promql).getJsonObject("data", new JsonObject()).getJsonArray("result", new JsonArray());
    if (result.isEmpty()) return OptionalDouble.empty();
    return OptionalDouble.of(Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1)));
  }

  /** The end of its log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private String get(String path) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + url() + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("victoria-metrics exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        if (get("/health").trim().equals("OK")) return;
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
    throw new IllegalStateException("victoria-metrics did not answer /health within " + READY_TIMEOUT + ":\n" + logTail());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Kills the process (its data is a test's, nothing to flush) and waits for it to exit. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LIVE.remove(process);
  }
}
