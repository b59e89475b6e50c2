package dev.hearth.ops.bench.federation;

import dev.hearth.ops.bench.api.BenchUser;
import dev.hearth.ops.bench.api.Http;
import dev.hearth.ops.bench.realtime.ChatSetup;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * Posts chat messages to the owner's channel over REST as the setup's users (round-robin), on one
 * Vert.x context (every send and every answer on the same event loop). Two ways:
 * <ul>
 *   <li>{@link #paced}: an open loop at a target rate for a duration; message {@code n} is due at
 *       {@code start + n / rate}, and is sent then if fewer than {@code maxInFlight} posts are
 *       unanswered, else as soon as one is (a post sent late counts as {@code late}). A failed post
 *       is an error and is not retried.</li>
 *   <li>{@link #bulk}: {@code count} messages as fast as the API takes them, {@code concurrency} in
 *       flight (a closed loop). A failed post is sent again with the same {@code clientMessageId},
 *       which the chat module deduplicates, until it succeeds, so exactly {@code count} are written.</li>
 * </ul>
 */
final class Poster {

  /** What a run of posts did. */
  record Outcome(String label, long sent, long acknowledged, long errors, long late, double seconds, Histogram ackMicros,
      Map<String, Long> errorsByKind, String firstError) {

    double perSecond() {
      return seconds <= 0 ? 0 : acknowledged / seconds;
    }
  }

  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

  private final Vertx vertx;
  private final Http http;
  private final ChatSetup.World world;
  private final String pad;
  private final PrintWriter err;

  Poster(Vertx vertx, Http http, ChatSetup.World world, int textBytes, PrintWriter err) {
    this.vertx = vertx;
    this.http = http;
    this.world = world;
    this.pad = "x".repeat(Math.max(0, textBytes - 24));
    this.err = err;
  }

  /** One run's state; touched only on its context. */
  private final class Run {
    final String label;
    final Histogram ack = new Histogram(MAX_MICROS, 3);
    final Map<String, Long> errors = new TreeMap<>();
    String firstError;
    long sent;
    long acknowledged;
    long failed;
    long late;
    int inFlight;
    final CompletableFuture<Long> done = new CompletableFuture<>();

    Run(String label) {
      this.label = label;
    }

    Http.Request request(long n) {
      BenchUser u = world.users().get((int) (n % world.users().size()));
      String id = label + "-" + n;
      JsonObject body = new JsonObject().put("text", label + " " + n + " " + pad).put("clientMessageId", id);
      return new Http.Request(HttpMethod.POST, world.messagesPath(), u.accessToken(), body.toBuffer().getBytes());
    }

    void error(String kind, String detail) {
      failed++;
      errors.merge(kind, 1L, Long::sum);
      if (firstError == null) firstError = detail;
    }

    Outcome outcome(long startNanos) {
      long end = done.join();
      return new Outcome(label, sent, acknowledged, failed, late, (end - startNanos) / 1e9, ack, errors, firstError);
    }
  }

  /** {@code rate} posts a second for {@code seconds}, at most {@code maxInFlight} unanswered; waits for the last answer. */
  Outcome paced(String label, double rate, double seconds, int maxInFlight) throws Exception {
    long waitMs = (long) (seconds * 1000) + Http.TIMEOUT_MS + 60_000;
    return pacedAsync(label, rate, seconds, maxInFlight, () -> false).get(waitMs, TimeUnit.MILLISECONDS);
  }

  /**
   * As {@link #paced}, in the background; it sends nothing more once {@code stop} says so (checked
   * every millisecond) and completes when the last post sent is answered.
   */
  CompletableFuture<Outcome> pacedAsync(String label, double rate, double seconds, int maxInFlight, BooleanSupplier stop) {
    Run run = new Run(label);
    long[] total = {Math.round(rate * seconds)};
    long start = System.nanoTime();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      long[] timer = new long[1];
      Runnable pump = new Runnable() {
        @Override
        public void run() {
          if (stop.getAsBoolean()) total[0] = Math.min(total[0], run.sent);
          long now = System.nanoTime();
          long shouldHave = Math.min(total[0], (long) ((now - start) / 1e9 * rate) + 1);
          while (run.sent < shouldHave && run.inFlight < maxInFlight) {
            long n = run.sent++;
            long dueAt = start + (long) (n / rate * 1e9);
            if (now - dueAt > 5_000_000) run.late++; // more than 5 ms behind its slot
            send(run, n, this);
          }
          if (run.sent >= total[0] && run.inFlight == 0 && !run.done.isDone()) {
            vertx.cancelTimer(timer[0]);
            run.done.complete(System.nanoTime());
          }
        }
      };
      timer[0] = vertx.setPeriodic(1, id -> pump.run());
    });
    return run.done.thenApply(end -> run.outcome(start));
  }

  /** Exactly {@code count} posts, {@code concurrency} in flight, retried until each is acknowledged. */
  Outcome bulk(String label, int count, int concurrency, long progressEvery) throws Exception {
    Run run = new Run(label);
    long start = System.nanoTime();
    long step = Math.max(1, progressEvery);
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      for (int i = 0; i < Math.min(concurrency, count); i++) bulkNext(run, count, start, step);
    });
    run.done.get(24, TimeUnit.HOURS);
    return run.outcome(start);
  }

  private void bulkNext(Run run, int count, long start, long step) {
    if (run.sent >= count) {
      if (run.inFlight == 0 && !run.done.isDone()) run.done.complete(System.nanoTime());
      return;
    }
    long n = run.sent++;
    bulkSend(run, n, count, start, step, 0);
  }

  private void bulkSend(Run run, long n, int count, long start, long step, int attempt) {
    long t0 = System.nanoTime();
    run.inFlight++;
    http.send(run.request(n)).onComplete(ar -> {
      run.inFlight--;
      if (ar.succeeded() && ar.result().ok()) {
        run.ack.recordValue(Math.max(1, Math.min(MAX_MICROS, (System.nanoTime() - t0) / 1000)));
        run.acknowledged++;
        if (run.acknowledged % step == 0) {
          double s = (System.nanoTime() - start) / 1e9;
          err.printf("  %s: %,d of %,d written (%,.0f/s)%n", run.label, run.acknowledged, count, run.acknowledged / s);
          err.flush();
        }
        bulkNext(run, count, start, step);
        return;
      }
      recordError(run, ar);
      if (attempt >= 20) {
        run.done.completeExceptionally(new IllegalStateException(run.label + ": message " + n + " failed 21 times: "
            + run.firstError));
        return;
      }
      // Same clientMessageId: the chat module answers the first message again if it was written.
      vertx.setTimer(Math.min(2000, 50L << Math.min(attempt, 5)), id -> bulkSend(run, n, count, start, step, attempt + 1));
    });
  }

  private void send(Run run, long n, Runnable pump) {
    long t0 = System.nanoTime();
    run.inFlight++;
    http.send(run.request(n)).onComplete(ar -> {
      run.inFlight--;
      if (ar.succeeded() && ar.result().ok()) {
        run.ack.recordValue(Math.max(1, Math.min(MAX_MICROS, (System.nanoTime() - t0) / 1000)));
        run.acknowledged++;
      } else {
        recordError(run, ar);
      }
      pump.run();
    });
  }

  private static void recordError(Run run, AsyncResult<Http.Answer> ar) {
    if (ar.succeeded()) {
      run.error("HTTP " + ar.result().status(), ar.result().describe());
    } else {
      Throwable c = ar.cause();
      run.error(c.getClass().getSimpleName(), c.getClass().getSimpleName() + ": " + c.getMessage());
    }
  }
}
