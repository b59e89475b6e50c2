package dev.hearth.ops.bench.federation;

import dev.hearth.federation.cdc.CdcPublisher;
import dev.hearth.federation.cdc.EnvelopeTrace;
import dev.hearth.ops.bench.ModuleJar;
import dev.hearth.ops.bench.Units;
import dev.hearth.ops.bench.api.BenchUser;
import dev.hearth.ops.bench.api.BenchUsers;
import dev.hearth.ops.bench.api.Http;
import dev.hearth.ops.bench.realtime.ChatSetup;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Runs {@code hearth bench federation}: two nats-servers and two nodes in this process, a project of
 * node a shared with node b and joined by a user of b; then the NATS publish ceiling on a's server,
 * the replication lag a → b at a target rate, and the catch-up of b after a backlog written while
 * its link was paused.
 */
final class FederationBench {

  /** What to run; validated by {@link FederationBenchCommand}. */
  record Config(double rate, Duration duration, Duration warmup, int maxInFlight, int backlog, int backlogConcurrency, double liveRate,
      int users, int textBytes, Duration ceilingDuration, int ceilingWindow, Duration catchUpTimeout, Path dir,
      Path chatJar) {

    JsonObject toJson() {
      return new JsonObject().put("rate", rate).put("seconds", duration.toMillis() / 1000.0)
          .put("warmupSeconds", warmup.toMillis() / 1000.0).put("maxInFlight", maxInFlight)
          .put("backlog", backlog).put("backlogConcurrency", backlogConcurrency).put("liveRate", liveRate)
          .put("users", users).put("textBytes", textBytes).put("ceilingSeconds", ceilingDuration.toMillis() / 1000.0)
          .put("ceilingWindow", ceilingWindow).put("catchUpTimeoutSeconds", catchUpTimeout.toSeconds());
    }
  }

  /** The replication lag measurement. */
  record LagRun(Poster.Outcome posts, ReplicationWatch.Joined joined, long replicaEventsDuring, double drainSeconds,
      Double loadAtStart) {}

  /** The catch-up measurement: times in seconds from the resume. */
  record CatchUp(Poster.Outcome backlogPosts, long backlogWritten, double publishedAfterSeconds, long pendingAtResume,
      ReplicationWatch.Joined backlog, double firstAppliedSeconds, double allAppliedSeconds, double eventsPerSecond,
      double steadyEventsPerSecond, Double lagUnderOneSecondAfter, Poster.Outcome livePosts, ReplicationWatch.Joined live,
      List<long[]> progress, Double loadAtStart) {}

  /** The whole invocation; a part that did not run is null. */
  record Report(Config config, double setupSeconds, NatsCeiling.Result ceiling, LagRun lag, CatchUp catchUp,
      String error) {}

  private final Config config;
  private final PrintWriter err;

  FederationBench(Config config, PrintWriter err) {
    this.config = config;
    this.err = err;
  }

