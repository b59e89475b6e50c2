package dev.hearth.cluster;

import dev.hearth.kernel.spi.ReplicaOutcome;
import dev.hearth.kernel.spi.ReplicaStore;
import io.nats.client.JetStream;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one store's replicated stream into the local store, exactly once by sequence (the store
 * answers DUPLICATE for frames it has, among them those this process published as owner). Runs on
 * a thread of its own with an ordered consumer from the stream's first message, so a standby is
 * warm and a new owner knows when it has everything ({@link #applied}).
 */
final class Follower implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(Follower.class);

  private final ReplicaStore store;
  private final JetStream js;
  private final Thread thread;
  private volatile boolean running = true;
  /** The stream sequence of the last message taken in (a frame applied or already here, or a marker). */
  private volatile long applied;
  /** The store sequence the stream's frames reach so far (the last event of the last frame seen). */
  private volatile long streamEnd;
  /** Why it stopped following, or null: a gap, or a frame this store cannot open. */
  private volatile String failure;

  Follower(ReplicaStore store, JetStream js) {
    this.store = store;
    this.js = js;
    this.thread = new Thread(this, "hearth-follow-" + store.name());
    this.thread.setDaemon(true);
  }

  Follower start() {
    thread.start();
    return this;
  }

  /** Whether it follows into this very store object (a reopened store is another one). */
  boolean follows(ReplicaStore s) {
    return store == s;
  }

  long applied() {
    return applied;
  }

  long streamEnd() {
    return streamEnd;
  }

  String failure() {
    return failure;
  }

  @Override
  public void run() {
    String name = store.name();
    try {
      JetStreamSubscription sub = js.subscribe(Replication.subject(name), PushSubscribeOptions.builder()
          .stream(Replication.stream(name)).ordered(true)
          .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build()).build());
      while (running) {
        Message m = sub.nextMessage(Duration.ofMillis(200));
        if (m == null) continue;
        long seq = m.metaData().streamSequence();
        if (m.hasHeaders() && m.getHeaders().containsKey(Replication.MARKER)) {
          applied = seq;
          continue;
        }
        ReplicaOutcome outcome = store.appendFrame(m.getData()).toCompletionStage().toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
        if (outcome == ReplicaOutcome.OUT_OF_ORDER) {
          fail("stream message " + seq + " skips events the local store lacks (local last sequence "
              + store.lastSequence() + ")");
          return;
        }
        String last = m.getHeaders().getFirst(Replication.LAST_SEQ);
        streamEnd = Math.max(streamEnd, Long.parseLong(last));
        applied = seq;
      }
      sub.unsubscribe();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (running) fail(e.getCause() != null ? e.getCause().getMessage() : String.valueOf(e.getMessage()));
    }
  }

  private void fail(String why) {
    failure = why;
    log.error("store {} stopped following its replicated log, so this process will not take it over: {}",
        store.name(), why);
  }

  void stop() {
    running = false;
    thread.interrupt();
  }
}
