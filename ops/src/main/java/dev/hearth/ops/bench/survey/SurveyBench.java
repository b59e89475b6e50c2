package dev.hearth.ops.bench.survey;

import dev.hearth.ops.bench.LocalNode;
import dev.hearth.ops.bench.ModuleJar;
import dev.hearth.ops.bench.Units;
import dev.hearth.ops.bench.api.Http;
import dev.hearth.ops.bench.realtime.RealtimeClients;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Runs {@code hearth bench survey}: a node in this process with the survey module, the setup, one
 * WebSocket subscriber on the survey's topic, then answers over REST at a steady rate (open loop:
 * each leaves at its scheduled time whatever the earlier ones are doing) while the subscriber
 * notes when each total count first showed up in a {@code results.updated} event.
 *
 * <p>Answer k is "in" the results once an event's count reaches the number of answers sent before
 * k's acknowledgement: k committed before it was acknowledged, and only sent answers can have
 * committed before it, so that count includes k. The figure is therefore an upper bound: it may also
 * wait for answers that were in flight when k was acknowledged.
 */
final class SurveyBench {

  /** What to run; validated by {@link SurveyBenchCommand}. */
  record Config(int users, double rate, Duration duration, Duration warmup, Duration drain, Path dir, Path surveyJar) {}

  private final Config config;
  private final PrintWriter err;

  SurveyBench(Config config, PrintWriter err) {
    this.config = config;
    this.err = err;
  }

