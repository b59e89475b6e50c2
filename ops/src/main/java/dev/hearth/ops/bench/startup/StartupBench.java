package dev.hearth.ops.bench.startup;

import dev.hearth.cli.Main;
import dev.hearth.ops.bench.ChildJvm;
import dev.hearth.ops.bench.Units;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs {@code hearth bench startup}: a bare Vert.x HTTP server ({@link BareServer}) and the node
 * ({@code hearth serve} with the given module jars), each started in a child JVM with the same class
 * path and flags, several rounds, interleaved so load changes hit both alike. A start is timed from
 * the process launch to the first 200 (the node's {@code GET /ready}, the bare server's
 * {@code GET /}); the child's CPU time at that moment is read too (less sensitive to a shared
 * machine than wall time). The node starts cold (empty data directory) and warm (a data directory a
 * previous start populated and closed). Each child's log is searched for Vert.x blocked-thread
 * warnings. With CDS, both also start with an AppCDS archive made by a training start
 * ({@code -XX:ArchiveClassesAtExit}).
 */
final class StartupBench {

  /** What to run; validated by {@link StartupBenchCommand}. */
  record Config(int runs, List<Path> moduleJars, List<String> jvmOptions, boolean cds, Duration timeout, Path dir,
      String classPath) {

    JsonObject toJson() {
      return new JsonObject().put("runs", runs)
          .put("modules", new JsonArray(moduleJars.stream().map(p -> p.getFileName().toString()).toList()))
          .put("jvmOptions", new JsonArray(new ArrayList<>(jvmOptions))).put("cds", cds).put("timeoutMs", timeout.toMillis());
    }
  }

  enum Kind {
    BARE("bare Vert.x"), NODE_COLD("node, cold"), NODE_WARM("node, warm");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** One start: wall ms to the first 200, the child's CPU ms by then, blocked-thread warnings in its log. */
  record Sample(String variant, Kind kind, int round, double wallMs, double cpuMs, int blockedWarnings, long maxBlockedMs,
      Double load) {}

  /** The medians of one variant and kind. */
  record Summary(String variant, Kind kind, int runs, double wallP50Ms, double wallMinMs, double wallMaxMs, double cpuP50Ms,
      int blockedWarnings, long maxBlockedMs) {}

  record Report(Config config, List<Sample> samples, List<String> blockedLines, String error) {

    List<Summary> summaries() {
      List<Summary> out = new ArrayList<>();
      for (String v : variants(config)) {
        for (Kind k : Kind.values()) {
          List<Sample> s = samples.stream().filter(x -> x.variant().equals(v) && x.kind() == k).toList();
          if (s.isEmpty()) continue;
          out.add(new Summary(v, k, s.size(), median(s.stream().mapToDouble(Sample::wallMs).toArray()),
              s.stream().mapToDouble(Sample::wallMs).min().orElse(0), s.stream().mapToDouble(Sample::wallMs).max().orElse(0),
              median(s.stream().mapToDouble(Sample::cpuMs).toArray()), s.stream().mapToInt(Sample::blockedWarnings).sum(),
              s.stream().mapToLong(Sample::maxBlockedMs).max().orElse(0)));
        }
      }
      return out;
    }

    Summary summary(String variant, Kind kind) {
      return summaries().stream().filter(s -> s.variant().equals(variant) && s.kind() == kind).findFirst().orElse(null);
    }
  }

  static final String PLAIN = "plain";
  static final String CDS = "cds";
  /** Vert.x's warning; only event-loop threads count (a worker is allowed 60 s and is warned about past that). */
  private static final Pattern BLOCKED = Pattern.compile("Thread (\\S*eventloop\\S*) has been blocked for (\\d+) ms");

  private final Config config;
  private final PrintWriter err;

  StartupBench(Config config, PrintWriter err) {
    this.config = config;
    this.err = err;
  }

  static List<String> variants(Config c) {
    return c.cds() ? List.of(PLAIN, CDS) : List.of(PLAIN);
  }

