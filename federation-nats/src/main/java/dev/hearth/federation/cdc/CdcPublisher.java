package dev.hearth.federation.cdc;

import com.google.crypto.tink.KeysetHandle;
import com.google.protobuf.ByteString;
import dev.hearth.federation.v1.CdcEvent;
import dev.hearth.federation.v1.CdcPayload;
import dev.hearth.federation.v1.Envelope;
import dev.hearth.federation.v1.EnvelopeHeader;
import dev.hearth.kernel.federation.Envelopes;
import dev.hearth.kernel.federation.NodeKeys;
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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
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
 * <p>One event per envelope for now: a replica applies events one at a time, in order (transaction
 * boundaries, {@code tx_events} in the design, are not in the log yet).
 */
public final class CdcPublisher implements AutoCloseable {

  public static final int DEFAULT_WINDOW = 1024;
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
  /** Last published sequence per scope, for the envelopes' chain: from the cursor at start (listener thread only). */
  private final Map<String, Long> lastOfScope = new HashMap<>();
  private volatile Subscription subscription;
  private volatile boolean closed;

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

  /** Starts following the log from the cursor. */
  public CdcPublisher start() {
    lastOfScope.putAll(cursor.chain());
    subscription = store.subscribe(cursor.done(), this::onEvent);
    timers.scheduleAtFixedRate(this::saveCursor, 1, 1, TimeUnit.SECONDS);
    return this;
  }

  /** Every event up to here is published and acknowledged (or was not to be published). */
  public long published() {
    return cursor.done();
  }

  private void onEvent(ChangeEvent event) {
    KeysetHandle key = event.scope().isEmpty() ? null : scopes.keyOf(event.scope());
    if (key == null) {
      cursor.skipped(event.sequence()); // unscoped or not shared: stays on this node
      return;
    }
    window.acquireUninterruptibly(); // a full window holds up reading the log, nothing else
    long prev = lastOfScope.getOrDefault(event.scope(), 0L);
    lastOfScope.put(event.scope(), event.sequence());
    EnvelopeHeader header = EnvelopeHeader.newBuilder().setKind(EnvelopeHeader.Kind.CDC).setOrigin(node)
        .setScope(event.scope()).setStore(event.store()).setFirstSeq(event.sequence()).setCount(1)
        .setPrevScopeSeq(prev).build();
    CdcEvent.Builder e = CdcEvent.newBuilder().setSequence(event.sequence()).setCollection(event.collection())
        .setKey(event.key()).setDelete(event.op() == ChangeEvent.Op.DELETE).setActor(event.actor())
        .setTimeMicros(event.timeMicros());
    if (event.value() != null) e.setValue(ByteString.copyFrom(event.value()));
    Envelope sealed = Envelopes.seal(header, CdcPayload.newBuilder().addEvents(e).build().toByteArray(), key, keys);
    publish(event.sequence(), event.scope(), subject(node, checkToken("scope", event.scope()), event.store()),
        sealed.toByteArray(), 0);
  }

  private void publish(long sequence, String scope, String subject, byte[] body, int attempt) {
    if (closed) {
      window.release();
      return;
    }
    Headers headers = new Headers().put("Hearth-Seq", Long.toString(sequence));
    String id = node + "." + store.name() + "." + sequence;
    try {
      js.publishAsync(NatsMessage.builder().subject(subject).headers(headers).data(body).build(),
              PublishOptions.builder().messageId(id).expectedStream(stream).build())
          .whenComplete((ack, err) -> {
            if (err == null) {
              window.release();
              cursor.finished(sequence, scope);
            } else {
              retry(sequence, scope, subject, body, attempt, err);
            }
          });
    } catch (RuntimeException e) {
      retry(sequence, scope, subject, body, attempt, e);
    }
  }

  /** Tries again with the same message id, backing off to at most 5 s between attempts. */
  private void retry(long sequence, String scope, String subject, byte[] body, int attempt, Throwable why) {
    if (closed) {
      window.release();
      return;
    }
    if (attempt == 0 || attempt % 20 == 0) {
      log.warn("publishing {} seq {} failed (attempt {}), retrying: {}", store.name(), sequence, attempt + 1, why.toString());
    }
    long delay = Math.min(5000, 100L << Math.min(attempt, 6));
    timers.schedule(() -> publish(sequence, scope, subject, body, attempt + 1), delay, TimeUnit.MILLISECONDS);
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
    timers.shutdownNow();
    saveCursor();
  }
}
