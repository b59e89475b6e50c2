package dev.hearth.federation.cdc;

import com.google.crypto.tink.KeysetHandle;
import com.google.protobuf.ByteString;
import dev.hearth.federation.cdc.EnvelopeTrace.Stage;
import dev.hearth.federation.crypto.Envelopes;
import dev.hearth.federation.crypto.NodeKeys;
import dev.hearth.federation.v1.CdcEvent;
import dev.hearth.federation.v1.CdcPayload;
import dev.hearth.federation.v1.Envelope;
import dev.hearth.federation.v1.EnvelopeHeader;
import dev.hearth.kernel.spi.TraceSpan;
import dev.hearth.kernel.spi.Tracing;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.change.Subscription;
import dev.hearth.module.store.Store;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one store's change events of shared projects to this node's JetStream stream, with the
 * change log as the outbox: it follows the log from its {@link OutboxCursor}, seals each event of a
 * shared scope ({@link Envelopes}: encrypted with the project's scope key, signed by the node) and
 * publishes it asynchronously under {@code hearth.cdc.<node>.<scope>.<store>} with the message id
 * {@code <node>.<store>.<seq>}, so a republish after a crash or a timeout is dropped by the stream's
 * duplicate window. At most {@code window} publishes are unacknowledged; when the window is full the
 * publisher stops reading the log (writers never wait for it). A failed publish is retried with the
 * same id until it is acknowledged. The cursor moves over an event once it and every event before it
 * are acknowledged (or were not to be published), and is saved every second and on close.
 *
 * <p>An envelope carries consecutive events of one project (one when traffic is light, up to {@link
 * #MAX_BATCH} under load): one signature and one replica transaction for all of them. Transaction
 * boundaries ({@code tx_events} in the design) are not in the log yet, so an envelope may end inside
 * an origin transaction.
 */
public final class CdcPublisher implements AutoCloseable {

  public static final int DEFAULT_WINDOW = 1024;
  /** Events per envelope at most. */
  static final int MAX_BATCH = 256;
  /** Payload bytes per envelope, about, at most. */
  static final int MAX_BATCH_BYTES = 256 * 1024;
  /** How long the sender waits for more events when it took fewer than a full envelope. */
  static final long LINGER_MILLIS = 2;
  /** Under load, the sender waits this long after one envelope before it seals the next (unless full). */
  static final long MIN_INTERVAL_MILLIS = 10;
  /** Events read from the log and not yet sealed. */
  private static final int QUEUE = 4096;
  private static final Logger log = LoggerFactory.getLogger(CdcPublisher.class);

  private final String node;
  private final Store store;
  private final JetStream js;
  private final SharedScopes scopes;
  private final NodeKeys keys;
  private final OutboxCursor cursor;
  private final Semaphore window;
  private final String stream;
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "hearth-cdc-publisher");
    t.setDaemon(true);
    return t;
  });
  /** Last published sequence per scope, for the envelopes' chain: from the cursor at start (sender thread only). */
  private final Map<String, Long> lastOfScope = new HashMap<>();
  private final LinkedBlockingQueue<ChangeEvent> queue = new LinkedBlockingQueue<>(QUEUE);
  private final Thread sender = new Thread(this::send, "hearth-cdc-sender");
  /** When the sender last sealed (sender thread only). */
  private long lastSealed = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
  private volatile Subscription subscription;
  private volatile boolean closed;
  private Tracing telemetry = Tracing.OFF;
  /** With {@link EnvelopeTrace} on: when each queued event came from the log, by sequence. */
  private final Map<Long, Long> loggedAt = new ConcurrentHashMap<>();

  public CdcPublisher(String node, Store store, JetStream js, SharedScopes scopes, NodeKeys keys, Path cursorFile,
      int window) {
    this.node = checkToken("node", node);
    this.store = store;
    this.js = js;
    this.scopes = scopes;
    this.keys = keys;
    this.cursor = new OutboxCursor(cursorFile);
    this.window = new Semaphore(window);
    this.stream = streamName(node);
  }

  /** The node's CDC stream. */
  public static String streamName(String node) {
    return "HEARTH_CDC_" + node.replaceAll("[^A-Za-z0-9_-]", "_");
  }

  /** Where an event of {@code scope} in {@code store} goes. */
  public static String subject(String node, String scope, String store) {
    return "hearth.cdc." + node + "." + scope + "." + store;
  }

  /**
   * Makes the node's CDC stream, or brings an existing one to this configuration: file storage, a
   * week of history, and a 5-minute duplicate window (a republish within it is dropped).
   */
  public static void ensureStream(JetStreamManagement jsm, String node) throws IOException, JetStreamApiException {
    ensureStream(jsm, node, Duration.ofDays(7), 0);
  }

  /** As {@link #ensureStream(JetStreamManagement, String)}, keeping events {@code maxAge} and at most {@code maxMessages} (0: no limit). */
  public static void ensureStream(JetStreamManagement jsm, String node, Duration maxAge, long maxMessages)
      throws IOException, JetStreamApiException {
    StreamConfiguration config = StreamConfiguration.builder().name(streamName(node))
        .subjects("hearth.cdc." + node + ".>").storageType(StorageType.File)
        .duplicateWindow(Duration.ofMinutes(5)).maxAge(maxAge).maxMessages(maxMessages > 0 ? maxMessages : -1).build();
    if (jsm.getStreamNames().contains(config.getName())) jsm.updateStream(config);
    else jsm.addStream(config);
  }

  /** Where publish spans go (the node's tracing); off by default. Set before {@link #start}. */
  public CdcPublisher tracing(Tracing telemetry) {
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    return this;
  }

  /** Starts following the log from the cursor. */
  public CdcPublisher start() {
    lastOfScope.putAll(cursor.chain());
    sender.setDaemon(true);
    sender.start();
    subscription = store.subscribe(cursor.done(), this::onEvent);
    timers.scheduleAtFixedRate(this::saveCursor, 1, 1, TimeUnit.SECONDS);
    return this;
  }

  /** Every event up to here is published and acknowledged (or was not to be published). */
  public long published() {
    return cursor.done();
  }

  private void onEvent(ChangeEvent event) {
    if (event.scope().isEmpty() || scopes.keyOf(event.scope()) == null) {
      cursor.skipped(event.sequence()); // unscoped or not shared: stays on this node
      return;
    }
    if (EnvelopeTrace.on()) loggedAt.put(event.sequence(), EnvelopeTrace.nowMicros());
    try {
      queue.put(event); // a full queue holds up reading the log, nothing else
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The sender: takes what the log delivered, waits {@link #LINGER_MILLIS} for more when there was
   * only a little (and under load until {@link #MIN_INTERVAL_MILLIS} after the last envelope), and
   * seals each project's events of that take into one envelope (at most {@link #MAX_BATCH} events or
   * {@link #MAX_BATCH_BYTES}). Under load envelopes fill up, so signatures and replica transactions
   * stay near 100 a second whatever the event rate; a lone event waits 2 ms.
   */
  private void send() {
    List<ChangeEvent> taken = new ArrayList<>();
    while (!closed) {
      try {
        ChangeEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        taken.clear();
        taken.add(first);
        queue.drainTo(taken, MAX_BATCH - 1);
        // Linger 2 ms, or under load until MIN_INTERVAL after the last envelope: at most ~100
        // envelopes (signatures, verifications, replica commits) a second however high the rate.
        long due = Math.max(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS),
            lastSealed + TimeUnit.MILLISECONDS.toNanos(MIN_INTERVAL_MILLIS));
        while (taken.size() < MAX_BATCH) {
          long left = due - System.nanoTime();
          ChangeEvent more = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
          if (more == null) break;
          taken.add(more);
          queue.drainTo(taken, MAX_BATCH - taken.size());
        }
        lastSealed = System.nanoTime();
        Map<String, List<ChangeEvent>> byScope = new LinkedHashMap<>();
        for (ChangeEvent e : taken) byScope.computeIfAbsent(e.scope(), k -> new ArrayList<>()).add(e);
        for (Map.Entry<String, List<ChangeEvent>> group : byScope.entrySet()) seal(group.getKey(), group.getValue());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.error("the CDC publisher of {} failed; events are published again after a restart", store.name(), e);
        return;
      }
    }
  }

  /** Seals one project's consecutive events into envelopes and publishes them. */
  private void seal(String scope, List<ChangeEvent> events) throws InterruptedException {
    KeysetHandle key = scopes.keyOf(scope);
    if (key == null) {
      for (ChangeEvent e : events) cursor.skipped(e.sequence()); // unshared since
      return;
    }
    CdcPayload.Builder payload = CdcPayload.newBuilder();
    List<Long> seqs = new ArrayList<>();
    int bytes = 0;
    for (ChangeEvent event : events) {
      CdcEvent.Builder e = CdcEvent.newBuilder().setSequence(event.sequence()).setCollection(event.collection())
          .setKey(event.key()).setDelete(event.op() == ChangeEvent.Op.DELETE).setActor(event.actor())
          .setTimeMicros(event.timeMicros());
      if (event.value() != null) e.setValue(ByteString.copyFrom(event.value()));
      payload.addEvents(e);
      seqs.add(event.sequence());
      bytes += e.getKey().length() + (event.value() == null ? 0 : event.value().length) + 64;
      if (bytes >= MAX_BATCH_BYTES) {
        publish(scope, event.store(), payload.build(), seqs, key);
        payload = CdcPayload.newBuilder();
        seqs = new ArrayList<>();
        bytes = 0;
      }
    }
    if (!seqs.isEmpty()) publish(scope, events.get(0).store(), payload.build(), seqs, key);
  }

  private void publish(String scope, String storeName, CdcPayload payload, List<Long> seqs, KeysetHandle key)
      throws InterruptedException {
    window.acquire(); // a full window holds up the sender, and through its queue the log reader
    long firstSeq = seqs.get(0);
    long lastSeq = seqs.get(seqs.size() - 1);
    long prev = lastOfScope.getOrDefault(scope, 0L);
    lastOfScope.put(scope, lastSeq);
    EnvelopeHeader header = EnvelopeHeader.newBuilder().setKind(EnvelopeHeader.Kind.CDC).setOrigin(node)
        .setScope(scope).setStore(storeName).setFirstSeq(firstSeq).setCount(seqs.size())
        .setPrevScopeSeq(prev).build();
    Envelope sealed = Envelopes.seal(header, payload.toByteArray(), key, keys);
    String traceKey = EnvelopeTrace.on() ? EnvelopeTrace.key(node, storeName, firstSeq) : null;
    if (traceKey != null) {
      EnvelopeTrace.mark(traceKey, Stage.COMMITTED, payload.getEvents(0).getTimeMicros());
      Long logged = loggedAt.get(firstSeq);
      if (logged != null) EnvelopeTrace.mark(traceKey, Stage.LOGGED, logged);
      seqs.forEach(loggedAt::remove);
      EnvelopeTrace.mark(traceKey, Stage.SEALED);
    }
    // The id names first and last: after a restart the same events may be grouped differently, and an
    // envelope that starts where an earlier one did but holds more must not be dropped as its duplicate.
    String id = node + "." + store.name() + "." + firstSeq + "-" + lastSeq;
    String subject = subject(node, checkToken("scope", scope), storeName);
    // Joins the trace of the write that made these events, if it was traced; the peer's apply joins it through the header.
    Map<String, String> traceHeaders = new HashMap<>(2);
    TraceSpan span = telemetry.publishing(storeName, seqs, subject, traceHeaders::put);
    publish(new Outgoing(id, seqs, scope, subject, sealed.toByteArray(), traceHeaders, span, traceKey), 0);
  }

  /** A sealed envelope on its way, with the sequences it carries and its trace (W3C headers, the publish span). */
  private record Outgoing(String id, List<Long> seqs, String scope, String subject, byte[] body, Map<String, String> trace,
      TraceSpan span, String traceKey) {}

  private void publish(Outgoing out, int attempt) {
    if (closed) {
      window.release();
      return;
    }
    Headers headers = new Headers().put("Hearth-Seq", Long.toString(out.seqs().get(0)))
        .put("Hearth-Count", Integer.toString(out.seqs().size()));
    out.trace().forEach(headers::put);
    try {
      js.publishAsync(NatsMessage.builder().subject(out.subject()).headers(headers).data(out.body()).build(),
              PublishOptions.builder().messageId(out.id()).expectedStream(stream).build())
          .whenComplete((ack, err) -> {
            if (err == null) {
              EnvelopeTrace.mark(out.traceKey(), Stage.ACKED);
              out.span().end(null);
              window.release();
              for (long seq : out.seqs()) cursor.finished(seq, out.scope());
            } else {
              retry(out, attempt, err);
            }
          });
    } catch (RuntimeException e) {
      retry(out, attempt, e);
    }
  }

  /** Tries again with the same message id, backing off to at most 5 s between attempts. */
  private void retry(Outgoing out, int attempt, Throwable why) {
    if (attempt == 0) out.span().end("publish failed, retrying: " + why); // the retries are not traced
    if (closed) {
      window.release();
      return;
    }
    if (attempt == 0 || attempt % 20 == 0) {
      log.warn("publishing {} {} failed (attempt {}), retrying: {}", store.name(), out.id(), attempt + 1, why.toString());
    }
    long delay = Math.min(5000, 100L << Math.min(attempt, 6));
    timers.schedule(() -> publish(out, attempt + 1), delay, TimeUnit.MILLISECONDS);
  }

  private void saveCursor() {
    try {
      cursor.save();
    } catch (RuntimeException e) {
      log.error("cannot save the outbox cursor of {}: {}", store.name(), e.toString());
    }
  }

  private static String checkToken(String what, String value) {
    // Subject tokens: no dots, spaces or wildcards.
    if (value == null || value.isEmpty() || !value.matches("[A-Za-z0-9_:-]+")) {
      throw new IllegalArgumentException(what + " '" + value + "' cannot be a NATS subject token");
    }
    return value;
  }

  /** Stops following the log and saves the cursor; publishes in flight may still land (and be deduplicated later). */
  @Override
  public void close() {
    closed = true;
    Subscription s = subscription;
    if (s != null) s.close();
    sender.interrupt();
    timers.shutdownNow();
    saveCursor();
  }
}
