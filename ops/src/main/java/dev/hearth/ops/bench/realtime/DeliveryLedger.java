package dev.hearth.ops.bench.realtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.Histogram;

/**
 * Who received which message, for {@code hearth bench chat}. Messages are numbered by the bench
 * (0, 1, 2, ...; the number is in the text). Each subscriber's {@link Inbox} reports every copy it
 * gets; the ledger keeps per message how many subscribers got it, when the last one did, and the
 * event's {@code ts}; the sender records when it posted it and whether the post was acknowledged.
 * Thread-safe: subscribers run on several event loops.
 */
public final class DeliveryLedger {

  /** What became of a post. */
  enum Ack { NONE, MEASURED, WARMUP, FAILED }

  private static final int CHUNK_BITS = 14;
  private static final int CHUNK = 1 << CHUNK_BITS;
  private static final int MAX_CHUNKS = 1 << 12;
  public static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

  private static final class Chunk {
    final AtomicIntegerArray copies = new AtomicIntegerArray(CHUNK);
    final AtomicLongArray lastAt = new AtomicLongArray(CHUNK);
    final AtomicLongArray ts = new AtomicLongArray(CHUNK);
    final AtomicLongArray sentAt = new AtomicLongArray(CHUNK);
    final AtomicIntegerArray ack = new AtomicIntegerArray(CHUNK);
  }

  private final int subscribers;
  private final AtomicReferenceArray<Chunk> chunks = new AtomicReferenceArray<>(MAX_CHUNKS);
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong strays = new AtomicLong();

  DeliveryLedger(int subscribers) {
    this.subscribers = subscribers;
  }

  int subscribers() {
    return subscribers;
  }

  private Chunk chunk(int message) {
    int i = message >>> CHUNK_BITS;
    if (i >= MAX_CHUNKS) throw new IllegalStateException("more than " + (long) MAX_CHUNKS * CHUNK + " messages");
    Chunk c = chunks.get(i);
    if (c == null) {
      chunks.compareAndSet(i, null, new Chunk());
      c = chunks.get(i);
    }
    return c;
  }

  /** The sender is about to post {@code message} (client clock, epoch microseconds). */
  void sent(int message, long atMicros) {
    chunk(message).sentAt.set(message & (CHUNK - 1), atMicros);
  }

  /** The post of {@code message} was answered: 2xx ({@code ok}) or not; {@code measured}: sent after the warmup. */
  void answered(int message, boolean measured, boolean ok) {
    Ack a = !ok ? Ack.FAILED : measured ? Ack.MEASURED : Ack.WARMUP;
    chunk(message).ack.set(message & (CHUNK - 1), a.ordinal());
  }

  /** A new subscriber's view: tells its duplicates (an event seq not above the last one it saw) from new copies. */
  Inbox inbox() {
    return new Inbox();
  }

  /** One subscriber connection; used by one thread at a time (its event loop). */
  final class Inbox {
    private long lastSeq = -1;

    /**
     * The subscriber got the event with store sequence {@code seq}, carrying bench message
     * {@code message} (-1: not one of ours), stamped {@code tsMicros} by the node, at {@code atMicros}.
     */
    void received(long seq, int message, long tsMicros, long atMicros) {
      if (seq > 0) {
        // Change events come in store order on a topic; ephemeral ones (seq 0) have no order to check.
        if (seq <= lastSeq) {
          duplicates.incrementAndGet();
          return;
        }
        lastSeq = seq;
      }
      if (message < 0) {
        strays.incrementAndGet();
        return;
      }
      Chunk c = chunk(message);
      int i = message & (CHUNK - 1);
      c.ts.set(i, tsMicros);
      c.lastAt.accumulateAndGet(i, atMicros, Math::max);
      c.copies.incrementAndGet(i);
    }
  }

  /** Measured messages in [from, to) that not every subscriber has yet. */
  long incomplete(int from, int to) {
    long n = 0;
    for (int m = from; m < to; m++) {
      Chunk c = chunks.get(m >>> CHUNK_BITS);
      int i = m & (CHUNK - 1);
      if (c != null && c.ack.get(i) == Ack.MEASURED.ordinal() && c.copies.get(i) < subscribers) n++;
    }
    return n;
  }

  /** Deliveries of the measured messages in [from, to): what was missed, repeated, and how late the last copy was. */
  Summary summarize(int from, int to) {
    Histogram commitToLast = new Histogram(MAX_MICROS, 3);
    Histogram sendToLast = new Histogram(MAX_MICROS, 3);
    long measured = 0;
    long missed = 0;
    long extra = 0;
    long incomplete = 0;
    for (int m = from; m < to; m++) {
      Chunk c = chunks.get(m >>> CHUNK_BITS);
      int i = m & (CHUNK - 1);
      if (c == null || c.ack.get(i) != Ack.MEASURED.ordinal()) continue;
      measured++;
      int copies = c.copies.get(i);
      if (copies < subscribers) {
        missed += subscribers - copies;
        incomplete++;
        continue;
      }
      extra += copies - subscribers;
      long last = c.lastAt.get(i);
      commitToLast.recordValue(clamp(last - c.ts.get(i)));
      sendToLast.recordValue(clamp(last - c.sentAt.get(i)));
    }
    return new Summary(measured, incomplete, missed, duplicates.get() + extra, strays.get(), commitToLast, sendToLast);
  }

  private static long clamp(long micros) {
    return Math.max(0, Math.min(MAX_MICROS, micros));
  }

  /**
   * {@code duplicates} counts copies a subscriber got twice (over the whole run so far);
   * {@code commitToLast}: last subscriber's receipt − the event's ts; {@code sendToLast}: − the post's send.
   */
  public record Summary(long measured, long incompleteMessages, long missedDeliveries, long duplicates, long strays,
      Histogram commitToLast, Histogram sendToLast) {}
}
