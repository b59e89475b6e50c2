package dev.hearth.ops.bench.api;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * One scenario as a closed loop: {@code concurrency} slots, each sending its next request as soon as
 * the previous one is answered, for the warmup and then the measured duration. Only requests sent
 * after the warmup count; a 2xx answer's latency (send to last byte of the body) goes into the
 * slot's histogram, anything else is an error. The slots' histograms are merged at the end.
 */
public final class ClosedLoop {

  /** What a loop sends: its n-th request (n counts from 0 across all slots), and what became of it. */
  public interface Source {
    Http.Request request(long n);

    /**
     * Request {@code n} was answered with 2xx ({@code ok}) or not (another status, or it failed);
     * {@code measured}: it was sent after the warmup. Called on the loop's event loop.
     */
    default void answered(long n, boolean measured, boolean ok) {}
  }

  /** Latencies are recorded in microseconds, up to ten minutes, to three significant digits. */
  static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

  /** One slot's tally; touched by one callback at a time, read once every slot is done. */
  private static final class Slot {
    final Histogram latencies = new Histogram(MAX_MICROS, 3);
    final Map<String, Long> errors = new TreeMap<>();
    String firstError;
    final CompletableFuture<Long> done = new CompletableFuture<>();

    void error(String kind, String detail) {
      errors.merge(kind, 1L, Long::sum);
      if (firstError == null) {
        firstError = detail;
      }
    }
  }

  private final Vertx vertx;
  private final Http http;
  private final String label;
  private final Source source;
  private final AtomicLong sequence = new AtomicLong();
  private long measureFrom;
  private long end;

  ClosedLoop(Vertx vertx, Http http, Scenario scenario, List<BenchUser> users) {
    this(vertx, http, scenario.label(), n -> scenario.request(users, n));
  }

  /** A loop named {@code label} (in results and messages) sending what {@code source} makes. */
  public ClosedLoop(Vertx vertx, Http http, String label, Source source) {
    this.vertx = vertx;
    this.http = http;
    this.label = label;
    this.source = source;
  }

  public ApiResults.Run run(int concurrency, Duration warmup, Duration duration, Double loadAtStart) throws Exception {
    List<Slot> slots = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      slots.add(new Slot());
    }
    long start = System.nanoTime();
    measureFrom = start + warmup.toNanos();
    end = measureFrom + duration.toNanos();
    // Every request and callback on one event loop: sending from the calling (non-Vert.x) thread
    // raced with the response handling now and then and left a request unanswered.
    vertx.getOrCreateContext().runOnContext(v -> slots.forEach(this::next));
    CompletableFuture<?>[] done = slots.stream().map(s -> s.done).toArray(CompletableFuture<?>[]::new);
    long waitMs = warmup.toMillis() + duration.toMillis() + Http.TIMEOUT_MS + 30_000;
    try {
      CompletableFuture.allOf(done).get(waitMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(label + ": requests still unanswered " + waitMs / 1000 + " s after the start", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(label + ": " + e.getCause(), e.getCause());
    }
    long last = slots.stream().mapToLong(s -> s.done.join()).max().orElse(end);
    double seconds = Math.max(1, last - measureFrom) / 1e9;
    Histogram all = new Histogram(MAX_MICROS, 3);
    Map<String, Long> errors = new TreeMap<>();
    String firstError = null;
    for (Slot s : slots) {
      all.add(s.latencies);
      s.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
      firstError = firstError == null ? s.firstError : firstError;
    }
    return ApiResults.Run.of(label, concurrency, all, errors, firstError, seconds, loadAtStart);
  }

  /** Sends the slot's next request, or ends the slot once the deadline has passed. */
  private void next(Slot slot) {
    long t0 = System.nanoTime();
    if (t0 - end >= 0) {
      slot.done.complete(t0);
      return;
    }
    Http.Request request;
    long n = sequence.getAndIncrement();
    try {
      request = source.request(n);
    } catch (RuntimeException e) {
      slot.done.completeExceptionally(e);
      return;
    }
    http.send(request).onComplete(ar -> {
      long micros = (System.nanoTime() - t0) / 1000;
      boolean measured = t0 - measureFrom >= 0;
      boolean ok = ar.succeeded() && ar.result().ok();
      source.answered(n, measured, ok);
      if (ok) {
        if (measured) {
          slot.latencies.recordValue(Math.max(1, Math.min(MAX_MICROS, micros)));
        }
        next(slot);
        return;
      }
      if (measured) {
        if (ar.succeeded()) {
          slot.error("HTTP " + ar.result().status(), ar.result().describe());
        } else {
          Throwable c = ar.cause();
          slot.error(c.getClass().getSimpleName(), c.getClass().getSimpleName() + ": " + c.getMessage());
        }
      }
      // A failure can complete at once (e.g. connection refused): go on from the event loop, not from this stack.
      vertx.runOnContext(v -> next(slot));
    });
  }
}
