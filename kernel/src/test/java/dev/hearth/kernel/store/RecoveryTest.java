package dev.hearth.kernel.store;

import static dev.hearth.kernel.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.testkit.Waits;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DB;
import org.mapdb.DBMaker;

class RecoveryTest {

  @TempDir Path tmp;

  static final CollectionSpec<String> NOTES = CollectionSpec.of("notes", Codec.utf8());

  private static void fill(HearthStore s, int from, int to) {
    Collection<String> c = s.collection(NOTES);
    for (int i = from; i < to; i++) {
      int n = i;
      await(s.write("a", tx -> {
        tx.put(c, "k" + n, "v" + n);
        return null;
      }));
    }
  }

  private static Path storeDir(StoreFixture f) {
    return f.dir.resolve("data/stores/test");
  }

  @Test
  void damagedMapDbFile_isRebuiltFromTheChangeLog_withNothingLost() throws Exception {
    try (StoreFixture f = new StoreFixture(tmp)) {
      fill(f.store(), 0, 500);
      f.stores.close();
      wipeHeader(storeDir(f).resolve("state.db"));
      f.stores = Stores.open(f.dir.resolve("data"), f.key, f.options);
      HearthStore s = f.store();
      assertThat(s.recoveryReport().rebuilt()).isTrue();
      assertThat(s.recoveryReport().replayedEvents()).isEqualTo(500);
      Collection<String> c = s.collection(NOTES);
      for (int i = 0; i < 500; i++) {
        assertThat(c.get("k" + i)).contains("v" + i);
      }
      fill(s, 500, 510);
      assertThat(s.lastSequence()).isEqualTo(510);

      // A second damage: rebuilt again, and only the newest damaged copy is kept.
      f.stores.close();
      wipeHeader(storeDir(f).resolve("state.db"));
      f.stores = Stores.open(f.dir.resolve("data"), f.key, f.options);
      assertThat(f.store().recoveryReport().rebuilt()).isTrue();
      assertThat(f.store().collection(NOTES).get("k509")).contains("v509");
      try (var dirs = Files.list(storeDir(f))) {
        assertThat(dirs.filter(p -> p.getFileName().toString().startsWith("damaged-"))).hasSize(1);
      }
    }
  }

  @Test
  void stateFileOfFormat1_isRebuiltInFormat2_withNothingLost_andNotKeptAsDamaged() throws Exception {
    try (StoreFixture f = new StoreFixture(tmp)) {
      fill(f.store(), 0, 300);
      f.stores.close();
      Path db = storeDir(f).resolve("state.db");
      rewriteAsFormat1(db);
      try (StateDb old = StateDb.open(db, false)) {
        assertThat(old.format()).isEqualTo(1);
      }
      // What a format-1 build left after a clean close.
      Files.write(StateDb.markerOf(db), new byte[] {0});

      f.stores = Stores.open(f.dir.resolve("data"), f.key, f.options);
      HearthStore s = f.store();
      assertThat(s.recoveryReport().rebuilt()).isTrue();
      assertThat(s.recoveryReport().reason()).contains("state format 1");
      assertThat(s.recoveryReport().replayedEvents()).isEqualTo(300);
      Collection<String> c = s.collection(NOTES);
      for (int i = 0; i < 300; i++) {
        assertThat(c.get("k" + i)).contains("v" + i);
      }
      fill(s, 300, 310);
      try (var dirs = Files.list(storeDir(f))) {
        assertThat(dirs.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("damaged-"));
      }
      f.stores.close();
      assertThat(Files.readAllBytes(StateDb.markerOf(db))[0]).as("a format-1 build reads this as 'rebuild'")
          .isNotIn((byte) 0, (byte) 2);
      try (StateDb now = StateDb.open(db, false)) {
        assertThat(now.format()).isEqualTo(StateDb.FORMAT);
      }
      f.stores = Stores.open(f.dir.resolve("data"), f.key, f.options);
      assertThat(f.store().recoveryReport().rebuilt()).isFalse();
      assertThat(f.store().collection(NOTES).get("k309")).contains("v309");
    }
  }