  Report run() throws Exception {
    Path chatJar = ModuleJar.find("chat", config.chatJar());
    Path dir = Files.createTempDirectory(baseDir(), "hearth-bench-fed-");
    log("setup: %s, chat module %s", dir, chatJar);
    long t0 = System.nanoTime();
    NatsCeiling.Result ceiling = null;
    LagRun lag = null;
    CatchUp catchUp = null;
    double setupSeconds = 0;
    try (TwoNodes nodes = TwoNodes.start(dir, chatJar, err)) {
      Vertx vertx = Vertx.vertx();
      try (Http onA = new Http(vertx, nodes.a.url(), Math.max(config.maxInFlight(), config.backlogConcurrency()) + 8);
          Http onB = new Http(vertx, nodes.b.url(), 8)) {
        Shared shared = share(onA, onB);
        try (ReplicationWatch watch = new ReplicationWatch(nodes.a.stores().store("chat"),
            nodes.b.stores().store("chat"), shared.world.projectId(), "a")) {
          setupSeconds = (System.nanoTime() - t0) / 1e9;
          log("setup: done in %.1f s", setupSeconds);
          Poster poster = new Poster(vertx, onA, shared.world, config.textBytes(), err);
          try {
            ceiling = ceiling(nodes);
            lag = lag(poster, watch);
            relogIn(onA, onB, shared);
            catchUp = catchUp(nodes, onB, shared, poster, watch);
          } catch (Exception e) {
            log("FAILED: %s", e);
            e.printStackTrace(err);
            return new Report(config, setupSeconds, ceiling, lag, catchUp, e.toString());
          }
        }
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } finally {
      log("cleanup: nodes and nats-servers stopped, deleting %s", dir);
      deleteTree(dir);
    }
    return new Report(config, setupSeconds, ceiling, lag, catchUp, null);
  }

  // ---------------------------------------------------------------------------------------------
  // Setup: the owner's world on a, a user and an org on b, the link, the share, b's user joins.

  /** What the setup made. */
  record Shared(ChatSetup.World world, BenchUser bob, String globex, String linkId) {
    String linkPathOnB() {
      return "/v1/orgs/" + globex + "/federation/links/" + linkId;
    }
  }

  private Shared share(Http onA, Http onB) throws Exception {
    log("setup: on a, %d users (bench-*@bench.test), an org, a project, a public channel everyone joined", config.users());
    ChatSetup.World world = ChatSetup.create(onA, config.users(), err);
    BenchUser owner = world.users().get(0);
    BenchUser bob = BenchUsers.fresh();
    bob.session(call(onB, null, HttpMethod.POST, "/v1/auth/sign-up", new JsonObject(Buffer.buffer(
        bob.logInBody())), "sign-up on b"), System.nanoTime());
    String globex = call(onB, bob, HttpMethod.POST, "/v1/orgs", new JsonObject().put("name", "globex"), "creating b's org")
        .getString("id");
    log("setup: linking a's org with b's, sharing project %s, accepting it on b", world.projectId());
    String token = call(onA, owner, HttpMethod.POST, "/v1/orgs/" + world.orgId() + "/federation/invites", new JsonObject(),
        "creating a link invite on a (is federation on?)").getString("linkToken");
    String linkId = call(onB, bob, HttpMethod.POST, "/v1/orgs/" + globex + "/federation/links",
        new JsonObject().put("linkToken", token), "accepting the link on b").getString("id");
    Shared shared = new Shared(world, bob, globex, linkId);
    call(onA, owner, HttpMethod.POST, "/v1/orgs/" + world.orgId() + "/federation/links/" + linkId + "/shares",
        new JsonObject().put("projectId", world.projectId()), "sharing the project");
    eventually("b sees the share offer", () -> call(onB, bob, HttpMethod.GET, shared.linkPathOnB(), null, "reading the link on b")
        .getJsonArray("shares", new JsonArray()).size() == 1);
    call(onB, bob, HttpMethod.POST, shared.linkPathOnB() + "/shares/" + world.projectId() + "/accept", new JsonObject(),
        "accepting the share on b");
    String code = call(onA, owner, HttpMethod.POST, "/v1/projects/" + world.projectId() + "/invites",
        new JsonObject().put("role", "project-user"), "creating a project invite for b's user").getString("code");
    call(onB, bob, HttpMethod.POST, "/v1/federation/join-project", new JsonObject().put("code", code),
        "b's user joining the shared project");
    String channelPath = "/v1/projects/" + world.projectId() + "/chat/channels/" + world.channelId();
    eventually("the channel is replicated to b", () -> onB.send(new Http.Request(HttpMethod.GET, channelPath,
        bob.accessToken(), null)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).ok());
    log("setup: link %s active, b's user reads channel %s on b", linkId, world.channelId());
    return shared;
  }

  /** Fresh access tokens for everyone (they live 15 minutes; a long backlog outlasts them). */
  private void relogIn(Http onA, Http onB, Shared shared) throws Exception {
    for (BenchUser u : shared.world.users()) {
      u.session(call(onA, null, HttpMethod.POST, "/v1/auth/log-in", new JsonObject(Buffer.buffer(
          u.logInBody())), "log-in on a"), System.nanoTime());
    }
    shared.bob.session(call(onB, null, HttpMethod.POST, "/v1/auth/log-in", new JsonObject(Buffer.buffer(
        shared.bob.logInBody())), "log-in on b"), System.nanoTime());
  }

  // ---------------------------------------------------------------------------------------------
  // 1. The NATS publish ceiling on the owner's server.

  private NatsCeiling.Result ceiling(TwoNodes nodes) throws Exception {
    log("NATS ceiling: publishAsync of %,d-byte messages with message ids into a stream like HEARTH_CDC on a's server,"
        + " window %,d, 1 s warmup + %s", NatsCeiling.MESSAGE_BYTES, config.ceilingWindow(), human(config.ceilingDuration()));
    NatsCeiling.Result r = NatsCeiling.measure(nodes.nats.server("a").url(), config.ceilingWindow(), Duration.ofSeconds(1),
        config.ceilingDuration());
    log("NATS ceiling: %,.0f messages/s acknowledged (%.1f MiB/s), ack p50 %.2f ms p99 %.2f ms, %d errors", r.perSecond(),
        r.perSecond() * r.messageBytes() / 1048576.0, ms(r.latencyMicros(), 50), ms(r.latencyMicros(), 99), r.errors());
    return r;
  }

  // ---------------------------------------------------------------------------------------------
  // 2. Replication lag at the target rate.

  private LagRun lag(Poster poster, ReplicationWatch watch) throws Exception {
    if (!config.warmup().isZero()) {
      log("lag: warmup, %,.0f messages/s on a for %s, not measured; then until b holds them all", config.rate(),
          human(config.warmup()));
      watch.phase("warmup");
      Poster.Outcome w = poster.paced("warmup", config.rate(), config.warmup().toMillis() / 1000.0, config.maxInFlight());
      drain("warmup", watch, w.acknowledged(), Duration.ofSeconds(30));
    }
    Double load = loadAverage();
    log("lag: posting %,.0f messages/s on a for %s (at most %d in flight), measuring each one's arrival on b%s",
        config.rate(), human(config.duration()), config.maxInFlight(), load == null ? "" : String.format(" (load %.2f)", load));
    watch.phase("lag");
    long replicaBefore = watch.replicaEvents();
    Poster.Outcome posts = poster.paced("lag", config.rate(), config.duration().toMillis() / 1000.0, config.maxInFlight());
    log("lag: %,d posts acknowledged in %.1f s (%,.0f/s), ack p50 %.2f ms p99 %.2f ms, %,d sent late, %,d errors%s",
        posts.acknowledged(), posts.seconds(), posts.perSecond(), ms(posts.ackMicros(), 50), ms(posts.ackMicros(), 99),
        posts.late(), posts.errors(), posts.errors() > 0 ? " " + posts.errorsByKind() + " first: " + posts.firstError() : "");
    long t0 = System.nanoTime();
    drain("lag", watch, posts.acknowledged(), Duration.ofSeconds(30));
    double drainSeconds = (System.nanoTime() - t0) / 1e9;
    ReplicationWatch.Joined j = watch.join("lag");
    log("lag: %,d of %,d messages replicated to b; lag p50 %.2f ms, p99 %.2f ms, max %.2f ms", j.applied(), j.written(),
        ms(j.lagMicros(), 50), ms(j.lagMicros(), 99), max(j.lagMicros()));
    if (EnvelopeTrace.on() && j.ownerMicros().length > 0) {
      EnvelopeStages.log("lag", Arrays.stream(j.ownerMicros()).min().getAsLong(), Arrays.stream(j.ownerMicros()).max().getAsLong(),
          line -> log("%s", line));
    }
    return new LagRun(posts, j, watch.replicaEvents() - replicaBefore, drainSeconds, load);
  }

  /** Waits until a saw at least {@code acked} messages of the phase and b holds all of them, or nothing moved for {@code quiet}. */
  private void drain(String phase, ReplicationWatch watch, long acked, Duration quiet) throws InterruptedException {
    long last = -1;
    long since = System.nanoTime();
    while (true) {
      long written = watch.written(phase);
      long applied = watch.appliedOf(phase);
      if (written >= acked && applied >= written) return;
      if (applied + written != last) {
        last = applied + written;
        since = System.nanoTime();
      } else if (System.nanoTime() - since > quiet.toNanos()) {
        log("%s: b holds %,d of the %,d messages a wrote (%,d acknowledged), nothing moved for %s", phase, applied, written,
            acked, human(quiet));
        return;
      }
      Thread.sleep(200);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 3. Catch-up after a backlog written while b's link was paused.

  private CatchUp catchUp(TwoNodes nodes, Http onB, Shared shared, Poster poster, ReplicationWatch watch) throws Exception {
    String project = shared.world.projectId();
    call(onB, shared.bob, HttpMethod.POST, shared.linkPathOnB() + "/pause", new JsonObject(), "pausing the link on b");
    // b's reader may have a pull request open on a's server (100 ms expiry): a message delivered to it
    // after the reader stopped would be redelivered only after the ack wait (30 s). Let it expire.
    Thread.sleep(2000);
    Double load = loadAverage();
    log("catch-up: link paused on b; writing %,d messages on a as fast as the API takes them (%d in flight)%s",
        config.backlog(), config.backlogConcurrency(), load == null ? "" : String.format(" (load %.2f)", load));
    watch.phase("backlog");
    Poster.Outcome posts = poster.bulk("backlog", config.backlog(), config.backlogConcurrency(),
        Math.max(1000, config.backlog() / 10));
    log("catch-up: %,d messages written in %.1f s (%,.0f/s), ack p50 %.2f ms p99 %.2f ms, %,d failed attempts retried",
        posts.acknowledged(), posts.seconds(), posts.perSecond(), ms(posts.ackMicros(), 50), ms(posts.ackMicros(), 99),
        posts.errors());
    // Every backlog message seen on a, and published to a's CDC stream, before b resumes: the
    // catch-up then measures b reading and applying, not a's publisher.
    long t0 = System.nanoTime();
    waitFor("a's own subscriber sees every backlog message", Duration.ofSeconds(120),
        () -> watch.written("backlog") >= posts.acknowledged());
    long written = watch.written("backlog");
    long pending;
    // a's publisher has every backlog event in its stream once its outbox cursor (saved every
    // second) reaches the chat store's last sequence; envelopes hold several events, so the
    // consumer's pending count is in messages, not events.
    var chatOnA = nodes.a.stores().store("chat");
    long target = chatOnA.lastSequence();
    Path outbox = nodes.a.stores().dataDir().resolve("federation/outbox/chat.json");
    waitFor("a's CDC stream holds every backlog message for b", Duration.ofSeconds(300), () -> {
      if (!Files.exists(outbox)) return false;
      return new JsonObject(Files.readString(outbox)).getLong("done", 0L) >= target;
    });
    try (Connection nc = Nats.connect(nodes.nats.server("a").url())) {
      pending = nc.jetStreamManagement().getConsumerInfo(CdcPublisher.streamName("a"), "fed-b-" + project).getNumPending();
    }
    double publishedAfter = (System.nanoTime() - t0) / 1e9 + 0.0;
    log("catch-up: %,d envelopes (messages) pending for b in a's stream (published %.1f s after the last write was acknowledged);"
        + " b holds %,d of them; resuming, with %,.0f live messages/s on a meanwhile", pending, publishedAfter,
        watch.appliedOf("backlog"), config.liveRate());
    watch.phase("live");
    AtomicBoolean stopLive = new AtomicBoolean();
    long resumeMicros = ReplicationWatch.nowMicros();
    long resumeNanos = System.nanoTime();
    call(onB, shared.bob, HttpMethod.POST, shared.linkPathOnB() + "/resume", new JsonObject(), "resuming the link on b");
    CompletableFuture<Poster.Outcome> live = poster.pacedAsync("live", config.liveRate(),
        config.catchUpTimeout().toSeconds() + 60, Math.max(4, config.maxInFlight()), stopLive::get);
    List<long[]> progress = new ArrayList<>();
    long deadline = resumeNanos + config.catchUpTimeout().toNanos();
    long nextLog = resumeNanos;
    long applied = 0;
    while (System.nanoTime() < deadline) {
      applied = watch.appliedOf("backlog");
      long now = System.nanoTime();
      progress.add(new long[] {(now - resumeNanos) / 1_000_000, applied});
      if (applied >= written) break;
      if (now >= nextLog) {
        log("  catch-up: %,d of %,d backlog messages on b after %.1f s", applied, written, (now - resumeNanos) / 1e9);
        nextLog = now + 5_000_000_000L;
      }
      Thread.sleep(250);
    }
    Double underOneSecond = null;
    if (applied >= written) {
      // The backlog is in: the live messages behind it show when b is back to a lag under 1 s.
      try {
        waitFor("a live message reaching b within 1 s of its write", Duration.ofSeconds(30),
            () -> lagUnderOneSecond(watch.join("live"), resumeMicros) != null);
        underOneSecond = lagUnderOneSecond(watch.join("live"), resumeMicros);
      } catch (IllegalStateException e) {
        log("catch-up: %s", e.getMessage());
      }
    } else {
      log("catch-up: b holds %,d of %,d backlog messages after %s; giving up", applied, written, human(config.catchUpTimeout()));
    }
    stopLive.set(true);
    Poster.Outcome livePosts = live.get(Http.TIMEOUT_MS + 30_000, TimeUnit.MILLISECONDS);
    drain("live", watch, livePosts.acknowledged(), Duration.ofSeconds(15));
    ReplicationWatch.Joined backlog = watch.join("backlog");
    ReplicationWatch.Joined liveJoined = watch.join("live");
    long[] received = backlog.receivedMicros();
    double first = received.length == 0 ? Double.NaN : (received[0] - resumeMicros) / 1e6;
    double all = received.length == 0 ? Double.NaN : (received[received.length - 1] - resumeMicros) / 1e6;
    double rate = received.length == 0 ? 0 : received.length / all;
    double steady = steadyRate(received);
    log("catch-up: b applied %,d of %,d backlog messages, the first %.2f s and the last %.1f s after the resume:"
        + " %,.0f events/s overall, %,.0f events/s between 10%% and 90%%; lag under 1 s after %s", backlog.applied(),
        backlog.written(), first, all, rate, steady, underOneSecond == null ? "(never)" : String.format("%.1f s", underOneSecond));
    return new CatchUp(posts, written, publishedAfter, pending, backlog, first, all, rate, steady, underOneSecond, livePosts,
        liveJoined, progress, load);
  }

  /** Seconds from the resume until b applied a live message less than 1 s after a wrote it; null if none yet. */
  static Double lagUnderOneSecond(ReplicationWatch.Joined live, long resumeMicros) {
    long[] received = live.receivedMicros();
    long[] owner = live.ownerMicros();
    for (int i = 0; i < received.length; i++) {
      if (received[i] - owner[i] < 1_000_000) return (received[i] - resumeMicros) / 1e6;
    }
    return null;
  }

  /** Events/s between the 10% and the 90% mark of the arrivals (without the start and the tail). */
  static double steadyRate(long[] received) {
    if (received.length < 20) return Double.NaN;
    int lo = received.length / 10;
    int hi = received.length * 9 / 10;
    double seconds = (received[hi] - received[lo]) / 1e6;
    return seconds <= 0 ? Double.NaN : (hi - lo) / seconds;
  }

  // ---------------------------------------------------------------------------------------------

  interface Check {
    boolean holds() throws Exception;
  }

  private void eventually(String what, Check check) throws Exception {
    waitFor(what, Duration.ofSeconds(30), check);
  }

  private void waitFor(String what, Duration timeout, Check check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (check.holds()) return;
        last = null;
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("not within " + human(timeout) + ": " + what + (last == null ? "" : " (" + last + ")"), last);
  }

  /** One setup call; a non-2xx answer fails it with the call named. */
  private static JsonObject call(Http http, BenchUser as, HttpMethod method, String path, JsonObject body, String what)
      throws BenchUsers.SetupException {
    Future<Http.Answer> f = BenchUsers.call(http, new Http.Request(method, path, as == null ? null : as.accessToken(),
        body == null ? null : body.toBuffer().getBytes()), what);
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS).json();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw new BenchUsers.SetupException("setup failed: " + (c.getMessage() == null ? c.toString() : c.getMessage()), c);
    } catch (Exception e) {
      throw new BenchUsers.SetupException("setup failed: " + what + ": " + e, e);
    }
  }

  private Path baseDir() {
    if (config.dir() != null) return config.dir();
    Path target = Path.of("target");
    return Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // left behind; reported below
        }
      });
    } catch (IOException e) {
      System.err.println("cannot delete " + dir + ": " + e);
    }
    if (Files.exists(dir)) System.err.println("some files under " + dir + " could not be deleted");
  }

  static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  static double max(Histogram h) {
    return h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0;
  }

  static JsonObject latency(Histogram h) {
    return new JsonObject().put("count", h.getTotalCount()).put("p50", ms(h, 50)).put("p90", ms(h, 90)).put("p99", ms(h, 99))
        .put("p999", ms(h, 99.9)).put("max", max(h)).put("mean", h.getTotalCount() == 0 ? 0 : round(h.getMean() / 1000.0));
  }

  static double round(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? v : Math.round(v * 100) / 100.0;
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
