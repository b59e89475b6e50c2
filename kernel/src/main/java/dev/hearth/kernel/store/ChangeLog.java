package dev.hearth.kernel.store;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hearth.kernel.crypto.Files8;
import dev.hearth.kernel.crypto.StoreKeys;
import dev.hearth.kernel.store.proto.LogBatch;
import dev.hearth.module.ModuleException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Arrays;

/**
 * A store's change log, which is also its write-ahead log: segment files of CRC-framed, encrypted
 * {@link LogBatch} records, one frame per group commit.
 *
 * <pre>
 * frame = magic u32 | payload length u32 | first seq u64 | event count u32 | crc32c u32 | payload
 * </pre>
 * The CRC covers the header fields before it and the payload; the payload is the batch encrypted
 * with associated data naming the store and the first sequence, so a frame cannot be replayed at
 * another position. Opening scans the log, checks sequence continuity and cuts a torn tail.
 *
 * <p>Threading: one writer calls {@link #append} and {@link #force}; any thread may read.
 */
final class ChangeLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeLog.class);
  static final int MAGIC = 0x48524c31; // "HRL1"
  static final int HEADER = 24;
  static final int MAX_PAYLOAD = 256 << 20;

  private final Path dir;
  private final String store;
  private final StoreKeys keys;
  private final long segmentBytes;
  /** How much zeroed space the preallocator keeps ahead of the write position. */
  static final long ZERO_AHEAD = 8L << 20;

  private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
  private final Preallocator preallocator;
  private volatile long lastSeq;
  private long truncatedBytes;

  private ChangeLog(Path dir, String store, StoreKeys keys, long segmentBytes) {
    this.dir = dir;
    this.store = store;
    this.keys = keys;
    this.segmentBytes = segmentBytes;
    this.preallocator = new Preallocator(store, Math.min(ZERO_AHEAD, segmentBytes), segmentBytes);
  }

  /** Opens (or creates) the log in {@code dir}, verifying every frame and cutting a torn tail. */
  static ChangeLog open(Path dir, String store, StoreKeys keys, long segmentBytes) throws IOException {
    Files.createDirectories(dir);
    ChangeLog log = new ChangeLog(dir, store, keys, segmentBytes);
    log.recover();
    return log;
  }

  private void recover() throws IOException {
    List<Long> firsts = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.log"))
          .forEach(n -> firsts.add(Long.parseLong(n.substring(0, 20))));
    }
    firsts.sort(null);
    long expected = firsts.isEmpty() ? 1 : firsts.get(0);
    if (!firsts.isEmpty() && firsts.get(0) != 1) {
      // Older segments may be removed once a verified backup covers them; say so plainly.
      LOG.info("change log of store {} starts at sequence {}", store, firsts.get(0));
    }
    for (int i = 0; i < firsts.size(); i++) {
      long first = firsts.get(i);
      boolean last = i == firsts.size() - 1;
      if (first != expected) {
        throw new ModuleException(ModuleException.Code.DATA_LOSS, "change log of store '" + store
            + "' has a gap: expected a segment starting at " + expected + ", found " + first);
      }
      Segment seg = new Segment(first, dir.resolve(Segment.fileName(first)), last);
      segments.put(first, seg);
      expected = scan(seg, expected, last);
    }
    lastSeq = expected - 1;
  }

  /** Walks a segment's frames; returns the next expected sequence. Cuts a torn tail of the last segment. */
  private long scan(Segment seg, long expected, boolean last) throws IOException {
    long size = seg.writeSize();
    long pos = 0;
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    while (pos < size) {
      header.clear();
      String problem = null;
      int len = 0;
      long first = 0;
      int count = 0;
      if (seg.read(header, pos) < HEADER) {
        problem = "short header";
      } else {
        header.flip();
        int magic = header.getInt();
        len = header.getInt();
        first = header.getLong();
        count = header.getInt();
        int crc = header.getInt();
        if (magic == 0 && len == 0 && first == 0 && count == 0 && crc == 0) {
          // Preallocated, zeroed space: the data ends here cleanly.
          seg.endDataAt(pos);
          return expected;
        }
        if (magic != MAGIC) {
          problem = "bad magic";
        } else if (len < 0 || len > MAX_PAYLOAD || pos + HEADER + len > size) {
          problem = "bad length";
        } else if (first != expected || count <= 0) {
          problem = "sequence " + first + " where " + expected + " was expected";
        } else {
          ByteBuffer payload = ByteBuffer.allocate(len);
          seg.read(payload, pos + HEADER);
          if (crc != crc(header.array(), payload.array())) {
            problem = "checksum mismatch";
          }
        }
      }
      if (problem != null) {
        if (!last) {
          throw new ModuleException(ModuleException.Code.DATA_LOSS, "change log of store '" + store
              + "' is damaged in " + seg.path.getFileName() + " at offset " + pos + ": " + problem);
        }
        truncatedBytes = size - pos;
        LOG.warn("store {}: cutting a torn change-log tail of {} bytes at offset {} ({})",
            store, truncatedBytes, pos, problem);
        seg.truncate(pos);
        return expected;
      }
      seg.indexFrame(first, pos);
      expected = first + count;
      pos += HEADER + len;
    }
    return expected;
  }

  static int crc(byte[] header, byte[] payload) {
    CRC32C c = new CRC32C();
    c.update(header, 0, HEADER - 4);
    c.update(payload, 0, payload.length);
    return (int) c.getValue();
  }

  private byte[] aad(long firstSeq) {
    return aad(store, firstSeq);
  }

  /** Associated data of a frame: binds it to its store and position. */
  static byte[] aad(String store, long firstSeq) {
    return ("hearth/log/" + store + "/" + firstSeq).getBytes(StandardCharsets.UTF_8);
  }

  /** The sequence of the newest durable event. */
  long lastSequence() {
    return lastSeq;
  }

  long truncatedBytes() {
    return truncatedBytes;
  }

  /** Writes one frame (not yet durable). Writer thread only. */
  void append(LogBatch batch) throws IOException {
    appendFrame(frame(batch), batch.getFirstSeq());
  }

  /**
   * A batch as the frame the log holds: header, CRC, payload encrypted for its store and first
   * sequence. What a cluster ships to its other processes, byte for byte.
   */
  byte[] frame(LogBatch batch) {
    long first = batch.getFirstSeq();
    byte[] payload = keys.encrypt(batch.toByteArray(), aad(first));
    ByteBuffer frame = ByteBuffer.allocate(HEADER + payload.length);
    frame.putInt(MAGIC).putInt(payload.length).putLong(first).putInt(batch.getEventsCount()).putInt(0).put(payload);
    frame.putInt(HEADER - 4, crc(frame.array(), payload));
    return frame.array();
  }

  /** Writes a frame made by {@link #frame} (here or by another process of the cluster); not yet durable. */
  void appendFrame(byte[] bytes, long first) throws IOException {
    Segment seg = segments.isEmpty() ? null : segments.lastEntry().getValue();
    if (seg == null || (seg.writeSize() > 0 && seg.writeSize() + bytes.length > segmentBytes)) {
      seg = roll(first, seg);
    }
    seg.indexFrame(first, seg.writeSize());
    seg.append(ByteBuffer.wrap(bytes));
    if (seg.zeroedEnd() - seg.writeSize() < ZERO_AHEAD / 2) {
      preallocator.request(seg);
    }
  }

  /**
   * Checks a frame another process made (its magic, length and CRC) and decrypts its batch; the
   * frame must hold events {@code first..first+count-1} of this store.
   *
   * @throws ModuleException INVALID_ARGUMENT when the frame is malformed, DATA_LOSS when it does
   *     not decrypt with this store's keys
   */
  LogBatch open(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (bytes.length < HEADER || b.getInt() != MAGIC) {
      throw ModuleException.invalidArgument("a replicated frame of store '" + store + "' has no frame header");
    }
    int len = b.getInt();
    long first = b.getLong();
    int count = b.getInt();
    int crc = b.getInt();
    if (len != bytes.length - HEADER || count <= 0 || first <= 0) {
      throw ModuleException.invalidArgument("a replicated frame of store '" + store + "' has a bad length or count");
    }
    byte[] payload = Arrays.copyOfRange(bytes, HEADER, bytes.length);
    if (crc != crc(bytes, payload)) {
      throw ModuleException.invalidArgument("a replicated frame of store '" + store + "' fails its checksum");
    }
    byte[] plain = keys.decrypt(payload, aad(first), "replicated change-log frame " + first
        + " (the processes of a cluster must share the store's keys)");
    try {
      LogBatch batch = LogBatch.parseFrom(plain);
      if (batch.getFirstSeq() != first || batch.getEventsCount() != count) {
        throw new ModuleException(ModuleException.Code.DATA_LOSS, "replicated frame " + first + " of store '" + store
            + "' does not match its header");
      }
      return batch;
    } catch (InvalidProtocolBufferException e) {
      throw new ModuleException(ModuleException.Code.DATA_LOSS, "replicated frame " + first + " of store '" + store
          + "' is not a valid batch", e);
    }
  }

  private Segment roll(long first, Segment previous) throws IOException {
    if (previous != null) {
      previous.force();
      StorePhases.at(StorePhases.Point.ROLL_BEFORE_TRIM);
      previous.trimZeros();
    }
    Segment seg = new Segment(first, dir.resolve(Segment.fileName(first)), true);
    StorePhases.at(StorePhases.Point.ROLL_NEW_SEGMENT);
    Files8.syncDir(dir);
    segments.put(first, seg);
    return seg;
  }

  /** Makes every appended frame durable; {@code upTo} becomes the last durable sequence. */
  void force(long upTo) throws IOException {
    segments.lastEntry().getValue().force();
    lastSeq = upTo;
  }

  /** Up to {@code limit} durable batches' events after {@code after}, decrypted, in order. */
  List<LogBatch> read(long after, int limitEvents) {
    List<LogBatch> out = new ArrayList<>();
    long durable = lastSeq;
    if (after >= durable) {
      return out;
    }
    Map.Entry<Long, Segment> start = segments.floorEntry(after + 1);
    if (start == null) {
      throw new ModuleException(ModuleException.Code.NOT_FOUND, "change log of store '" + store
          + "' no longer holds sequence " + (after + 1));
    }
    int events = 0;
    for (Segment seg : segments.tailMap(start.getKey(), true).values()) {
      long pos = seg.seekOffset(after + 1);
      long end = seg.durableSize();
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      while (pos < end && events < limitEvents) {
        header.clear();
        try {
          seg.read(header, pos);
          header.flip();
          header.getInt();
          int len = header.getInt();
          long first = header.getLong();
          int count = header.getInt();
          if (first > durable) {
            return out;
          }
          if (first + count - 1 > after) {
            ByteBuffer payload = ByteBuffer.allocate(len);
            seg.read(payload, pos + HEADER);
            byte[] plain = keys.decrypt(payload.array(), aad(first), "change-log frame " + first);
            out.add(LogBatch.parseFrom(plain));
            events += count;
          }
          pos += HEADER + len;
        } catch (InvalidProtocolBufferException e) {
          throw new ModuleException(ModuleException.Code.DATA_LOSS, "change-log frame of store '"
              + store + "' is not a valid batch", e);
        } catch (IOException e) {
          throw new ModuleException(ModuleException.Code.INTERNAL, "cannot read change log of store '"
              + store + "': " + e.getMessage(), e);
        }
      }
      if (events >= limitEvents) {
        break;
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    preallocator.close();
    if (!segments.isEmpty()) {
      segments.lastEntry().getValue().trimZeros();
    }
    for (Segment s : segments.values()) {
      s.close();
    }
  }
}
