package dev.hearth.federation;

import dev.hearth.federation.cdc.EnvelopeTrace;
import dev.hearth.federation.cdc.EnvelopeTrace.Stage;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a linked node's stream through a durable pull consumer, on a thread of its own, one message
 * at a time in stream order. The consumer lives on the peer's server, reached through the peer's
 * JetStream domain over the leaf connection, so it keeps its position while either node, either
 * server or the connection between them is down; this loop just tries again until {@link #close}.
 *
 * <p>The handler decides each message's fate: acknowledged, redelivered after a delay (an event that
 * arrived before the one it follows, a module that is not running yet), or terminated (forged; it is
 * never redelivered). A {@link BatchHandler} gets every message that has arrived so far at once (at
 * most {@link #BATCH}), in stream order, so that a reader that is behind can work on many together.
 */
final class PeerPull implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PeerPull.class);

  enum Verdict { ACK, RETRY, TERM }

  /** Messages asked for in one pull, and handed to a {@link BatchHandler} at once at most. */
  static final int BATCH = 256;
  /**
   * How long one pull stays open, and how long the reader waits for its next message. Short: with a
   * 1 s wait, the reader sometimes sat out the whole second while a's stream held messages for it and
   * no pull of its own was being served (jnats 2.26.2, nats-server 2.9.10: 12-18 of 1,000-2,000
   * messages at 100/s waited 0.9-1.02 s with a handler busy for 0-20 ms, with 100 ms none over 210
   * ms). An idle reader pulls ten times a second instead of once, a few bytes each.
   */
  static final Duration WAIT = Duration.ofMillis(100);

  @FunctionalInterface
  interface Handler {
    Verdict handle(Message message) throws Exception;
  }

  /** Handles the messages that have arrived, in stream order: one verdict each, in the same order. */
  @FunctionalInterface
  interface BatchHandler {
    Verdict[] handle(List<Message> messages) throws Exception;
  }

  private final Connection nc;
  private final String domain;
  private final String stream;
  private final String durable;
  private final String filter;
  private final BatchHandler handler;
  private final Duration retryDelay;
  private final Thread thread;
  private volatile boolean closed;

  /** A batch handler that handles each message on its own; one that throws is redelivered. */
  static BatchHandler each(Handler handler) {
    return messages -> {
      Verdict[] verdicts = new Verdict[messages.size()];
      for (int i = 0; i < verdicts.length; i++) verdicts[i] = one(handler, messages.get(i));
      return verdicts;
    };
  }

  PeerPull(Connection nc, String domain, String stream, String durable, String filter, Duration retryDelay,
      BatchHandler handler) {
    this.nc = nc;
    this.domain = domain;
    this.stream = stream;
    this.durable = durable;
    this.filter = filter;
    this.retryDelay = retryDelay;
    this.handler = handler;
    this.thread = new Thread(this::run, "hearth-fed-" + durable);
    thread.setDaemon(true);
  }

  PeerPull start() {
    thread.start();
    return this;
  }

  static JetStreamOptions domain(String domain) {
    return JetStreamOptions.builder().domain(domain).requestTimeout(Duration.ofSeconds(5)).build();
  }

  private void run() {
    int failures = 0;
    boolean created = false;
    while (!closed) {
      JetStreamSubscription sub = null;
      try {
        var jsm = nc.jetStreamManagement(domain(domain));
        if (!created) {
          jsm.addOrUpdateConsumer(stream, ConsumerConfiguration.builder()
              .durable(durable).filterSubject(filter).ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofSeconds(30))
              .maxAckPending(4096).build());
          created = true;
        } else if (gone(jsm)) {
          // The peer deleted it (it removed the link): making it again would replay its stream.
          log.warn("consumer {} on {} was deleted by the peer; reading stops", durable, stream);
          return;
        }
        sub = nc.jetStream(domain(domain)).subscribe(null, PullSubscribeOptions.bind(stream, durable));
        failures = 0;
        while (!closed) {
          // iterate, not fetch: fetch waits for a full batch or the timeout, so a lone event would wait for it.
          Iterator<Message> batch = sub.iterate(BATCH, WAIT);
          List<Message> arrived = new ArrayList<>();
          while (batch.hasNext() && !closed) {
            Message next = batch.next();
            if (EnvelopeTrace.on()) EnvelopeTrace.mark(traceKey(next), Stage.ARRIVED);
            arrived.add(next);
            // What is here already goes together; a lone message goes at once.
            if (sub.getPendingMessageCount() == 0) {
              settle(arrived, handle(arrived));
              arrived.clear();
            }
          }
          if (!arrived.isEmpty() && !closed) settle(arrived, handle(arrived));
        }
      } catch (Exception | Error e) {
        if (closed) return;
        // The peer's server or the leaf connection is down, or our own server is: try again.
        if (failures++ % 30 == 0) log.info("reading {} from domain {} failed, retrying: {}", durable, domain, e.toString());
        sleep(Math.min(5000, 200L * failures));
      } finally {
        if (sub != null) {
          try {
            sub.unsubscribe();
          } catch (RuntimeException ignored) {
            // the connection is gone; nothing to release
          }
        }
      }
    }
  }

  private boolean gone(JetStreamManagement jsm) throws IOException {
    try {
      jsm.getConsumerInfo(stream, durable);
      return false;
    } catch (JetStreamApiException e) {
      return e.getApiErrorCode() == 10014; // consumer not found
    }
  }

  private static Verdict one(Handler handler, Message m) {
    try {
      return handler.handle(m);
    } catch (Exception e) {
      log.warn("{}: handling message {} failed, it will be redelivered: {}", m.getSubject(), m.metaData().streamSequence(),
          e.toString());
      return Verdict.RETRY;
    }
  }

  private Verdict[] handle(List<Message> messages) {
    try {
      Verdict[] verdicts = handler.handle(messages);
      if (verdicts.length == messages.size()) return verdicts;
      log.warn("{}: {} verdicts for {} messages; all will be redelivered", durable, verdicts.length, messages.size());
    } catch (Exception e) {
      log.warn("{}: handling messages {} to {} failed, they will be redelivered: {}", durable,
          messages.get(0).metaData().streamSequence(), messages.get(messages.size() - 1).metaData().streamSequence(), e.toString());
    }
    Verdict[] retry = new Verdict[messages.size()];
    Arrays.fill(retry, Verdict.RETRY);
    return retry;
  }

  private void settle(List<Message> messages, Verdict[] verdicts) {
    for (int i = 0; i < verdicts.length; i++) {
      Message m = messages.get(i);
      switch (verdicts[i]) {
        case ACK -> {
          m.ack();
          if (EnvelopeTrace.on()) EnvelopeTrace.mark(traceKey(m), Stage.SETTLED);
        }
        case RETRY -> m.nakWithDelay(retryDelay);
        case TERM -> m.term();
      }
    }
  }

  /** A CDC envelope's {@link EnvelopeTrace} key, from its subject ({@code hearth.cdc.<node>.<scope>.<store>}); null for other messages. */
  static String traceKey(Message m) {
    String first = m.hasHeaders() ? m.getHeaders().getFirst("Hearth-Seq") : null;
    String[] subject = m.getSubject().split("\\.");
    if (first == null || subject.length != 5 || !subject[1].equals("cdc")) return null;
    return EnvelopeTrace.key(subject[2], subject[4], Long.parseLong(first));
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  /** Stops reading; the consumer stays on the peer's server with its position. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }

  /** Deletes the durable consumer on the peer's server (unlink: nothing more is read). Best effort. */
  void deleteConsumer() {
    try {
      nc.jetStreamManagement(domain(domain)).deleteConsumer(stream, durable);
    } catch (Exception e) {
      log.debug("cannot delete consumer {} on {}: {}", durable, stream, e.toString());
    }
  }
}
