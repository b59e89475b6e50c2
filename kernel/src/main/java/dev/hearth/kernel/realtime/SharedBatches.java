package dev.hearth.kernel.realtime;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code batch} frames of one event loop's drain round, built once and shared: the connections of
 * one loop that follow one channel find the same frames queued (the same {@link Frame#utf8} arrays,
 * in the same order), so the first of them builds the batch's bytes and the others write a retained
 * duplicate of them instead of copying the events again. A connection whose queue differs (a reply, a
 * resume, other topics) finds no match and gets a batch of its own, so nothing it sends changes.
 * Used on one event loop only, for one round; {@link #release} at its end.
 */
final class SharedBatches {

  static final byte[] OPEN = "{\"type\":\"batch\",\"frames\":[".getBytes(StandardCharsets.UTF_8);
  static final byte[] CLOSE = "]}".getBytes(StandardCharsets.UTF_8);
  /**
   * Batches kept for matching in one round. Connections drained while the feed is still queuing an
   * event to the loop's others see a frame more or less than their neighbours: a few shapes, not one.
   */
  private static final int KEEP = 4;

  private final LongAdder built;
  private final List<Built> kept = new ArrayList<>(KEEP);
  private int next; // the kept entry a new batch replaces once KEEP are held

  private record Built(List<byte[]> frames, int size, ByteBuf bytes) {}

  /** @param built counts the batches built (not the ones shared), for the node's metrics */
  SharedBatches(LongAdder built) {
    this.built = built;
  }

  /**
   * A batch frame of {@code frames} ({@code size} their bytes together), for the caller to write: it
   * owns one reference to the returned buffer. {@code frames} must not change afterwards.
   */
  ByteBuf batch(List<byte[]> frames, int size) {
    for (Built b : kept) {
      if (b.size() == size && same(b.frames(), frames)) return b.bytes().retainedDuplicate();
    }
    ByteBuf bytes = Unpooled.buffer(size + frames.size() + OPEN.length + CLOSE.length);
    bytes.writeBytes(OPEN);
    for (int i = 0; i < frames.size(); i++) {
      if (i > 0) bytes.writeByte(',');
      bytes.writeBytes(frames.get(i));
    }
    bytes.writeBytes(CLOSE);
    built.increment();
    Built b = new Built(frames, size, bytes);
    if (kept.size() < KEEP) {
      kept.add(b);
    } else {
      kept.set(next, b).bytes().release();
      next = (next + 1) % KEEP;
    }
    return bytes.retainedDuplicate();
  }

  /** The same arrays in the same order: frames are shared by reference, so identity is equality here. */
  private static boolean same(List<byte[]> a, List<byte[]> b) {
    if (a.size() != b.size()) return false;
    for (int i = a.size() - 1; i >= 0; i--) { // the newest frames differ first
      if (a.get(i) != b.get(i)) return false;
    }
    return true;
  }

  /** Ends the round: the writes hold their own references, so the bytes live until Netty has sent them. */
  void release() {
    for (Built b : kept) b.bytes().release();
    kept.clear();
    next = 0;
  }
}