  SurveyResults.Report run() throws Exception {
    Path jar = ModuleJar.find("survey", config.surveyJar());
    Path dir = config.dir().resolve("survey-bench-" + System.currentTimeMillis());
    long t0 = System.nanoTime();
    log("setup: a node in this process under %s, survey module %s", dir, jar);
    try (LocalNode node = LocalNode.start(dir, jar, "survey")) {
      Vertx vertx = Vertx.vertx();
      try (Http http = new Http(vertx, node.url(), 64); RealtimeClients ws = new RealtimeClients(vertx, node.url(), 1)) {
        log("setup: node on %s; signing up %d users (bench-*@bench.test), an org, a project, one open survey",
            node.url(), config.users());
        SurveySetup.World world = SurveySetup.create(http, config.users(), err);
        int capacity = (int) Math.ceil(config.rate() * (config.warmup().toMillis() + config.duration().toMillis()) / 1000.0) + 16;
        Counts counts = new Counts(capacity);
        ws.open(world.users().get(0).accessToken(), world.topic(), counts::onFrame)
            .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        double setupSeconds = (System.nanoTime() - t0) / 1e9;
        Double load = Units.loadAverage();
        log("setup: done in %.1f s; subscribed to %s%s", setupSeconds, world.topic(),
            load == null ? "" : String.format(" (load average %.2f)", load));
        Answers answers = new Answers(capacity);
        send(http, world, answers);
        drain(answers, counts);
        long stored = storedCount(http, world);
        log("results: GetResults counts %,d responses; %,d answers sent, the subscriber's last count %,d", stored,
            answers.total, counts.max.get());
        return measure(answers, counts, setupSeconds, load).with(ws.closedByNode(), stored);
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** The number of responses GetResults reports at the end, -1 if it cannot be read. */
  private static long storedCount(Http http, SurveySetup.World world) {
    try {
      Http.Answer a = http.send(new Http.Request(HttpMethod.GET, world.resultsPath(), world.users().get(0).accessToken(), null))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      return a.ok() ? Long.parseLong(a.json().getValue("responses", "0").toString()) : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  /** The answers' times (nanoTime): sent, acknowledged (0: not yet or failed), and the count that includes each. */
  static final class Answers {
    final AtomicLongArray sent;
    final AtomicLongArray acked;
    final AtomicLongArray bound;
    final AtomicInteger sentCount = new AtomicInteger();
    final AtomicInteger answered = new AtomicInteger();
    final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    volatile String firstError;
    volatile int measuredFrom = -1;
    volatile int total;
    volatile long measureStart;
    volatile long measureEnd;

    Answers(int capacity) {
      sent = new AtomicLongArray(capacity);
      acked = new AtomicLongArray(capacity);
      bound = new AtomicLongArray(capacity);
    }
  }

  /** The subscriber's side: when each total count was first seen, on the WebSocket's event loop. */
  static final class Counts {
    final AtomicLongArray firstSeen;
    final AtomicLong max = new AtomicLong();
    final AtomicLong events = new AtomicLong();

    Counts(int capacity) {
      firstSeen = new AtomicLongArray(capacity + 1);
    }

    void onFrame(String text) {
      long now = System.nanoTime();
      for (long c : ResultsFrames.counts(text)) {
        events.incrementAndGet();
        long from = max.get();
        if (c <= from) continue;
        for (long k = from + 1; k <= c && k < firstSeen.length(); k++) firstSeen.set((int) k, now);
        max.set(c);
      }
    }
  }

  private void send(Http http, SurveySetup.World world, Answers a) {
    long period = Math.round(1e9 / config.rate());
    long start = System.nanoTime();
    long measureStart = start + config.warmup().toNanos();
    long end = measureStart + config.duration().toNanos();
    a.measureStart = measureStart;
    log("answer: %s warmup, then %s measured, target %.0f answers/s, %d users round-robin", Units.human(config.warmup()),
        Units.human(config.duration()), config.rate(), world.users().size());
    long nextProgress = start + TimeUnit.SECONDS.toNanos(5);
    int lastProgress = 0;
    for (int i = 0; i < a.sent.length(); i++) {
      long at = start + i * period;
      if (at >= end) break;
      long now;
      while ((now = System.nanoTime()) < at) LockSupport.parkNanos(at - now);
      if (a.measuredFrom < 0 && at >= measureStart) a.measuredFrom = i;
      if (now >= nextProgress) {
        int done = a.answered.get();
        log("answer: %,d sent, %,d answered (%,.0f/s over the last 5 s), %,d errors", i, done, (done - lastProgress) / 5.0,
            a.errors.values().stream().mapToLong(AtomicLong::get).sum());
        lastProgress = done;
        nextProgress += TimeUnit.SECONDS.toNanos(5);
      }
      int k = i;
      var user = world.users().get(i % world.users().size());
      a.sent.set(k, System.nanoTime());
      a.sentCount.incrementAndGet();
      http.send(new Http.Request(HttpMethod.POST, world.responsesPath(), user.accessToken(), SurveySetup.answer(k)))
          .onComplete(r -> {
            long t = System.nanoTime();
            if (r.succeeded() && r.result().ok()) {
              a.bound.set(k, a.sentCount.get());
              a.acked.set(k, t);
            } else {
              String kind = r.succeeded() ? "HTTP " + r.result().status() : r.cause().getClass().getSimpleName();
              a.errors.computeIfAbsent(kind, x -> new AtomicLong()).incrementAndGet();
              if (a.firstError == null) a.firstError = r.succeeded() ? r.result().describe() : String.valueOf(r.cause());
            }
            a.answered.incrementAndGet();
          });
      a.total = i + 1;
    }
    a.measureEnd = System.nanoTime();
    if (a.measuredFrom < 0) a.measuredFrom = a.total;
  }

  /** Waits for every answer's reply and for the count that includes the last acknowledged one, or no progress for the drain time. */
  private void drain(Answers a, Counts c) throws InterruptedException {
    long quietSince = System.nanoTime();
    long lastMark = -1;
    while (System.nanoTime() - quietSince < config.drain().toNanos()) {
      long maxBound = 0;
      for (int i = 0; i < a.total; i++) maxBound = Math.max(maxBound, a.bound.get(i));
      if (a.answered.get() == a.total && c.max.get() >= maxBound) return;
      long mark = a.answered.get() + c.max.get();
      if (mark != lastMark) {
        quietSince = System.nanoTime();
        lastMark = mark;
      }
      Thread.sleep(20);
    }
    log("drain: still waiting after %s without progress: %,d of %,d answered, count %,d", Units.human(config.drain()),
        a.answered.get(), a.total, c.max.get());
  }

  private SurveyResults.Report measure(Answers a, Counts c, double setupSeconds, Double load) {
    Histogram ack = histogram();
    Histogram ackToSeen = histogram();
    Histogram sendToSeen = histogram();
    long measured = 0;
    long ok = 0;
    long unseen = 0;
    long seenBeforeAck = 0;
    for (int i = a.measuredFrom; i < a.total; i++) {
      measured++;
      long acked = a.acked.get(i);
      if (acked == 0) continue;
      ok++;
      long sent = a.sent.get(i);
      ack.recordValue(micros(acked - sent));
      int bound = (int) a.bound.get(i);
      long seen = bound < c.firstSeen.length() ? c.firstSeen.get(bound) : 0;
      if (seen == 0) {
        unseen++;
        continue;
      }
      if (seen < acked) seenBeforeAck++;
      ackToSeen.recordValue(micros(Math.max(0, seen - acked)));
      sendToSeen.recordValue(micros(seen - sent));
    }
    // The rate the node kept: measured answers acknowledged, over the time until the last of them was.
    long lastAck = a.measureEnd;
    for (int i = a.measuredFrom; i < a.total; i++) lastAck = Math.max(lastAck, a.acked.get(i));
    double seconds = (lastAck - a.measureStart) / 1e9;
    Map<String, Long> errors = new TreeMap<>();
    a.errors.forEach((k, v) -> errors.put(k, v.get()));
    return new SurveyResults.Report(config, setupSeconds, load, a.total, measured, ok, seconds, ack, ackToSeen, sendToSeen,
        unseen, seenBeforeAck, c.max.get(), c.events.get(), errors, a.firstError, Map.of(), -1);
  }

  private static Histogram histogram() {
    return new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
  }

  private static long micros(long nanos) {
    return Math.min(TimeUnit.MINUTES.toMicros(5), Math.max(0, nanos / 1000));
  }

  private void log(String format, Object... args) {
    err.printf(format + "%n", args);
    err.flush();
  }
}