  Report run() throws IOException {
    Path root = Files.createTempDirectory(config.dir(), "hearth-startup-");
    List<Sample> samples = new ArrayList<>();
    List<String> blocked = new ArrayList<>();
    try {
      Path plugins = Files.createDirectories(root.resolve("plugins"));
      for (Path jar : config.moduleJars()) Files.copy(jar, plugins.resolve(jar.getFileName()));
      Path nodeConfig = root.resolve("node.json");
      Files.writeString(nodeConfig, new JsonObject().put("pluginsDir", plugins.toString()).encode());
      Path warm = root.resolve("warm");
      // Unmeasured: fills the page cache with both class paths and populates the warm data directory.
      log("prepare: a bare server start and a node start (populates the warm data directory), not measured");
      start(PLAIN, Kind.BARE, -1, List.of(), root, nodeConfig, warm, blocked);
      start(PLAIN, Kind.NODE_WARM, -1, List.of(), root, nodeConfig, warm, blocked);
      Path bareJsa = root.resolve("bare.jsa");
      Path nodeJsa = root.resolve("node.jsa");
      if (config.cds()) {
        log("prepare: AppCDS training starts (-XX:ArchiveClassesAtExit), not measured");
        start(CDS, Kind.BARE, -1, List.of("-XX:ArchiveClassesAtExit=" + bareJsa), root, nodeConfig, warm, blocked);
        start(CDS, Kind.NODE_WARM, -1, List.of("-XX:ArchiveClassesAtExit=" + nodeJsa), root, nodeConfig, warm, blocked);
        for (Path jsa : List.of(bareJsa, nodeJsa)) {
          if (!Files.isRegularFile(jsa)) throw new IOException("the JVM wrote no CDS archive " + jsa);
          log("prepare: %s %,d KiB", jsa.getFileName(), Files.size(jsa) / 1024);
        }
      }
      for (int round = 0; round < config.runs(); round++) {
        for (String v : variants(config)) {
          for (Kind k : Kind.values()) {
            List<String> extra = !v.equals(CDS) ? List.of()
                : List.of("-XX:SharedArchiveFile=" + (k == Kind.BARE ? bareJsa : nodeJsa));
            samples.add(start(v, k, round, extra, root, nodeConfig, warm, blocked));
          }
        }
      }
      return new Report(config, samples, blocked, null);
    } catch (IOException | RuntimeException e) {
      log("FAILED: %s", e.getMessage());
      return new Report(config, samples, blocked, e.getMessage());
    } finally {
      deleteTree(root);
    }
  }

  private Sample start(String variant, Kind kind, int round, List<String> extra, Path root, Path nodeConfig, Path warm,
      List<String> blocked) throws IOException {
    int port = ChildJvm.freePort();
    List<String> jvm = new ArrayList<>(config.jvmOptions());
    jvm.addAll(extra);
    String main;
    List<String> args;
    String path;
    Path cold = null;
    if (kind == Kind.BARE) {
      main = BareServer.class.getName();
      args = List.of(String.valueOf(port));
      path = "/";
    } else {
      Path data = warm;
      if (kind == Kind.NODE_COLD) {
        cold = root.resolve("cold-" + variant + "-" + round);
        data = cold;
      }
      main = Main.class.getName();
      args = List.of("serve", "--host", "127.0.0.1", "--port", String.valueOf(port), "--data",
          data.resolve("data").toString(), "--master-key-file", data.resolve("master.key").toString(), "--config",
          nodeConfig.toString());
      path = "/ready";
    }
    Path logFile = root.resolve("child.log");
    Double load = Units.loadAverage();
    long t0 = System.nanoTime();
    Process p = ChildJvm.start(jvm, config.classPath(), main, args, logFile, Map.of("HEARTH_LOG_FORMAT", "text"));
    double wallMs;
    double cpuMs;
    try {
      ChildJvm.awaitOk(p, port, path, t0, config.timeout(), logFile);
      wallMs = (System.nanoTime() - t0) / 1e6;
      cpuMs = p.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(Double.NaN);
    } finally {
      ChildJvm.stop(p);
    }
    int warnings = 0;
    long maxBlocked = 0;
    for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
      Matcher m = BLOCKED.matcher(line);
      if (m.find()) {
        warnings++;
        maxBlocked = Math.max(maxBlocked, Long.parseLong(m.group(2)));
        if (blocked.size() < 20) blocked.add(variant + " " + kind.label + ": " + line.strip());
      }
    }
    if (cold != null) deleteTree(cold);
    if (round >= 0) {
      log("%-5s %-11s round %d: %,8.0f ms to 200, %,8.0f ms CPU%s%s", variant, kind.label, round + 1, wallMs, cpuMs,
          warnings == 0 ? "" : String.format(", %d blocked-thread warnings (max %d ms)", warnings, maxBlocked),
          load == null ? "" : String.format(" (load %.2f)", load));
    }
    return new Sample(variant, kind, round, wallMs, cpuMs, warnings, maxBlocked, load);
  }

  static double median(double[] v) {
    if (v.length == 0) return Double.NaN;
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) return;
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(f -> {
        try {
          Files.deleteIfExists(f);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }

  private void log(String format, Object... args) {
    err.printf(format + "%n", args);
    err.flush();
  }
}
