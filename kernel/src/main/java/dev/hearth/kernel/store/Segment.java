package dev.hearth.kernel.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One change-log file, named by the sequence of its first event. Only the store's writer appends;
 * readers use positional reads below {@link #durableSize()}, which only grows after an fsync.
 */
final class Segment implements AutoCloseable {

  /** A sparse index entry is kept every this many bytes, so a read seeks without scanning the file. */
  static final long INDEX_EVERY_BYTES = 64 * 1024;

  /** Zeroed space is added in chunks of this size, ahead of the write position. */
  static final int ZERO_CHUNK = 1 << 20;

  final long firstSeq;
  final Path path;
  private final FileChannel channel;
  private volatile long durableSize;
  private volatile long writeSize;
  /** End of the space written with zeros and synced: appends below it do not change the file's size. */
  private volatile long zeroedEnd;
  private long lastIndexed = -INDEX_EVERY_BYTES;
  /** first sequence of a frame -> its offset. */
  private final ConcurrentSkipListMap<Long, Long> sparse = new ConcurrentSkipListMap<>();

  Segment(long firstSeq, Path path, boolean writable) throws IOException {
    this.firstSeq = firstSeq;
    this.path = path;
    this.channel = writable
        ? FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
        : FileChannel.open(path, StandardOpenOption.READ);
    this.writeSize = channel.size();
    this.durableSize = writeSize;
    this.zeroedEnd = writeSize;
  }

  static String fileName(long firstSeq) {
    return String.format("%020d.log", firstSeq);
  }

  long durableSize() {
    return durableSize;
  }

  long writeSize() {
    return writeSize;
  }

  /** Notes a frame found or written at {@code offset}. */
  void indexFrame(long frameFirstSeq, long offset) {
    if (offset - lastIndexed >= INDEX_EVERY_BYTES) {
      sparse.put(frameFirstSeq, offset);
      lastIndexed = offset;
    }
  }

  /** The offset of a frame at or before the one holding {@code seq}; 0 if none is indexed. */
  long seekOffset(long seq) {
    Map.Entry<Long, Long> e = sparse.floorEntry(seq);
    return e == null ? 0 : e.getValue();
  }

  /**
   * Writes at the end of the data. Under the segment's lock, so the preallocator never zeroes a
   * range the writer is filling.
   */
  synchronized void append(ByteBuffer frame) throws IOException {
    long pos = writeSize;
    while (frame.hasRemaining()) {
      pos += channel.write(frame, pos);
    }
    writeSize = pos;
  }

  long zeroedEnd() {
    return zeroedEnd;
  }

  /**
   * Extends the zeroed space by one chunk past the data (preallocator thread). Why: on ext4 an
   * fdatasync after an append that grows the file must also journal the new size; overwriting
   * already-written blocks does not, and measured about twice as fast here.
   */
  void zeroOneChunk() throws IOException {
    long start;
    synchronized (this) {
      start = Math.max(zeroedEnd, writeSize);
      ByteBuffer zeros = ByteBuffer.allocate(ZERO_CHUNK);
      long pos = start;
      while (zeros.hasRemaining()) {
        pos += channel.write(zeros, pos);
      }
    }
    StorePhases.at(StorePhases.Point.PREALLOC_ZEROED);
    channel.force(false);
    synchronized (this) {
      zeroedEnd = Math.max(zeroedEnd, start + ZERO_CHUNK);
    }
  }

  /** After recovery: the data ends at {@code size}; what follows is zeroed space to reuse. */
  void endDataAt(long size) throws IOException {
    zeroedEnd = channel.size();
    writeSize = size;
    durableSize = size;
  }

  /** Drops zeroed space past the data, e.g. when the segment is finished. */
  synchronized void trimZeros() throws IOException {
    if (channel.size() > writeSize) {
      channel.truncate(writeSize);
      StorePhases.at(StorePhases.Point.ROLL_TRIMMED);
      channel.force(true);
    }
    zeroedEnd = writeSize;
  }

  void force() throws IOException {
    channel.force(false);
    durableSize = writeSize;
  }

  int read(ByteBuffer dst, long position) throws IOException {
    int total = 0;
    while (dst.hasRemaining()) {
      int n = channel.read(dst, position + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  /** Cuts a torn tail: everything from {@code size} on is discarded, durably. */
  void truncate(long size) throws IOException {
    channel.truncate(size);
    channel.force(true);
    writeSize = size;
    durableSize = size;
    zeroedEnd = size;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
