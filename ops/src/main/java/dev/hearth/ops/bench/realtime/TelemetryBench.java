package dev.hearth.ops.bench.realtime;

import com.sun.management.OperatingSystemMXBean;
import dev.hearth.ops.bench.Units;
import dev.hearth.ops.bench.api.ApiResults;
import dev.hearth.ops.bench.api.ClosedLoop;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs {@code hearth bench telemetry}: three nodes in this process, one per {@link TelemetryMode},
 * each with its chat world and subscribers; then rounds in which each node in turn takes the same
 * closed-loop chat load (the order rotates every round, so drift in the machine's load is spread
 * over the modes).
 */
final class TelemetryBench {

  /** What to run; validated by {@link TelemetryBenchCommand}. */
  record Config(int subscribers, int senders, int users, Duration duration, Duration warmup, int textBytes, Duration drain,
      int rounds, Duration scrapeEvery, Path chatJar, Path dir) {}

  /** One measurement of one mode in one round. */
  record Measurement(TelemetryMode mode, int round, ApiResults.Run posts, DeliveryLedger.Summary deliveries, long scrapes,
      Double loadAtStart, double cpuMsPerMessage) {}

  /** The run: every measurement, and what the trace sink received. */
  record Report(Config config, List<Measurement> measurements, long traceExports, long traceBytes) {}

  private final Config config;
  private final PrintWriter err;
  /** The load's client side: HTTP and WebSocket connections of every arm. */
  private Vertx client;

  TelemetryBench(Config config, PrintWriter err) {
    this.config = config;
    this.err = err;
  }

  Report run() throws Exception {
    Path dir = Files.createTempDirectory(config.dir(), "hearth-bench-telemetry-");
    client = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors())));
    List<TelemetryArm> arms = new ArrayList<>();
    try (TraceSink sink = new TraceSink()) {
      try {
        for (TelemetryMode mode : TelemetryMode.values()) {
          long t0 = System.nanoTime();
          TelemetryArm arm = TelemetryArm.start(mode, dir.resolve(mode.name().toLowerCase()), config.chatJar(), sink.endpoint(),
              client, config.senders(), config.subscribers());
          arms.add(arm);
          arm.setUp(config.users(), config.subscribers(), err);
          log("setup: %s node on %s, %d users, %,d subscribers, %.1f s", mode.label, arm.url(), config.users(),
              arm.ws.openCount(), (System.nanoTime() - t0) / 1e9);
        }
        // One unrecorded round first: the nodes share this JVM's JIT, and the first arm measured would pay for all.
        log("warm-up round (not recorded)");
        for (TelemetryArm arm : arms) measure(arm, -1);
        List<Measurement> all = new ArrayList<>();
        for (int round = 0; round < config.rounds(); round++) {
          for (int i = 0; i < arms.size(); i++) {
            TelemetryArm arm = arms.get((i + round) % arms.size());
            all.add(measure(arm, round));
          }
        }
        return new Report(config, all, sink.exports.get(), sink.bytes.get());
      } finally {
        for (int i = arms.size() - 1; i >= 0; i--) arms.get(i).close(); // before the sink: the traced node sends its last spans
      }
    } finally {
      client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      deleteTree(dir);
    }
  }

  private Measurement measure(TelemetryArm arm, int round) throws Exception {
    Double load = Units.loadAverage();
    String label = round < 0 ? "warm-up" : "round " + (round + 1);
    log("%s, %s: %d senders, %s warmup, %s measured%s", label, arm.mode.label, config.senders(),
        Units.human(config.warmup()), Units.human(config.duration()), load == null ? "" : String.format(" (load average %.2f)", load));
    ChatBench.Senders source = new ChatBench.Senders(arm.world, arm.ledger, arm.base, config.textBytes());
    AtomicLong scrapes = new AtomicLong();
    Thread scraper = arm.mode == TelemetryMode.OFF ? null : scraper(arm.url(), scrapes);
    ApiResults.Run posts;
    long cpu0 = cpuNanos();
    int first = arm.base;
    try {
      posts = new ClosedLoop(client, arm.http, "post", source).run(config.senders(), config.warmup(), config.duration(), load);
    } finally {
      if (scraper != null) scraper.interrupt();
    }
    int end = source.end();
    // This process's CPU time per message posted (warmup included): the nodes, the client and the
    // scraper share the process, the idle arms cost little. Less sensitive to other load on the
    // machine than messages/s, which a busy neighbour halves.
    double cpuMs = (cpuNanos() - cpu0) / 1e6 / Math.max(1, end - first);
    drain(arm.ledger, arm.base, end);
    DeliveryLedger.Summary s = arm.ledger.summarize(arm.base, end);
    arm.base = end;
    log("%s, %s: %,.0f messages/s, ack p50 %.3f p99 %.3f ms; commit->last subscriber p50 %.3f p99 %.3f ms; %.3f CPU ms"
        + " per message; %,d missed, %,d errors, %d scrapes", label, arm.mode.label, posts.perSecond(), posts.p50Ms(), posts.p99Ms(),
        ChatBench.ms(s.commitToLast(), 50), ChatBench.ms(s.commitToLast(), 99), cpuMs, s.missedDeliveries(), posts.errors(),
        scrapes.get());
    return new Measurement(arm.mode, round, posts, s, scrapes.get(), load, cpuMs);
  }

  /** Reads the node's /metrics every scrape interval, as VictoriaMetrics would, while a metered node is measured. */
  private Thread scraper(URI node, AtomicLong scrapes) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Thread t = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(node.resolve("/metrics")).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
          if (r.statusCode() == 200) scrapes.incrementAndGet();
          Thread.sleep(config.scrapeEvery().toMillis());
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          log("scrape failed: %s", e);
          return;
        }
      }
    }, "bench-scraper");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static long cpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  private void drain(DeliveryLedger ledger, int from, int to) throws InterruptedException {
    long last = ledger.incomplete(from, to);
    long quietSince = System.nanoTime();
    while (last > 0 && System.nanoTime() - quietSince < config.drain().toNanos()) {
      Thread.sleep(50);
      long now = ledger.incomplete(from, to);
      if (now < last) quietSince = System.nanoTime();
      last = now;
    }
  }

  private static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("cannot delete " + dir + ": " + e);
    }
  }

  private void log(String format, Object... args) {
    err.printf(format + "%n", args);
    err.flush();
  }
}
