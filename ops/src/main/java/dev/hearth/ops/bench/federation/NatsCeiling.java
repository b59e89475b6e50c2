package dev.hearth.ops.bench.federation;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.NatsMessage;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The NATS publish ceiling: what the owner's JetStream server takes when nothing but a publisher
 * talks to it. One connection publishes 1 KiB messages with {@code publishAsync}, each with a message
 * id (so the server checks its duplicate window, as for {@code HEARTH_CDC}), at most {@code window}
 * unacknowledged, into a throwaway stream shaped like {@code HEARTH_CDC_<node>} (file storage, a
 * 5-minute duplicate window, 7 days' retention), for a warmup and then the measured time. The stream
 * is deleted afterwards.
 */
public final class NatsCeiling {

  static final String STREAM = "BENCH_CEILING";
  static final int MESSAGE_BYTES = 1024;

  /** Acknowledged publishes per second over the measured time, and their send-to-ack latency. */
  public record Result(long acknowledged, double seconds, double perSecond, Histogram latencyMicros, long errors, String firstError,
      int window, int messageBytes) {

    public JsonObject toJson() {
      return new JsonObject().put("messagesPerSecond", FederationBench.round(perSecond))
          .put("mibPerSecond", FederationBench.round(perSecond * messageBytes / (1024.0 * 1024.0)))
          .put("acknowledged", acknowledged).put("seconds", FederationBench.round(seconds)).put("errors", errors)
          .put("firstError", firstError).put("window", window).put("messageBytes", messageBytes)
          .put("ackMs", FederationBench.latency(latencyMicros));
    }
  }

  private NatsCeiling() {}

  static Result measure(String natsUrl, int window, Duration warmup, Duration duration) throws Exception {
    return measure(natsUrl, window, warmup, duration, 1);
  }

  /**
   * The same into a stream of {@code replicas} replicas (a clustered NATS: each publish is acknowledged
   * once a majority of them stored it), as a cluster's replicated change log is ({@code hearth bench
   * cluster}).
   */
  public static Result measure(String natsUrl, int window, Duration warmup, Duration duration, int replicas)
      throws Exception {
    Options options = new Options.Builder().server(natsUrl).connectionName("hearth-bench-ceiling")
        .connectionTimeout(Duration.ofSeconds(5)).build();
    try (Connection nc = Nats.connect(options)) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      if (jsm.getStreamNames().contains(STREAM)) jsm.deleteStream(STREAM);
      jsm.addStream(StreamConfiguration.builder().name(STREAM).subjects("bench.ceiling.>").storageType(StorageType.File)
          .duplicateWindow(Duration.ofMinutes(5)).maxAge(Duration.ofDays(7)).replicas(replicas).build());
      try {
        return run(nc.jetStream(), window, warmup, duration);
      } finally {
        jsm.deleteStream(STREAM);
      }
    }
  }

  private static Result run(JetStream js, int window, Duration warmup, Duration duration) throws InterruptedException {
    byte[] body = new byte[MESSAGE_BYTES];
    new Random(1).nextBytes(body);
    Semaphore inFlight = new Semaphore(window);
    Histogram latencies = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(1), 3);
    AtomicLong acked = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + duration.toNanos();
    String subject = "bench.ceiling.p.chat";
    for (long i = 0; ; i++) {
      inFlight.acquire();
      long t0 = System.nanoTime();
      if (t0 - end >= 0) {
        inFlight.release();
        break;
      }
      boolean measured = t0 - measureFrom >= 0;
      NatsMessage m = NatsMessage.builder().subject(subject).data(body).build();
      try {
        js.publishAsync(m, PublishOptions.builder().messageId("bench." + i).expectedStream(STREAM).build())
            .whenComplete((ack, err) -> {
              inFlight.release();
              if (!measured) return;
              if (err == null) {
                acked.incrementAndGet();
                latencies.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
              } else {
                errors.incrementAndGet();
                firstError.compareAndSet(null, err.toString());
              }
            });
      } catch (RuntimeException e) {
        inFlight.release();
        if (measured) {
          errors.incrementAndGet();
          firstError.compareAndSet(null, e.toString());
        }
      }
    }
    // Wait for the last acknowledgements (they count: they were sent within the measured time).
    if (!inFlight.tryAcquire(window, 30, TimeUnit.SECONDS)) {
      firstError.compareAndSet(null, "acknowledgements still missing 30 s after the end");
    }
    double seconds = (System.nanoTime() - measureFrom) / 1e9;
    Histogram copy = latencies.copy();
    return new Result(acked.get(), seconds, acked.get() / seconds, copy, errors.get(), firstError.get(), window,
        MESSAGE_BYTES);
  }
}
