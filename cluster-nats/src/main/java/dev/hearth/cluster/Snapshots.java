package dev.hearth.cluster;

import dev.hearth.kernel.spi.ReplicaOutcome;
import dev.hearth.kernel.spi.ReplicaStore;
import dev.hearth.module.ModuleException;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.ObjectStore;
import io.nats.client.PurgeOptions;
import io.nats.client.api.ObjectInfo;
import io.nats.client.api.ObjectMeta;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamState;
import io.vertx.core.Future;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of the replicated stores and the trimming of their streams (docs/cluster.md, "Snapshots
 * and trimming").
 *
 * <p>A store's snapshot is what {@code hearth backup} copies of it: its change-log frames, which
 * <em>are</em> a consistent copy of the store at their last sequence (docs/architecture.md, "Store
 * engine"), byte for byte as the log holds them — clear headers, encrypted payloads, so nothing in
 * the bucket is in clear. Like an incremental backup, each snapshot is one object of the JetStream
 * object store {@link #BUCKET} holding the frames after the previous snapshot's last event: the
 * chain of a store's objects covers its log from sequence 1, each object written once. An object
 * records the stream message its last frame is in ({@code streamSeq}), so the stream's messages up to
 * there may go: the object store writes an object's chunks first and its metadata last, so an object
 * whose writer died midway does not exist for {@link #chain}, and nothing is trimmed on its account.
 *
 * <p>A process whose replica needs messages the stream no longer holds restores the chain's objects
 * it lacks through {@link ReplicaStore#appendFrame} (exactly once by sequence: frames it has are
 * DUPLICATE), and follows the stream from there.
 */
final class Snapshots {

  /** The object store bucket of every store's snapshots. */
  static final String BUCKET = "hearth-snapshots";
  static final String AFTER = "hearth-after";
  static final String LAST = "hearth-last";
  static final String STREAM_SEQ = "hearth-stream-seq";
  /** The clear header of a change-log frame: magic, payload length, first sequence, count, CRC. */
  static final int FRAME_HEADER = 24;
  /** Frames handed to the store's writer before the oldest is awaited (they group-commit). */
  private static final int WINDOW = 256;
  private static final Logger log = LoggerFactory.getLogger(Snapshots.class);
  /**
   * For the kill test only ({@code -Dhearth.cluster.snapshotPauseFile=F}): while file F exists, an
   * upload (in 1 KiB chunks then) pauses after its first chunk, so a process can be killed with half an
   * object written.
   */
  private static final String PAUSE_FILE = System.getProperty("hearth.cluster.snapshotPauseFile");

  /**
   * One snapshot object: the frames of events {@code after + 1 .. last}, the last of them in stream
   * message {@code streamSeq}. {@link #NONE} is the start of every chain.
   */
  record Chunk(String name, long after, long last, long streamSeq, long bytes) {
    static final Chunk NONE = new Chunk("", 0, 0, 0, 0);
  }

  private final Connection nc;
  private final String processId;
  private final int replicas;
  private volatile ObjectStore bucket;

  Snapshots(Connection nc, String processId, int replicas) {
    this.nc = nc;
    this.processId = processId;
    this.replicas = replicas;
  }

  static String objectName(String store, long last) {
    return store + "/" + String.format("%020d", last);
  }

  /** The bucket, made by the first process that needs it. */
  ObjectStore bucket() throws IOException, JetStreamApiException {
    ObjectStore b = bucket;
    if (b != null) return b;
    if (!nc.objectStoreManagement().getBucketNames().contains(BUCKET)) {
      try {
        nc.objectStoreManagement().create(ObjectStoreConfiguration.builder(BUCKET).storageType(StorageType.File)
            .replicas(replicas).description("Hearth store snapshots (encrypted change-log frames)").build());
        log.info("made object store {} ({} replicas) for the stores' snapshots", BUCKET, replicas);
      } catch (JetStreamApiException e) {
        log.info("object store {} not made here ({}): another process made it", BUCKET, e.getMessage());
      }
    }
    b = nc.objectStore(BUCKET);
    bucket = b;
    return b;
  }

  /**
   * The store's snapshots that cover its log from sequence 1 without a hole, oldest first (each
   * reaching further than the one before); empty when it has none.
   */
  List<Chunk> chain(String store) throws IOException, JetStreamApiException, InterruptedException {
    List<Chunk> all = new ArrayList<>();
    String prefix = store + "/";
    for (ObjectInfo o : bucket().getList()) {
      if (o.isDeleted() || !o.getObjectName().startsWith(prefix)) continue;
      Map<String, String> meta = o.getMetaData();
      try {
        all.add(new Chunk(o.getObjectName(), Long.parseLong(meta.get(AFTER)), Long.parseLong(meta.get(LAST)),
            Long.parseLong(meta.get(STREAM_SEQ)), o.getSize()));
      } catch (RuntimeException e) {
        log.warn("snapshot object {} has no readable sequences ({}): not used", o.getObjectName(), e.toString());
      }
    }
    return cover(all);
  }

  /**
   * The objects that cover a log from sequence 1 without a hole, oldest first: greedily, from where
   * the chain reaches, the object starting at or before it that reaches furthest.
   */
  static List<Chunk> cover(List<Chunk> objects) {
    List<Chunk> all = new ArrayList<>(objects);
    all.sort(Comparator.comparingLong(Chunk::after));
    List<Chunk> out = new ArrayList<>();
    long reach = 0;
    int i = 0;
    while (true) {
      Chunk best = null;
      for (; i < all.size() && all.get(i).after() <= reach; i++) {
        if (all.get(i).last() > reach && (best == null || all.get(i).last() > best.last())) best = all.get(i);
      }
      if (best == null) return out;
      out.add(best);
      reach = best.last();
    }
  }

  /** The newest of a chain, or {@link Chunk#NONE}. */
  static Chunk newest(List<Chunk> chain) {
    return chain.isEmpty() ? Chunk.NONE : chain.get(chain.size() - 1);
  }

  /**
   * Writes the snapshot after {@code prev}: this store's frames of events {@code prev.last + 1 ..
   * last}, the last in stream message {@code streamSeq}, read from its own log (the stream's frames
   * byte for byte: an owner's and a follower's log hold exactly them). Blocking.
   *
   * @throws ModuleException when the log does not hold those frames (NOT_FOUND: its start was removed)
   */
  Chunk write(String store, ReplicaStore s, Chunk prev, long last, long streamSeq)
      throws IOException, JetStreamApiException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long[] reached = {prev.last()};
    s.frames(prev.last(), frame -> {
      ByteBuffer b = ByteBuffer.wrap(frame);
      long frameLast = b.getLong(8) + b.getInt(16) - 1;
      if (frameLast > last) return false;
      out.writeBytes(frame);
      reached[0] = frameLast;
      return frameLast < last;
    });
    if (reached[0] != last) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "store '" + store + "'s log has no frame"
          + " ending at sequence " + last + " (it reaches " + reached[0] + " there)");
    }
    Chunk c = new Chunk(objectName(store, last), prev.last(), last, streamSeq, out.size());
    ObjectMeta.Builder mb = ObjectMeta.builder(c.name());
    boolean pause = PAUSE_FILE != null && Files.exists(Path.of(PAUSE_FILE));
    if (pause) mb.chunkSize(1024); // the test's kill lands between two chunks
    ObjectMeta meta = mb.description("store " + store + " events " + (c.after() + 1) + ".."
        + last + ", stream message " + streamSeq).metadata(Map.of(AFTER, Long.toString(c.after()), LAST,
        Long.toString(last), STREAM_SEQ, Long.toString(streamSeq), "hearth-process", processId)).build();
    try {
      bucket().put(meta, pause ? pausing(out.toByteArray(), c.name()) : new ByteArrayInputStream(out.toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IOException(e);
    }
    log.info("process {} wrote snapshot {} of store {}: events {}..{} up to stream message {}, {} bytes", processId,
        c.name(), store, c.after() + 1, last, streamSeq, c.bytes());
    return c;
  }

  /**
   * Purges the store's stream below {@code keep} messages under {@code streamSeq} (what a snapshot
   * covers), never above it; returns the stream's first message after.
   */
  long trim(String store, long streamSeq, long keep) throws IOException, JetStreamApiException {
    String stream = Replication.stream(store);
    long upTo = streamSeq + 1 - keep; // messages below it go: all of them are in the snapshot
    StreamState st = nc.jetStreamManagement().getStreamInfo(stream).getStreamState();
    if (upTo <= 1 || st.getFirstSequence() >= upTo) return st.getFirstSequence();
    nc.jetStreamManagement().purgeStream(stream, PurgeOptions.builder().sequence(upTo).build());
    log.info("stream {} trimmed: its messages below {} went (snapshot up to message {}, {} kept below it)", stream,
        upTo, streamSeq, keep);
    return upTo;
  }

  /**
   * Appends to {@code s} every event of the chain after its own last sequence, oldest first, exactly
   * once by sequence; returns how many frames it applied. Blocking.
   *
   * @throws ModuleException DATA_LOSS when a frame does not continue the store's log
   */
  long restore(String store, ReplicaStore s, List<Chunk> chain)
      throws IOException, JetStreamApiException, InterruptedException {
    long applied = 0;
    for (Chunk c : chain) {
      if (c.last() <= s.lastSequence()) continue;
      ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, c.bytes()));
      try {
        bucket().get(c.name(), bytes);
      } catch (NoSuchAlgorithmException e) {
        throw new IOException(e);
      }
      Deque<Future<ReplicaOutcome>> inFlight = new ArrayDeque<>();
      long[] count = {0};
      Consumer<Future<ReplicaOutcome>> await = f -> {
        ReplicaOutcome o = join(f);
        if (o == ReplicaOutcome.OUT_OF_ORDER) {
          throw new ModuleException(ModuleException.Code.DATA_LOSS, "snapshot " + c.name() + " skips events store '"
              + store + "' lacks (its last sequence " + s.lastSequence() + ")");
        }
        if (o == ReplicaOutcome.APPLIED) count[0]++;
      };
      frames(bytes.toByteArray(), frame -> {
        inFlight.add(s.appendFrame(frame));
        if (inFlight.size() >= WINDOW) await.accept(inFlight.poll());
      });
      while (!inFlight.isEmpty()) await.accept(inFlight.poll());
      applied += count[0];
      log.info("store {} restored snapshot {} (events {}..{}, {} frames applied): now at sequence {}", store, c.name(),
          c.after() + 1, c.last(), count[0], s.lastSequence());
    }
    return applied;
  }

  /** The object's bytes, with a pause after the first chunk (logged, so the test knows when to kill). */
  private static InputStream pausing(byte[] bytes, String name) {
    return new ByteArrayInputStream(bytes) {
      private boolean paused;

      @Override
      public synchronized int read(byte[] b, int off, int len) {
        if (!paused && pos >= 1024) {
          paused = true;
          log.warn("snapshot {}: upload paused after its first chunk while {} exists", name, PAUSE_FILE);
          long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
          while (Files.exists(Path.of(PAUSE_FILE)) && System.nanoTime() - deadline < 0) {
            try {
              Thread.sleep(50);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              break;
            }
          }
        }
        return super.read(b, off, len);
      }
    };
  }

  private static ReplicaOutcome join(Future<ReplicaOutcome> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "interrupted while restoring a snapshot");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof ModuleException me ? me
          : new ModuleException(ModuleException.Code.INTERNAL, String.valueOf(e.getCause()));
    } catch (TimeoutException e) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "the store did not take a snapshot's frame within 60 s");
    }
  }

  /** Cuts a snapshot object's bytes into its frames (header plus payload each). */
  static void frames(byte[] bytes, Consumer<byte[]> each) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int pos = 0;
    while (pos < bytes.length) {
      if (bytes.length - pos < FRAME_HEADER) {
        throw new ModuleException(ModuleException.Code.DATA_LOSS, "a snapshot ends inside a frame header at byte " + pos);
      }
      int len = b.getInt(pos + 4);
      if (len < 0 || pos + FRAME_HEADER + (long) len > bytes.length) {
        throw new ModuleException(ModuleException.Code.DATA_LOSS, "a snapshot's frame at byte " + pos + " is cut off");
      }
      byte[] frame = new byte[FRAME_HEADER + len];
      System.arraycopy(bytes, pos, frame, 0, frame.length);
      each.accept(frame);
      pos += frame.length;
    }
  }
}
