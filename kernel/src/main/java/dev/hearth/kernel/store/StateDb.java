package dev.hearth.kernel.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
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
 * copy of a consistent state into the file: the maps and the meta values in it always agree.
 *
 * <p>{@link #copy} is {@code DB.commit()}: it copies the changes since the last copy into the file
 * while MapDB holds every lock (readers that reach MapDB wait), and does no I/O of its own: MapDB's
 * own WAL is on the heap ({@link StateVolumes}) and MapDB's syncs are off. The applier copies often,
 * a few milliseconds' worth of changes at a time, so that no copy holds readers for long. A
 * checkpoint ({@link #commit}) is a last copy and then one {@code fdatasync} of the file, with
 * MapDB's locks released, so readers never wait for the disk. Nothing writes the file between the
 * copy and the sync (changes go to MapDB's WAL until the next copy), and the applier takes no further
 * step until the sync returns, so what is durable is what a synced {@code commit()} left before.
 *
 * <p>A copy is not atomic, and copies between syncs are not durable, so the file's state is kept in
 * the checkpoint marker ({@link #markerOf}): a store that stopped inside a copy, or whose machine
 * restarted after a copy that no sync made durable, is rebuilt from the change log (Recovery).
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

  /**
   * The state file's format, in {@code meta}: 2 since the data and index maps' keys are stored by
   * {@link KeySerializer}; a file without it (format 1, {@code Serializer.STRING} keys) is rebuilt
   * from the change log on open (Recovery), and a build of format 1 cannot read a format-2 file.
   */
  static final long FORMAT = 2;
  static final String FORMAT_KEY = "format";

  /**
   * Checkpoint marker states (its first byte). Format-1 builds wrote 0 for synced and 2 for
   * copied, and read any other first byte as "rebuild": so a format-2 file, whose marker says 3 or
   * 4, is never read by a build that would misread its keys (it rebuilds its own file from the log).
   */
  static final byte SYNCED = 3;
  static final byte COPYING = 1;
  static final byte COPIED = 4;
  private static final byte SYNCED_FORMAT_1 = 0;
  private static final byte COPIED_FORMAT_1 = 2;
  /** A Linux boot id is a UUID in text: 36 bytes. */
  private static final int BOOT_ID_BYTES = 36;
  /** This boot of the machine, or null where the system does not say (then a copy is trusted only once synced). */
  private static final byte[] BOOT_ID = readBootId();

  /** Test hook: runs in a checkpoint after MapDB released its locks, before the sync. Null in production. */
  static volatile Runnable beforeSyncHook;

  private final Path file;
  private final DB db;
  /** The state file, for the sync that makes a checkpoint durable outside MapDB's locks. */
  private final FileChannel sync;
  /** The checkpoint marker ({@link #markerOf}). */
  private final FileChannel marker;
  private final ByteBuffer markerBytes = ByteBuffer.allocate(1 + BOOT_ID_BYTES);
  /** Whether a copy went into the file since its last sync (applier thread only). */
  private boolean unsynced;
  private final BTreeMap<String, Long> meta;
  private final Map<String, BTreeMap<String, byte[]>> maps = new ConcurrentHashMap<>();
  /**
   * Names of the maps in the file. MapDB's {@code exists} reads and decodes its whole catalog on
   * each call; lookups of maps that do not exist (an index nobody declared, a view's collection
   * before its first write) made that a top entry in write-path profiles. Every map is created
   * here, so the set stays true.
   */
  private final Set<String> names = ConcurrentHashMap.newKeySet();

  private StateDb(Path file, DB db, FileChannel sync, FileChannel marker, boolean created) {
    this.file = file;
    this.db = db;
    this.sync = sync;
    this.marker = marker;
    this.meta = db.treeMap("meta", Serializer.STRING, Serializer.LONG).createOrOpen();
    if (created) {
      meta.put(FORMAT_KEY, FORMAT);
    }
    db.getAllNames().forEach(names::add);
  }

  /** The format the file was written in (1 if it does not say: before formats were recorded). */
  long format() {
    Long v = meta.get(FORMAT_KEY);
    return v == null ? 1 : v;
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
    return new StateDb(file, db, sync, marker, !exists);
  }

  /**
   * The checkpoint marker of a state file, one state byte ({@link #SYNCED}, {@link #COPYING},
   * {@link #COPIED}) and, with {@code COPIED}, the boot id of the machine. MapDB's copy is not
   * atomic (its own WAL is never replayed, see the class comment): a stop in the middle leaves some
   * records new and some old, which can still read back as a valid, consistent-looking file whose
   * applied sequence or view position is newer than a record it skipped (crash harness, seed 2121,
   * cycle 15: a view that missed one event). So a marker left at {@code COPYING} means the file cannot
   * be trusted and the store is rebuilt from the log.
   *
   * <p>{@code COPIED} means every copy into the file finished but the file was not synced since. A
   * process that stops then (kill -9, a JVM crash) leaves the file whole in the page cache, which
   * outlives the process, so the next start in the same boot trusts it; after a restart of the
   * machine the copies may have reached the disk in part, so a marker from another boot is treated
   * as {@code COPYING}.
   */
  static Path markerOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".checkpointing");
  }

  /**
   * Why {@code file} cannot be trusted according to its checkpoint marker, or null when it can: it is
   * synced, or its copies finished in this boot of the machine.
   */
  static String interruptedCheckpoint(Path file) {
    Path m = markerOf(file);
    try {
      if (!Files.exists(m)) {
        return null;
      }
      byte[] b = Files.readAllBytes(m);
      if (b.length == 0 || b[0] == SYNCED || b[0] == SYNCED_FORMAT_1) {
        return null;
      }
      if (b[0] == COPIED || b[0] == COPIED_FORMAT_1) {
        if (BOOT_ID != null && b.length >= 1 + BOOT_ID_BYTES
            && Arrays.equals(b, 1, 1 + BOOT_ID_BYTES, BOOT_ID, 0, BOOT_ID_BYTES)) {
          return null;
        }
        return "the machine restarted after a copy into " + file.getFileName() + " that was never synced";
      }
      return "the store stopped inside a checkpoint: MapDB's copy into " + file.getFileName() + " may be torn";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the checkpoint marker " + m, e);
    }
  }

  /** This boot's id as the marker holds it (tests), or null. */
  static byte[] bootId() {
    return BOOT_ID == null ? null : BOOT_ID.clone();
  }

  private static byte[] readBootId() {
    try {
      byte[] id = Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).trim()
          .getBytes(StandardCharsets.US_ASCII);
      return id.length == BOOT_ID_BYTES ? id : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private void mark(byte state, boolean durable) {
    try {
      markerBytes.clear();
      markerBytes.put(state);
      if (state == COPIED) {
        markerBytes.put(BOOT_ID);
      }
      markerBytes.flip();
      marker.write(markerBytes, 0);
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

  /** Deletes a store's MapDB files (the state file, its marker, any MapDB WAL and untrusted mark). */
  static void delete(Path file) throws IOException {
    String base = file.getFileName().toString();
    try (Stream<Path> s = Files.list(file.getParent())) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.getFileName().toString().startsWith(base) && Files.isRegularFile(p)) {
          Files.delete(p);
        }
      }
    }
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
        // vs ~18, shorter commits and faster reads (docs/benchmarks.md). Keys by KeySerializer
        // (format 2): a node is read back with one bulk copy, not a String built char by char.
        m = db.treeMap(name, KeySerializer.INSTANCE, Serializer.BYTE_ARRAY).valuesOutsideNodesEnable()
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
   * Copies everything applied since the last copy into the file: MapDB's {@code commit()}, which
   * holds MapDB's locks (readers that reach MapDB wait) for a time that grows with the number of
   * changes copied. No sync: a copy is durable only once a {@link #commit} syncs the file.
   *
   * @return how long MapDB held its locks, in nanoseconds
   */
  long copy() {
    // The first copy after a sync: the marker is durably COPYING before any page of the copy can
    // reach the disk, and stays at least that on disk until the sync (later marks are not synced).
    mark(COPYING, !unsynced);
    unsynced = true;
    StorePhases.at(StorePhases.Point.CHECKPOINT_BEGIN);
    long t0 = System.nanoTime();
    db.commit();
    long took = System.nanoTime() - t0;
    // Not synced: in the page cache it tells the next start in this boot that the file is whole.
    mark(BOOT_ID != null ? COPIED : COPYING, false);
    StorePhases.at(StorePhases.Point.CHECKPOINT_SYNC);
    return took;
  }

  /**
   * A checkpoint: everything applied so far becomes MapDB's recovery point. MapDB's locks are held
   * only for the last in-memory copy; the sync runs after they are released.
   *
   * @return how long the copy held MapDB's locks, in nanoseconds
   */
  long commit() {
    long took = copy();
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
    mark(SYNCED, false);
    unsynced = false;
    return took;
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