  /**
   * Writes {@code file} again as a format-1 build did: the same maps with {@code Serializer.STRING}
   * keys, and no format in {@code meta}.
   */
  private static void rewriteAsFormat1(Path file) throws Exception {
    Path tmpFile = file.resolveSibling("format1.tmp");
    DB from = DBMaker.fileDB(file.toFile()).transactionEnable().make();
    DB to = DBMaker.fileDB(tmpFile.toFile()).transactionEnable().make();
    var meta = to.treeMap("meta", org.mapdb.Serializer.STRING, org.mapdb.Serializer.LONG).createOrOpen();
    from.treeMap("meta", org.mapdb.Serializer.STRING, org.mapdb.Serializer.LONG).open().forEach((k, v) -> {
      if (!k.equals(StateDb.FORMAT_KEY)) {
        meta.put(k, v);
      }
    });
    for (String name : from.getAllNames()) {
      if (name.startsWith("c.") || name.startsWith("i.")) {
        var src = from.treeMap(name, KeySerializer.INSTANCE, org.mapdb.Serializer.BYTE_ARRAY)
            .valuesOutsideNodesEnable().maxNodeSize(StateDb.NODE_SIZE).open();
        var dst = to.treeMap(name, org.mapdb.Serializer.STRING, org.mapdb.Serializer.BYTE_ARRAY)
            .valuesOutsideNodesEnable().maxNodeSize(StateDb.NODE_SIZE).createOrOpen();
        dst.putAll(src);
      }
    }
    to.commit();
    to.close();
    from.close();
    Files.move(tmpFile, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static void wipeHeader(Path file) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(0);
      raf.write(new byte[64]);
    }
  }

  @Test
  void tornRecordAtTheLogsEnd_isCut_andWritingContinues() throws Exception {
    try (StoreFixture f = new StoreFixture(tmp)) {
      fill(f.store(), 0, 50);
      f.stores.close();
      Path seg = storeDir(f).resolve("log").resolve(Segment.fileName(1));
      long size = Files.size(seg);
      // A frame header that promises more bytes than were written: what a crash mid-append leaves.
      ByteBuffer torn = ByteBuffer.allocate(30).putInt(ChangeLog.MAGIC).putInt(4096).putLong(51).putInt(1);
      torn.position(30).flip();
      try (var ch = FileChannel.open(seg, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        ch.write(torn);
      }
      f.stores = Stores.open(f.dir.resolve("data"), f.key, f.options);
      HearthStore s = f.store();
      assertThat(s.recoveryReport().truncatedBytes()).isEqualTo(30);
      assertThat(Files.size(seg)).isEqualTo(size);
      assertThat(s.lastSequence()).isEqualTo(50);
      fill(s, 50, 60);
      assertThat(s.readLog(0, 100)).hasSize(60);
      assertThat(f.reopen().collection(NOTES).get("k59")).contains("v59");
    }
  }

  @Test
  void writesAfterTheLastCheckpoint_areReplayedFromTheLog() throws Exception {
    StoreOptions rarely = StoreOptions.defaults().withCheckpointIntervalMs(3_600_000).withCheckpointMaxDirty(1_000_000);
    try (StoreFixture f = new StoreFixture(tmp, rarely)) {
      HearthStore s = f.store();
      fill(s, 0, 10);
      await(s.checkpoint());
      fill(s, 10, 200);
      // Simulate a crash: copy the files as they are now (MapDB at its checkpoint, log complete).
      Path copy = tmp.resolve("copy");
      copyTree(f.dir.resolve("data"), copy);
      Files.deleteIfExists(copy.resolve(".lock"));
      try (Stores again = Stores.open(copy, f.key, rarely)) {
        HearthStore r = again.store("test");
        assertThat(r.recoveryReport().replayedEvents()).isEqualTo(190);
        assertThat(r.recoveryReport().rebuilt()).isFalse();
        assertThat(r.collection(NOTES).get("k199")).contains("v199");
      }
    }
  }

  @Test
  void mapDbDamagedByACrash_isFoundOnOpen_andRebuiltFromTheLog() throws Exception {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      fill(s, 0, 3000);
      await(s.checkpoint());
      // An unclean copy (the store is still open), then cut MapDB's file: damage it may not notice on open.
      Path copy = tmp.resolve("copy");
      copyTree(f.dir.resolve("data"), copy);
      Files.deleteIfExists(copy.resolve(".lock"));
      Path db = copy.resolve("stores/test/state.db");
      try (RandomAccessFile raf = new RandomAccessFile(db.toFile(), "rw")) {
        // Garbage over part of the records.
        byte[] junk = new byte[2 << 20];
        Arrays.fill(junk, (byte) 0x5a);
        raf.seek(16 << 10);
        raf.write(junk);
      }
      try (Stores again = Stores.open(copy, f.key, f.options)) {
        HearthStore r = again.store("test");
        assertThat(r.recoveryReport().rebuilt()).isTrue();
        Collection<String> c = r.collection(NOTES);
        assertThat(c.scan(null, null, 5000, false)).hasSize(3000);
        assertThat(c.get("k2999")).contains("v2999");
      }
    }
  }

