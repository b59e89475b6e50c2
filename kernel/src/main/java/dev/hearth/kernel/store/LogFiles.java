package dev.hearth.kernel.store;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hearth.kernel.crypto.Files8;
import dev.hearth.kernel.crypto.StoreKeys;
import dev.hearth.kernel.store.proto.LogBatch;
import dev.hearth.module.ModuleException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The change-log files of one store read and written as files, for backups and restores: frames
 * are found by their clear headers and CRCs, so copying and verifying a log needs no key. Only
 * {@link #cutAfter} (ending a log in the middle of a frame) and {@link #eventTimes} decrypt.
 *
 * <p>Reading a live store's log is safe below its durable end: frames are only ever appended, and
 * a caller passes the store's {@link HearthStore#lastSequence()} as the end, so a frame still being
 * written is never copied.
 */
public final class LogFiles {

  private LogFiles() {}

  /** One frame of a log: where it is and which events it holds. */
  public record Frame(Path segment, long offset, int length, long firstSeq, int count, int crc) {
    public long lastSeq() {
      return firstSeq + count - 1;
    }

    /** Header plus payload. */
    public long bytes() {
      return ChangeLog.HEADER + (long) length;
    }
  }

  /** Segment files of {@code logDir}, oldest first. */
  public static List<Path> segments(Path logDir) throws IOException {
    if (!Files.isDirectory(logDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(logDir)) {
      return files.filter(p -> p.getFileName().toString().matches("\\d{20}\\.log")).sorted().toList();
    }
  }

  /**
   * Calls {@code each} for every valid frame holding events after {@code afterSeq} and up to
   * {@code upToSeq}, in order. Stops quietly at the first frame that is not valid (zeroed space, a
   * torn tail); a gap in the sequences is {@code DATA_LOSS}.
   */
  public static void frames(Path logDir, long afterSeq, long upToSeq, Consumer<Frame> each) throws IOException {
    long expected = -1;
    for (Path seg : segments(logDir)) {
      try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ)) {
        long size = ch.size();
        long pos = 0;
        ByteBuffer header = ByteBuffer.allocate(ChangeLog.HEADER);
        while (pos + ChangeLog.HEADER <= size) {
          header.clear();
          readFully(ch, header, pos);
          header.flip();
          int magic = header.getInt();
          int len = header.getInt();
          long first = header.getLong();
          int count = header.getInt();
          int crc = header.getInt();
          if (magic != ChangeLog.MAGIC || len < 0 || len > ChangeLog.MAX_PAYLOAD || pos + ChangeLog.HEADER + len > size
              || count <= 0) {
            break;
          }
          ByteBuffer payload = ByteBuffer.allocate(len);
          readFully(ch, payload, pos + ChangeLog.HEADER);
          if (crc != ChangeLog.crc(header.array(), payload.array())) {
            break;
          }
          if (expected >= 0 && first != expected) {
            throw new ModuleException(ModuleException.Code.DATA_LOSS, "change log " + logDir
                + " has a gap: expected sequence " + expected + ", found " + first + " in " + seg.getFileName());
          }
          expected = first + count;
          if (first > upToSeq) {
            return;
          }
          if (first + count - 1 > afterSeq) {
            each.accept(new Frame(seg, pos, len, first, count, crc));
          }
          pos += ChangeLog.HEADER + len;
        }
      }
    }
  }

  /** A frame's bytes, header and payload, as the log holds them. */
  public static byte[] read(Frame f) throws IOException {
    try (FileChannel ch = FileChannel.open(f.segment(), StandardOpenOption.READ)) {
      ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(f.bytes()));
      readFully(ch, bytes, f.offset());
      return bytes.array();
    }
  }

  /** The sequence of the last valid frame's last event; 0 for an empty log. */
  public static long lastSequence(Path logDir) throws IOException {
    long[] last = {0};
    frames(logDir, 0, Long.MAX_VALUE, f -> last[0] = f.lastSeq());
    return last[0];
  }

  /** The frame whose last event is {@code seq}, or null when no frame ends there. */
  public static Frame frameEndingAt(Path logDir, long seq) throws IOException {
    Frame[] found = {null};
    frames(logDir, seq - 1, seq, f -> {
      if (f.lastSeq() == seq) found[0] = f;
    });
    return found[0];
  }

  /**
   * Copies the frames holding events in ({@code afterSeq}, {@code upToSeq}] into one new segment
   * file under {@code outDir}, named by its first sequence, and fsyncs it. {@code afterSeq} and
   * {@code upToSeq} must be frame boundaries (a store's durable sequence always is).
   *
   * @return the file written, or null when there was nothing to copy
   */
  public static Path copy(Path logDir, long afterSeq, long upToSeq, Path outDir, Consumer<Long> bytesCopied)
      throws IOException {
    List<Frame> frames = new ArrayList<>();
    frames(logDir, afterSeq, upToSeq, frames::add);
    if (frames.isEmpty()) {
      return null;
    }
    Frame head = frames.get(0);
    if (head.firstSeq() != afterSeq + 1) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "sequence " + afterSeq
          + " is not a frame boundary of " + logDir + " (the frame there starts at " + head.firstSeq() + ")");
    }
    Files.createDirectories(outDir);
    Path out = outDir.resolve(Segment.fileName(head.firstSeq()));
    try (FileChannel dst = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      FileChannel src = null;
      Path open = null;
      try {
        for (Frame f : frames) {
          if (!f.segment().equals(open)) {
            if (src != null) src.close();
            src = FileChannel.open(f.segment(), StandardOpenOption.READ);
            open = f.segment();
          }
          long done = 0;
          while (done < f.bytes()) {
            done += src.transferTo(f.offset() + done, f.bytes() - done, dst);
          }
          bytesCopied.accept(f.bytes());
        }
      } finally {
        if (src != null) src.close();
      }
      dst.force(true);
    }
    Files8.syncDir(outDir);
    return out;
  }

  /**
   * Ends the log in {@code logDir} right after sequence {@code seq}: later segments are deleted,
   * the frame holding {@code seq} is rewritten with only its events up to {@code seq} (decrypted
   * and encrypted again with the store's keys, at the same position so its associated data still
   * holds), and the file is cut after it. For point-in-time restores, on a log no store has open.
   *
   * @throws ModuleException NOT_FOUND when the log does not reach {@code seq}
   */
  public static void cutAfter(Path logDir, String store, StoreKeys keys, long seq) throws IOException {
    List<Frame> holding = new ArrayList<>();
    frames(logDir, seq - 1, seq, holding::add);
    if (holding.isEmpty() || holding.get(0).lastSeq() < seq) {
      throw new ModuleException(ModuleException.Code.NOT_FOUND,
          "the change log of store '" + store + "' does not reach sequence " + seq);
    }
    Frame f = holding.get(0);
    for (Path seg : segments(logDir)) {
      if (seg.getFileName().toString().compareTo(f.segment().getFileName().toString()) > 0) {
        Files.delete(seg);
      }
    }
    try (FileChannel ch = FileChannel.open(f.segment(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long end = f.offset() + f.bytes();
      if (f.lastSeq() > seq) {
        LogBatch batch = decrypt(ch, f, store, keys);
        LogBatch.Builder kept = batch.toBuilder().clearEvents();
        for (int i = 0; i < seq - f.firstSeq() + 1; i++) {
          kept.addEvents(batch.getEvents(i));
        }
        byte[] payload = keys.encrypt(kept.build().toByteArray(), ChangeLog.aad(store, f.firstSeq()));
        ByteBuffer frame = ByteBuffer.allocate(ChangeLog.HEADER + payload.length);
        frame.putInt(ChangeLog.MAGIC).putInt(payload.length).putLong(f.firstSeq())
            .putInt((int) (seq - f.firstSeq() + 1)).putInt(0).put(payload);
        frame.putInt(ChangeLog.HEADER - 4, ChangeLog.crc(frame.array(), payload));
        frame.flip();
        long pos = f.offset();
        while (frame.hasRemaining()) {
          pos += ch.write(frame, pos);
        }
        end = pos;
      }
      ch.truncate(end);
      ch.force(true);
    }
    Files8.syncDir(logDir);
  }

  /**
   * The last sequence whose event was written at or before {@code timeMicros}, 0 if none. Reads and
   * decrypts every frame: for point-in-time restores by timestamp.
   */
  public static long lastSequenceAt(Path logDir, String store, StoreKeys keys, long timeMicros) throws IOException {
    List<Frame> all = new ArrayList<>();
    frames(logDir, 0, Long.MAX_VALUE, all::add);
    long found = 0;
    for (Frame f : all) {
      try (FileChannel ch = FileChannel.open(f.segment(), StandardOpenOption.READ)) {
        LogBatch batch = decrypt(ch, f, store, keys);
        for (int i = 0; i < batch.getEventsCount(); i++) {
          if (batch.getEvents(i).getTimeMicros() > timeMicros) return found;
          found = f.firstSeq() + i;
        }
      }
    }
    return found;
  }

  /** Decrypts every frame of the log, to prove the keys open it. Returns the number of events. */
  public static long decryptAll(Path logDir, String store, StoreKeys keys) throws IOException {
    List<Frame> all = new ArrayList<>();
    frames(logDir, 0, Long.MAX_VALUE, all::add);
    long events = 0;
    for (Frame f : all) {
      try (FileChannel ch = FileChannel.open(f.segment(), StandardOpenOption.READ)) {
        events += decrypt(ch, f, store, keys).getEventsCount();
      }
    }
    return events;
  }

  private static LogBatch decrypt(FileChannel ch, Frame f, String store, StoreKeys keys) throws IOException {
    ByteBuffer payload = ByteBuffer.allocate(f.length());
    readFully(ch, payload, f.offset() + ChangeLog.HEADER);
    byte[] plain = keys.decrypt(payload.array(), ChangeLog.aad(store, f.firstSeq()), "change-log frame " + f.firstSeq());
    try {
      return LogBatch.parseFrom(plain);
    } catch (InvalidProtocolBufferException e) {
      throw new ModuleException(ModuleException.Code.DATA_LOSS,
          "change-log frame " + f.firstSeq() + " of store '" + store + "' is not a valid batch", e);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
    long pos = position;
    while (dst.hasRemaining()) {
      int n = ch.read(dst, pos);
      if (n < 0) {
        throw new IOException("unexpected end of " + ch);
      }
      pos += n;
    }
  }
}
