package dev.hearth.cluster;

import dev.hearth.kernel.spi.ReplicaOutcome;
import dev.hearth.kernel.spi.ReplicaStore;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one store's replicated stream into the local store, exactly once by sequence (the store
 * answers DUPLICATE for frames it has, among them those this process published as owner). Runs on
 * a thread of its own with an ordered consumer, so a standby is warm and a new owner knows when it
 * has everything ({@link #applied}).
 *
 * <p>When the stream no longer holds the messages it needs next (trimmed below them after a
 * snapshot: docs/cluster.md, "Snapshots and trimming"), it first restores the store's snapshots it
 * lacks ({@link Snapshots#restore}) and follows the stream from its first message; a trim while it
 * follows shows as a hole in the message sequences, and it restores again.
 */
final class Follower implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(Follower.class);
  /** How often it looks again for a snapshot that covers a trimmed stream before it gives up. */
  private static final int RESTORE_TRIES = 30;
  /** The longest wait between two tries when NATS does not answer. */
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  /**
   * Where it stands: the stream message last taken in (a frame applied or already here, or a marker),
   * and the store sequence the stream's frames reach up to there (the last event of the last frame).
   */
  record Position(long message, long storeSeq) {}

  private final ReplicaStore store;
  private final JetStream js;
  private final JetStreamManagement jsm;
  private final Snapshots snapshots;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Position at = new Position(0, 0);
  /** The frame bytes taken in from the stream since it started (what the owner's snapshot threshold counts). */
  private volatile long bytes;
  /** Snapshots restored, and frames applied from them, since it started. */
  private volatile long restores;
  /** Why it stopped following, or null: a gap, or a frame this store cannot open. */
  private volatile String failure;

  Follower(ReplicaStore store, JetStream js, JetStreamManagement jsm, Snapshots snapshots) {
    this.store = store;
    this.js = js;
    this.jsm = jsm;
    this.snapshots = snapshots;
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

  /** The stream sequence of the last message taken in. */
  long applied() {
    return at.message();
  }

  /** The store sequence the stream's frames reach so far. */
  long streamEnd() {
    return at.storeSeq();
  }

  Position position() {
    return at;
  }

  long bytes() {
    return bytes;
  }

  /** How many times it restored snapshots since it started. */
  long restores() {
    return restores;
  }

  String failure() {
    return failure;
  }

  @Override
  public void run() {
    String name = store.name();
    int tries = 0;
    long backoff = 0;
    try {
      while (running) {
        try {
          long next = at.message() + 1;
          long first = firstMessage(name);
          if (first > next) {
            // The stream was trimmed below what this copy needs: the snapshots hold it.
            if (!restore(name, first)) {
              if (++tries >= RESTORE_TRIES) {
                fail("the replicated log starts at message " + first + " but no snapshot in " + Snapshots.BUCKET
                    + " reaches message " + (first - 1));
                return;
              }
              Thread.sleep(1000); // a snapshot being written; trimming comes only after it
              continue;
            }
            tries = 0;
          }
          if (follow(name)) return;
          backoff = 0;
        } catch (ExecutionException e) {
          // The store refused a frame (one it cannot open, a bad checksum): following on cannot get past it.
          if (running) fail(e.getCause() != null ? e.getCause().getMessage() : String.valueOf(e.getMessage()));
          return;
        } catch (IOException | JetStreamApiException | TimeoutException | IllegalStateException e) {
          // NATS did not answer, or the connection is being re-made: nothing is lost by asking again from the
          // last message taken in (frames come in exactly once by sequence).
          if (!running) return;
          backoff = Math.min(Math.max(250, backoff * 2), MAX_BACKOFF_MILLIS);
          log.warn("store {}: following its replicated log failed for now ({}); trying again in {} ms from message {}",
              name, e.getMessage(), backoff, at.message() + 1);
          Thread.sleep(backoff);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (running) fail(e.getCause() != null ? e.getCause().getMessage() : String.valueOf(e.getMessage()));
    }
  }

  /** The stream's first message (0 when it never held one), asking again for a while when NATS does not answer. */
  private long firstMessage(String name) throws IOException, JetStreamApiException, InterruptedException {
    for (int i = 0; ; i++) {
      try {
        return jsm.getStreamInfo(Replication.stream(name)).getStreamState().getFirstSequence();
      } catch (IOException e) {
        if (i >= 20 || !running) throw e;
        Thread.sleep(500);
      }
    }
  }

  /**
   * Restores the snapshots this copy lacks; true when they reach the stream's first message, so
   * following it from there misses nothing.
   */
  private boolean restore(String name, long first) throws IOException, JetStreamApiException, InterruptedException {
    List<Snapshots.Chunk> chain = snapshots.chain(name);
    Snapshots.Chunk newest = Snapshots.newest(chain);
    if (newest.streamSeq() + 1 < first) return false;
    log.info("store {}: its replicated log starts at message {} and this copy needs message {}: restoring snapshots"
        + " up to event {} (local copy at {})", name, first, at.message() + 1, newest.last(), store.lastSequence());
    long applied = snapshots.restore(name, store, chain);
    restores++;
    at = new Position(first - 1, Math.max(at.storeSeq(), newest.last()));
    log.info("store {}: {} frames restored from snapshots; following its replicated log from message {}", name, applied,
        first);
    return true;
  }

  /** Follows the stream after {@link #at}; true when done (stopped, failed), false on a hole: the stream was trimmed meanwhile. */
  private boolean follow(String name) throws Exception {
    long start = at.message() + 1;
    ConsumerConfiguration cc = start <= 1 ? ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build()
        : ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(start).build();
    JetStreamSubscription sub = js.subscribe(Replication.subject(name), PushSubscribeOptions.builder()
        .stream(Replication.stream(name)).ordered(true).configuration(cc).build());
    try {
      while (running) {
        Message m = sub.nextMessage(Duration.ofMillis(200));
        if (m == null) continue;
        long seq = m.metaData().streamSequence();
        Position now = at;
        if (seq <= now.message()) continue;
        if (seq > now.message() + 1) {
          log.info("store {}: its replicated log was trimmed past message {} while followed (next held: {}): restoring"
              + " from its snapshots", name, now.message() + 1, seq);
          return false;
        }
        if (m.hasHeaders() && m.getHeaders().containsKey(Replication.MARKER)) {
          at = new Position(seq, now.storeSeq());
          continue;
        }
        ReplicaOutcome outcome = store.appendFrame(m.getData()).toCompletionStage().toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
        if (outcome == ReplicaOutcome.OUT_OF_ORDER) {
          fail("stream message " + seq + " skips events the local store lacks (local last sequence "
              + store.lastSequence() + ")");
          return true;
        }
        String last = m.getHeaders().getFirst(Replication.LAST_SEQ);
        bytes += m.getData().length;
        at = new Position(seq, Math.max(now.storeSeq(), Long.parseLong(last)));
      }
      return true;
    } finally {
      try {
        sub.unsubscribe();
      } catch (RuntimeException closed) {
        // the connection is gone: so is the subscription
      }
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