  @Test
  void mapDbCallThatDoesNotReturn_isAbandoned_theStoreIsRebuilt_andTheThreadChangesNothingWhenItComesBack() throws Exception {
    long stall = Recovery.stallMillis;
    try (StoreFixture f = new StoreFixture(tmp)) {
      fill(f.store(), 0, 200);
      f.stores.close();
      // Stand-in for the MapDB BTree lookup the crash harness saw loop forever on a damaged file. It
      // ignores everything but an interrupt, so the test can see what the thread does once it returns.
      Recovery.stallMillis = 1000;
      AtomicBoolean stuck = new AtomicBoolean();
      Recovery.afterOpenHook = () -> {
        stuck.set(true);
        while (!Thread.currentThread().isInterrupted()) {
          Thread.onSpinWait();
        }
      };
      f.stores = Stores.open(f.dir.resolve("data"), f.key, f.options);
      HearthStore s = f.store(); // opens the store, through the hook
      Recovery.afterOpenHook = null;
      assertThat(stuck).isTrue();
      assertThat(s.recoveryReport().rebuilt()).isTrue();
      assertThat(s.recoveryReport().reason()).contains("no progress");
      // No Thread.stop (gone after Java 19): the abandoned thread was told to end, and it did.
      Waits.until("the abandoned recovery thread to end", Duration.ofSeconds(10), () -> Thread.getAllStackTraces().keySet()
          .stream().noneMatch(t -> t.getName().equals("hearth-recovery-test")));
      // It returned into a discarded attempt: the store serves the rebuilt state, writes, and reopens clean.
      assertThat(s.collection(NOTES).get("k199")).contains("v199");
      fill(s, 200, 210);
      HearthStore again = f.reopen();
      assertThat(again.recoveryReport().rebuilt()).isFalse();
      assertThat(again.collection(NOTES).get("k209")).contains("v209");
    } finally {
      Recovery.afterOpenHook = null;
      Recovery.stallMillis = stall;
    }
  }

  @Test
  void cleanlyClosedStore_reopensWithoutReplayOrRebuild() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      fill(f.store(), 0, 100);
      HearthStore s = f.reopen();
      assertThat(s.recoveryReport().replayedEvents()).isZero();
      assertThat(s.recoveryReport().rebuilt()).isFalse();
    }
  }

  static void copyTree(Path from, Path to) throws Exception {
    try (var files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
