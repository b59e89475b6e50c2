package dev.hearth.kernel.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.Serializer;
import org.mapdb.StoreWAL;

/**
 * The MapDB file of a store: one BTreeMap per collection ({@code c.<name>}: key to encoded
 * {@link StoredEntry}), one per collection for its blind indexes ({@code i.<name>}), and {@code meta}
 * (applied sequence, view positions, re-encryption cursor). Transactions are on, and a commit is a
 * checkpoint: the maps and the meta values in it always agree.
 *
 * <p>A checkpoint has two steps. {@code DB.commit()} copies the changes since the last one into the
 * file while MapDB holds every lock (readers that reach MapDB wait); it does no I/O: MapDB's own WAL
 * is on the heap ({@link StateVolumes}) and MapDB's syncs are off. Then one {@code fdatasync} of the
 * file makes the checkpoint durable, with MapDB's locks released, so readers never wait for the
 * disk. Nothing writes the file between the two (changes go to MapDB's WAL until the next commit),
 * and the applier takes no further step until the sync returns, so what is durable is what a
 * synced {@code commit()} left before.
 *
 * <p>The copy itself is not atomic, so it is bracketed by the checkpoint marker ({@link #markerOf}):
 * set and synced before {@code DB.commit()}, cleared after the sync. A store that stopped with the
 * marker set is rebuilt from the change log (Recovery).
 *
 * <p>Only the applier thread mutates; readers read concurrently.
 */
final class StateDb implements AutoCloseable {

  static final String APPLIED_SEQ = "appliedSeq";
  static final int NODE_SIZE = 16;
  /** 1 in the checkpoint written by a clean close, 0 once the store is open for writing. */
  static final String CLEAN = "cleanShutdown";

  /**
   * MapDB's segment-lock count as its DBMaker sets it (concurrency scale 8, as a shift).
   */
  private static final int CONC_SHIFT = 3;

  /** Test hook: runs in a checkpoint after MapDB released its locks, before the sync. Null in production. */
  static volatile Runnable beforeSyncHook;

  private final Path file;
  private final DB db;
  /** The state file, for the sync that makes a checkpoint durable outside MapDB's locks. */
  private final FileChannel sync;
  /** The checkpoint marker ({@link #markerOf}): 1 from before a checkpoint's copy until its sync returned. */
  private final FileChannel marker;
  private final ByteBuffer markerByte = ByteBuffer.allocate(1);
  private final BTreeMap<String, Long> meta;
  private final Map<String, BTreeMap<String, byte[]>> maps = new ConcurrentHashMap<>();
  /**
   * Names of the maps in the file. MapDB's {@code exists} reads and decodes its whole catalog on
   * each call; lookups of maps that do not exist (an index nobody declared, a view's collection
   * before its first write) made that a top entry in write-path profiles. Every map is created
   * here, so the set stays true.
   */
  private final Set<String> names = ConcurrentHashMap.newKeySet();

  private StateDb(Path file, DB db, FileChannel sync, FileChannel marker) {
    this.file = file;
    this.db = db;
    this.sync = sync;
    this.marker = marker;
    this.meta = db.treeMap("meta", Serializer.STRING, Serializer.LONG).createOrOpen();
    db.getAllNames().forEach(names::add);
  }

  /** Opens the file; any exception means MapDB cannot be trusted and the caller rebuilds from the log. */
  static StateDb open(Path file, boolean mmap) {
    String path = file.toString();
    StateVolumes volumes = new StateVolumes(path, mmap);
    boolean exists = volumes.exists(path);
    // What DBMaker.fileDB(..).transactionEnable() builds, with the volumes above and MapDB's own
    // syncs off (the checkpoint syncs the file itself, see the class comment). setFileSyncDisable
    // is Kotlin-internal in MapDB 3.1.0; DBMaker.fileSyncDisable() sets the same flag.
    StoreWAL store = new StoreWAL(path, volumes, 0L, true, CONC_SHIFT, 0L, 0L, false, false, false, true, false);
    store.setFileSyncDisable$mapdb(true);
    DB db;
    FileChannel sync = null;
    FileChannel marker;
    try {
      db = new DB(store, exists, true, StateDb.class.getClassLoader(), 0);
      sync = FileChannel.open(file, StandardOpenOption.READ);
      marker = FileChannel.open(markerOf(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      closeQuietly(sync);
      store.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      closeQuietly(sync);
      store.close();
      throw e;
    }
    return new StateDb(file, db, sync, marker);
  }

  /**
   * The checkpoint marker of a state file: one byte, 1 while a checkpoint is copied into the file
   * and synced, 0 after. MapDB's copy is not atomic (its own WAL is never replayed, see the class
   * comment): a stop in the middle leaves some records new and some old, which can still read back
   * as a valid, consistent-looking file whose applied sequence or view position is newer than a
   * record it skipped (crash harness, seed 2121, cycle 15: a view that missed one event). So a
   * marker left at 1 means the file cannot be trusted and the store is rebuilt from the log.
   */
  static Path markerOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".checkpointing");
  }

  /** Whether the last checkpoint of {@code file} did not finish: its marker is still 1. */
  static boolean checkpointInterrupted(Path file) {
    Path m = markerOf(file);
    try {
      if (!Files.exists(m)) {
        return false;
      }
      byte[] b = Files.readAllBytes(m);
      return b.length > 0 && b[0] != 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the checkpoint marker " + m, e);
    }
  }

