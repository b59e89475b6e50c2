package dev.hearth.ops.bench.realtime;

import dev.hearth.ops.bench.ChildJvm;
import dev.hearth.ops.bench.StoreCeiling;
import dev.hearth.ops.bench.Units;
import dev.hearth.ops.bench.api.ApiResults;
import dev.hearth.ops.bench.api.BenchUser;
import dev.hearth.ops.bench.api.ClosedLoop;
import dev.hearth.ops.bench.api.Http;
import dev.hearth.ops.bench.api.NodeProbe;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@code hearth bench chat}: the setup, M subscribers on one channel, then for each sender
 * count a closed loop of posts while the subscribers listen, then the store ceiling.
 */
public final class ChatBench {

  /**
   * What to run; validated by {@link ChatBenchCommand}. The setup runs against {@code url}; posts and
   * subscribers spread over {@code spread} in turn (the fronts of a cluster; just {@code url} for one
   * node). {@code watched}: processes (name → pid) whose CPU time each run reports.
   */
  public record Config(URI url, int subscribers, List<Integer> senders, int users, Duration duration, Duration warmup,
      int textBytes, Duration drain, boolean storeCeiling, int storeSize, Duration storeDuration, Path storeDir,
      boolean wsCeiling, List<URI> spread, Map<String, Long> watched) {

    public Config(URI url, int subscribers, List<Integer> senders, int users, Duration duration, Duration warmup,
        int textBytes, Duration drain, boolean storeCeiling, int storeSize, Duration storeDuration, Path storeDir,
        boolean wsCeiling) {
      this(url, subscribers, senders, users, duration, warmup, textBytes, drain, storeCeiling, storeSize, storeDuration,
          storeDir, wsCeiling, List.of(url), Map.of());
    }

    JsonObject toJson() {
      return new JsonObject().put("url", url.toString()).put("subscribers", subscribers)
          .put("senders", new JsonArray(new ArrayList<>(senders))).put("users", users)
          .put("durationMs", duration.toMillis()).put("warmupMs", warmup.toMillis()).put("textBytes", textBytes)
          .put("drainMs", drain.toMillis()).put("storeCeiling", storeCeiling).put("storeSize", storeSize)
          .put("storeDurationMs", storeDuration.toMillis()).put("wsCeiling", wsCeiling);
    }
  }

  /**
   * One sender count: the posts as the closed loop saw them, what the subscribers got, every message
   * the loop sent (warmup included) and the CPU time each watched process used from the loop's start
   * to the end of the drain (empty when the CPU time is not readable: no /proc).
   */
  public record Run(int senders, ApiResults.Run posts, DeliveryLedger.Summary deliveries, Double loadAtStart,
      int messagesSent, Map<String, Double> cpuMs) {

    Run(int senders, ApiResults.Run posts, DeliveryLedger.Summary deliveries, Double loadAtStart) {
      this(senders, posts, deliveries, loadAtStart, 0, Map.of());
    }
  }

  /** The whole invocation. */
  public record Report(Config config, double setupSeconds, int subscribersOpen, List<Run> runs,
      Map<String, Long> closedByNode, List<StoreCeiling.Result> ceiling, String ceilingError,
      List<Run> wsCeiling, String wsCeilingError) {}

  private static final int CONNECT_PARALLEL = 32;
  private static final long SETUP_TIMEOUT_S = 600;

  private final Config config;
  private final PrintWriter err;

  public ChatBench(Config config, PrintWriter err) {
    this.config = config;
    this.err = err;
  }

