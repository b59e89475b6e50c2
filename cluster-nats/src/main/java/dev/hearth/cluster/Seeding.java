package dev.hearth.cluster;

import dev.hearth.kernel.spi.ReplicaStore;
import dev.hearth.module.ModuleException;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single node made the first process of a cluster (docs/cluster.md, "Turning a single node into a
 * cluster"): the log its store holds from before the cluster becomes the store's stream's first
 * frames, byte for byte, published by the store's lease holder before its take-over marker. The
 * processes following the stream then get every event the node had, under the same sequences, and
 * the holder's own follower finds them all DUPLICATE.
 *
 * <p>Only a stream that holds nothing else is seeded: empty, or holding only frames this very log
 * seeded (a seeding cut off by the round's time budget, a lost connection or a crash, before its
 * marker). A stream an owner ever wrote ends in a marker or an owner's frame, and a log ahead of it
 * stays refused as before. Each frame is published with the stream's expected last sequence, so a
 * process that took the lease meanwhile (its marker) fences the seeding like any stale owner.
 */
final class Seeding {

  /** Header of a seeded frame: the process that put it into the stream. */
  static final String SEED = "Hearth-Seed";
  private static final Logger log = LoggerFactory.getLogger(Seeding.class);

  private final JetStream js;
  private final JetStreamManagement jsm;
  private final String processId;

  Seeding(JetStream js, JetStreamManagement jsm, String processId) {
    this.js = js;
    this.jsm = jsm;
    this.processId = processId;
  }

  /** Where the stream stands after a seeding step: its last message, and the store sequence its frames reach. */
  record Position(long lastMessage, long storeEnd) {}

  /**
   * Whether {@code store}'s stream, whose last message is {@code last}, holds only what this log
   * seeded: empty, or ending in a seeded frame equal byte for byte to this log's frame at its position.
   */
  boolean mayGoOn(String store, ReplicaStore s, long last) throws IOException, JetStreamApiException {
    if (last == 0) return true;
    MessageInfo m = jsm.getMessage(Replication.stream(store), last);
    Headers h = m.getHeaders();
    if (h == null || !h.containsKey(SEED)) return false;
    long first = Long.parseLong(h.getFirst(Replication.FIRST_SEQ));
    boolean[] same = {false};
    s.frames(first - 1, frame -> {
      same[0] = Arrays.equals(frame, m.getData());
      return false;
    });
    return same[0];
  }

  /**
   * Publishes this log's frames after store sequence {@code end} (the stream's frames reach it, its
   * last message is {@code last}) in order, until the log's end or {@code deadlineNanos} (at least
   * one frame), and returns where the stream stands then.
   *
   * @throws ModuleException when the log cannot be read from {@code end} on (NOT_FOUND: its start
   *     was removed), or a publish is refused (the stream moved on: another process holds the store)
   *     or not answered; what was published stays, and a later round goes on from the stream's end
   */
  Position seed(String store, ReplicaStore s, long last, long end, long deadlineNanos) {
    long[] at = {last, end};
    int[] published = {0};
    try {
      s.frames(end, frame -> {
        ByteBuffer b = ByteBuffer.wrap(frame);
        long first = b.getLong(8);
        int count = b.getInt(16);
        Headers h = new Headers().put(Replication.FIRST_SEQ, Long.toString(first))
            .put(Replication.LAST_SEQ, Long.toString(first + count - 1)).put("Hearth-Holder", processId)
            .put(SEED, processId);
        try {
          PublishAck ack = js.publish(NatsMessage.builder().subject(Replication.subject(store)).headers(h).data(frame).build(),
              PublishOptions.builder().expectedStream(Replication.stream(store)).expectedLastSequence(at[0])
                  .messageId(store + "/" + first).build());
          at[0] = ack.getSeqno();
          at[1] = first + count - 1;
          published[0]++;
        } catch (IOException | JetStreamApiException e) {
          throw new ModuleException(ModuleException.Code.UNAVAILABLE, "publishing the frame at sequence " + first
              + " failed (" + e.getMessage() + ")");
        }
        return System.nanoTime() - deadlineNanos < 0;
      });
      return new Position(at[0], at[1]);
    } finally {
      if (published[0] > 0) {
        log.info("process {} put store {}'s log from before the cluster into its replicated log: {} frames, up to"
            + " sequence {} of {}", processId, store, published[0], at[1], s.lastSequence());
      }
    }
  }
}