  private void mark(int value, boolean durable) {
    try {
      markerByte.clear();
      markerByte.put((byte) value).flip();
      marker.write(markerByte, 0);
      if (durable) {
        marker.force(false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checkpoint marker of " + file, e);
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // only a channel used for syncing
      }
    }
  }

  /**
   * Moves a store's MapDB files aside (kept for inspection; they hold only ciphertext). Only the
   * newest damaged copy is kept: each is as large as the store, and repeated crashes must not fill the disk.
   */
  static Path moveAside(Path file) throws IOException {
    try (Stream<Path> old = Files.list(file.getParent())) {
      for (Path p : (Iterable<Path>) old.filter(p -> p.getFileName().toString().startsWith("damaged-"))::iterator) {
        deleteTree(p);
      }
    }
    Path dir = file.getParent().resolve("damaged-" + System.currentTimeMillis());
    Files.createDirectories(dir);
    String base = file.getFileName().toString();
    try (Stream<Path> s = Files.list(file.getParent())) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.getFileName().toString().startsWith(base)) {
          Files.move(p, dir.resolve(p.getFileName()));
        }
      }
    }
    return dir;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  long appliedSeq() {
    Long v = meta.get(APPLIED_SEQ);
    return v == null ? 0 : v;
  }

  Long meta(String name) {
    return meta.get(name);
  }

  void putMeta(String name, long value) {
    meta.put(name, value);
  }

  void removeMeta(String name) {
    meta.remove(name);
  }

  /** The data map of a collection; created when {@code create}, otherwise null if it never existed. */
  BTreeMap<String, byte[]> data(String collection, boolean create) {
    return map("c." + collection, create);
  }

  BTreeMap<String, byte[]> index(String collection, boolean create) {
    return map("i." + collection, create);
  }

  private BTreeMap<String, byte[]> map(String name, boolean create) {
    BTreeMap<String, byte[]> m = maps.get(name);
    if (m != null) {
      return m;
    }
    if (!create && !names.contains(name)) {
      return null;
    }
    synchronized (this) {
      m = maps.get(name);
      if (m == null) {
        // Values outside nodes: 6x faster writes for KiB values (STORE-FACTS). Nodes of 16 instead
        // of MapDB's 32: each put rewrites its leaf, and at 200k records 16 measured ~11 us a put
        // vs ~18, shorter commits and faster reads (docs/benchmarks.md).
        m = db.treeMap(name, Serializer.STRING, Serializer.BYTE_ARRAY).valuesOutsideNodesEnable()
            .maxNodeSize(NODE_SIZE).createOrOpen();
        maps.put(name, m);
        names.add(name);
      }
      return m;
    }
  }

  boolean wasClosedCleanly() {
    Long v = meta.get(CLEAN);
    return v != null && v == 1;
  }

  /** Records that the store is in use: until the next clean close, a crash is assumed. */
  void markOpen() {
    meta.put(CLEAN, 0L);
    commit();
  }

  /**
   * Reads every map from end to end and hands each stored value to {@code check}. MapDB opens
   * lazily and can hold damaged nodes that only fail when read; after a crash this walk finds
   * them before the store is trusted. Throws whatever MapDB or the check throws.
   */
  void verifyAll(BiConsumer<String, Map.Entry<String, byte[]>> check) {
    for (String n : db.getAllNames()) {
      if (n.startsWith("c.") || n.startsWith("i.")) {
        BTreeMap<String, byte[]> m = map(n, false);
        boolean data = n.startsWith("c.");
        for (Map.Entry<String, byte[]> e : m.entrySet()) {
          if (data) {
            check.accept(n.substring(2), e);
          }
        }
      }
    }
  }

  /** Names of every collection that has data, sorted. */
  List<String> collections() {
    List<String> out = new ArrayList<>();
    for (String n : db.getAllNames()) {
      if (n.startsWith("c.")) {
        out.add(n.substring(2));
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * A checkpoint: everything applied so far becomes MapDB's recovery point. MapDB's locks are held
   * only for the in-memory copy; the sync runs after they are released.
   */
  void commit() {
    // The marker is durable before any page of the copy can reach the disk, and cleared only once
    // the copy is: a stop anywhere in between (kill -9 or power loss) leaves it at 1.
    mark(1, true);
    StorePhases.at(StorePhases.Point.CHECKPOINT_BEGIN);
    db.commit();
    StorePhases.at(StorePhases.Point.CHECKPOINT_SYNC);
    Runnable hook = beforeSyncHook;
    if (hook != null) {
      hook.run();
    }
    try {
      sync.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync " + file, e);
    }
    // Not synced: if this is lost the next open rebuilds needlessly, never wrongly.
    mark(0, false);
  }

  Path file() {
    return file;
  }

  /** Lets go of a MapDB that failed, without a checkpoint and without claiming a clean close. */
  void abandon() {
    try {
      if (!db.isClosed()) {
        db.close();
      }
    } catch (RuntimeException e) {
      // It is damaged; the next open rebuilds it from the log anyway.
    }
    closeSync();
  }

  private void closeSync() {
    // Only the channels used for syncing and the marker; the data was synced or is not trusted.
    closeQuietly(sync);
    closeQuietly(marker);
  }

  @Override
  public void close() {
    if (!db.isClosed()) {
      meta.put(CLEAN, 1L);
      commit();
      db.close();
    }
    closeSync();
  }
}