  public Report run() throws Exception {
    // Subscribers parse on the event loops: one per core is what the machine has anyway.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors())));
    int maxSenders = config.senders().stream().mapToInt(Integer::intValue).max().orElse(1);
    try (Http setup = new Http(vertx, config.url(), Math.max(8, maxSenders));
        Http http = new Http(vertx, config.spread(), Math.max(8, maxSenders));
        RealtimeClients ws = new RealtimeClients(vertx, config.spread(), config.subscribers())) {
      for (URI u : config.spread()) {
        try (Http probe = new Http(vertx, u, 1)) {
          NodeProbe.health(probe, u);
        }
      }
      NodeProbe.health(setup, config.url());
      long t0 = System.nanoTime();
      log("setup: signing up %d users (bench-*@bench.test), an org, a project, a public channel", config.users());
      ChatSetup.World world = ChatSetup.create(setup, config.users(), err);
      DeliveryLedger ledger = new DeliveryLedger(config.subscribers());
      log("setup: opening %,d WebSocket subscribers to %s (%d users' tokens, round-robin)", config.subscribers(),
          world.topic(), world.users().size());
      RealtimeClients.forEach(config.subscribers(), CONNECT_PARALLEL, i -> {
        DeliveryLedger.Inbox inbox = ledger.inbox();
        return ws.open(world.users().get(i % world.users().size()).accessToken(), world.topic(),
            text -> onFrame(inbox, text));
      }).toCompletionStage().toCompletableFuture().get(SETUP_TIMEOUT_S, TimeUnit.SECONDS);
      double setupSeconds = (System.nanoTime() - t0) / 1e9;
      log("setup: done in %.1f s, %,d subscribers open", setupSeconds, ws.openCount());
      List<Run> runs = measure(vertx, http, world, ledger, "");
      Map<String, Long> closed = ws.closedByNode();
      int open = ws.openCount();
      ws.close();
      List<Run> wsCeiling = List.of();
      String wsCeilingError = null;
      if (config.wsCeiling()) {
        try {
          wsCeiling = bareCeiling(vertx, world.users().size());
        } catch (Exception e) {
          wsCeilingError = e.toString();
          log("WebSocket ceiling: FAILED: %s", e);
        }
      }
      List<StoreCeiling.Result> ceiling = List.of();
      String ceilingError = null;
      if (config.storeCeiling()) {
        TreeSet<Integer> writers = new TreeSet<>(config.senders());
        writers.add(1);
        log("store ceiling: the Hearth store alone, in this process, %s per writer count %s", human(config.storeDuration()),
            writers);
        try {
          ceiling = StoreCeiling.measure(storeDir(), config.storeSize(), List.copyOf(writers), Duration.ofSeconds(1),
              config.storeDuration(), err);
        } catch (Exception e) {
          ceilingError = e.toString();
          log("store ceiling: FAILED: %s", e);
        }
      }
      return new Report(config, setupSeconds, open, runs, closed, ceiling, ceilingError, wsCeiling, wsCeilingError);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** For each sender count: a closed loop of posts to {@code world} while the ledger's subscribers listen. */
  private List<Run> measure(Vertx vertx, Http http, ChatSetup.World world, DeliveryLedger ledger, String label)
      throws Exception {
    List<Run> runs = new ArrayList<>();
    int base = 0;
    for (int n : config.senders()) {
      Double load = loadAverage();
      log("%spost, %d senders: %s warmup, then %s measured, %,d subscribers%s", label, n, human(config.warmup()),
          human(config.duration()), config.subscribers(), load == null ? "" : String.format(" (load average %.2f)", load));
      Senders source = new Senders(world, ledger, base, config.textBytes());
      Map<String, Long> cpu0 = ProcessCpu.millis(config.watched());
      ApiResults.Run posts = new ClosedLoop(vertx, http, "post", source).run(n, config.warmup(), config.duration(), load);
      int end = source.end();
      drain(ledger, base, end);
      Map<String, Double> cpu = ProcessCpu.since(cpu0, config.watched());
      DeliveryLedger.Summary s = ledger.summarize(base, end);
      runs.add(new Run(n, posts, s, load, end - base, cpu));
      log("%spost, %d senders: %,.0f messages/s acknowledged, ack p50 %.3f p99 %.3f ms; commit->last subscriber"
          + " p50 %.3f p99 %.3f ms; %,d deliveries missed, %,d duplicates, %,d errors%s", label, n, posts.perSecond(),
          posts.p50Ms(), posts.p99Ms(), ms(s.commitToLast(), 50), ms(s.commitToLast(), 99), s.missedDeliveries(),
          s.duplicates(), posts.errors(), posts.errors() > 0 ? " " + posts.errorsByKind() + " first: " + posts.firstError() : "");
      base = end;
    }
    return runs;
  }

  /**
   * The physical ceiling: {@link BareBroadcastServer} in a child JVM, the same subscribers, clients
   * and sender counts as against the node.
   */
  private List<Run> bareCeiling(Vertx vertx, int users) throws Exception {
    int port = ChildJvm.freePort();
    // The directory may not exist yet (the store ceiling makes it when it runs).
    Path log = Files.createTempFile(Files.createDirectories(storeDir()), "hearth-bare-ws-", ".log");
    Process p = ChildJvm.start(List.of(), System.getProperty("java.class.path"),
        BareBroadcastServer.class.getName(), List.of(String.valueOf(port)), log, Map.of());
    try {
      ChildJvm.awaitOk(p, port, "/", System.nanoTime(), Duration.ofSeconds(300), log);
      URI bare = URI.create("http://127.0.0.1:" + port);
      List<BenchUser> fake = new ArrayList<>();
      for (int i = 0; i < users; i++) {
        BenchUser u = new BenchUser("bare-" + i + "@bench.test", "unused");
        u.session(new JsonObject().put("accessToken", "bare-" + i).put("expiresIn", 86_400), System.nanoTime());
        fake.add(u);
      }
      ChatSetup.World world = new ChatSetup.World(fake, "bare", "bare", "ceiling");
      int maxSenders = config.senders().stream().mapToInt(Integer::intValue).max().orElse(1);
      try (Http http = new Http(vertx, bare, Math.max(8, maxSenders));
          RealtimeClients ws = new RealtimeClients(vertx, bare, config.subscribers())) {
        DeliveryLedger ledger = new DeliveryLedger(config.subscribers());
        log("WebSocket ceiling: a bare Vert.x broadcast server (its own JVM, one server instance per event loop), %,d subscribers",
            config.subscribers());
        RealtimeClients.forEach(config.subscribers(), CONNECT_PARALLEL, i -> {
          DeliveryLedger.Inbox inbox = ledger.inbox();
          return ws.open("bare", world.topic(), text -> onFrame(inbox, text));
        }).toCompletionStage().toCompletableFuture().get(SETUP_TIMEOUT_S, TimeUnit.SECONDS);
        List<Run> runs = measure(vertx, http, world, ledger, "ceiling: ");
        ws.close();
        return runs;
      }
    } finally {
      ChildJvm.stop(p);
      Files.deleteIfExists(log);
    }
  }

  private Path storeDir() {
    if (config.storeDir() != null) return config.storeDir();
    Path target = Path.of("target");
    return Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
  }

  /** Waits until every measured message reached every subscriber, or nothing arrived for the drain time. */
  private void drain(DeliveryLedger ledger, int from, int to) throws InterruptedException {
    long last = ledger.incomplete(from, to);
    long quietSince = System.nanoTime();
    while (last > 0 && System.nanoTime() - quietSince < config.drain().toNanos()) {
      Thread.sleep(50);
      long now = ledger.incomplete(from, to);
      if (now < last) quietSince = System.nanoTime();
      last = now;
    }
    if (last > 0) log("drain: %,d messages still not at every subscriber after %s without progress", last, human(config.drain()));
  }

  static void onFrame(DeliveryLedger.Inbox inbox, String text) {
    long now = nowMicros();
    for (String frame : EventFrames.split(text)) {
      EventFrames.Event e = EventFrames.parse(frame);
      if (e != null) inbox.received(e.seq(), e.message(), e.tsMicros(), now);
    }
  }

  /** The closed loop's requests: post message {@code base + n}, round-robin over the users. */
  static final class Senders implements ClosedLoop.Source {
    private final ChatSetup.World world;
    private final DeliveryLedger ledger;
    private final int base;
    private final String pad;
    private final AtomicInteger end = new AtomicInteger();

    Senders(ChatSetup.World world, DeliveryLedger ledger, int base, int textBytes) {
      this.world = world;
      this.ledger = ledger;
      this.base = base;
      this.pad = "x".repeat(Math.max(0, textBytes - 20));
      this.end.set(base);
    }

    @Override
    public Http.Request request(long n) {
      int message = Math.toIntExact(base + n);
      end.accumulateAndGet(message + 1, Math::max);
      BenchUser u = world.users().get((int) (n % world.users().size()));
      JsonObject body = new JsonObject().put("text", EventFrames.TEXT_PREFIX + message + " " + pad)
          .put("clientMessageId", "bench-" + message);
      ledger.sent(message, nowMicros());
      return new Http.Request(HttpMethod.POST, world.messagesPath(), u.accessToken(), body.toBuffer().getBytes());
    }

    @Override
    public void answered(long n, boolean measured, boolean ok) {
      ledger.answered(Math.toIntExact(base + n), measured, ok);
    }

    int end() {
      return end.get();
    }
  }

  static long nowMicros() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  static double ms(org.HdrHistogram.Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  static Double loadAverage() {
    return Units.loadAverage();
  }

  static String human(Duration d) {
    return Units.human(d);
  }

  private void log(String format, Object... args) {
    err.printf(format + "%n", args);
    err.flush();
  }
}
