package dev.hearth.kernel.store;

import static dev.hearth.kernel.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.testkit.Waits;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a checkpoint holds readers to: MapDB's in-memory copies, not the disk; and what a stop between
 * a copy and the next checkpoint's sync leaves.
 */
class CheckpointTest {

  @TempDir Path tmp;

  static final CollectionSpec<String> NOTES = CollectionSpec.of("notes", Codec.utf8());
  static final StoreOptions RARELY = StoreOptions.defaults().withCheckpointIntervalMs(3_600_000).withCheckpointMaxDirty(1_000_000);

  @AfterEach
  void clearHook() {
    StateDb.beforeSyncHook = null;
  }

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

  private static void awaitApplied(HearthStore s) throws InterruptedException {
    Waits.until("the applier to reach the log's end", Duration.ofSeconds(10),
        () -> s.stats().getLong("appliedSequence") == s.lastSequence());
  }

  @Test
  void changesBetweenCheckpoints_leaveNoMapDbWalFileOnDisk() throws Exception {
    try (StoreFixture f = new StoreFixture(tmp, RARELY)) {
      HearthStore s = f.store();
      fill(s, 0, 50);
      await(s.checkpoint());
      fill(s, 50, 300);
      awaitApplied(s); // MapDB now holds 250 uncommitted changes
      List<String> files;
      try (Stream<Path> list = Files.list(f.dir.resolve("data/stores/test"))) {
        files = list.map(p -> p.getFileName().toString()).toList();
      }
      assertThat(files).contains("state.db").noneMatch(n -> n.startsWith("state.db.wal"));
      assertThat(s.collection(NOTES).get("k299")).contains("v299");
    }
  }

  @Test
  void readsOfMapDb_goOnWhileTheCheckpointSyncsTheFile() throws Exception {
    try (StoreFixture f = new StoreFixture(tmp, RARELY)) {
      HearthStore s = f.store();
      fill(s, 0, 100);
      await(s.checkpoint());
      fill(s, 100, 200);
      awaitApplied(s); // both the checkpointed and the uncommitted keys are read from MapDB
      CountDownLatch syncing = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      StateDb.beforeSyncHook = () -> {
        syncing.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      };
      Future<Void> checkpoint = s.checkpoint();
      try {
        assertThat(syncing.await(10, TimeUnit.SECONDS)).as("the checkpoint reached its sync").isTrue();
        Collection<String> c = s.collection(NOTES);
        // On another thread, so that a read blocked by the checkpoint fails the test instead of hanging it.
        CompletableFuture<List<Optional<String>>> reads = CompletableFuture.supplyAsync(
            () -> List.of(c.get("k5"), c.get("k150"), c.get("missing")));
        assertThat(reads.get(10, TimeUnit.SECONDS)).containsExactly(Optional.of("v5"), Optional.of("v150"), Optional.empty());
        assertThat(c.scan(null, null, 3, true)).hasSize(3);
      } finally {
        release.countDown();
      }
      await(checkpoint);
      StateDb.beforeSyncHook = null;
      assertThat(f.reopen().collection(NOTES).get("k199")).contains("v199");
    }
  }

  @Test
  void copiesWithoutASync_areTrustedAfterAStopInTheSameBoot_andRebuiltAfterARestartOfTheMachine() throws Exception {
    assumeTrue(StateDb.bootId() != null, "this system has no boot id: copies are trusted only once synced");
    Path node = tmp.resolve("node");
    int keys = 3_000;
    long stoppedAt;
    try (StoreFixture f = new StoreFixture(node, RARELY)) {
      HearthStore s = f.store();
      Collection<String> c = s.collection(NOTES);
      for (int t = 0; t < keys / 100; t++) {
        int first = t * 100;
        await(s.write("a", tx -> {
          for (int i = first; i < first + 100; i++) {
            tx.put(c, "k" + i, "v" + i);
          }
          return null;
        }));
      }
      // Once the applier has taken everything, nothing writes the files: a copy of them now is what a
      // kill -9 leaves (the page cache outlives the process).
      CompletableFuture<Void> idle = new CompletableFuture<>();
      s.onApplier(() -> idle.complete(null));
      idle.get(10, TimeUnit.SECONDS);
      assertThat(s.stats().getLong("copies")).as("copies into the file without a checkpoint").isPositive();
      assertThat(s.stats().getLong("checkpoints")).isZero();
      stoppedAt = s.lastSequence();
      copyTree(node, tmp.resolve("same-boot"));
      copyTree(node, tmp.resolve("other-boot"));
    }
    Path marker = StateDb.markerOf(tmp.resolve("same-boot/data/stores/test/state.db"));
    assertThat(Files.readAllBytes(marker)[0]).as("the marker after a copy").isEqualTo(StateDb.COPIED);

    try (StoreFixture f = new StoreFixture(tmp.resolve("same-boot"), RARELY)) {
      RecoveryReport r = f.store().recoveryReport();
      assertThat(r.rebuilt()).as("%s", r).isFalse();
      assertThat(r.replayedEvents()).as("only the log after the last copy is replayed").isLessThan(stoppedAt);
      assertAll(f.store(), keys);
    }

    // The same files after a restart of the machine: the copies may have reached the disk in part.
    Path otherMarker = StateDb.markerOf(tmp.resolve("other-boot/data/stores/test/state.db"));
    byte[] otherBoot = ("\u0002" + "00000000-0000-0000-0000-000000000000").getBytes(StandardCharsets.US_ASCII);
    Files.write(otherMarker, otherBoot);
    try (StoreFixture f = new StoreFixture(tmp.resolve("other-boot"), RARELY)) {
      RecoveryReport r = f.store().recoveryReport();
      assertThat(r.rebuilt()).as("%s", r).isTrue();
      assertThat(r.reason()).contains("machine restarted");
      assertAll(f.store(), keys);
    }
  }

  private static void assertAll(HearthStore s, int keys) {
    Collection<String> c = s.collection(NOTES);
    for (int i = 0; i < keys; i++) {
      assertThat(c.get("k" + i)).as("k%d", i).contains("v" + i);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        Path target = to.resolve(from.relativize(p));
        Files.createDirectories(target.getParent());
        Files.copy(p, target);
      }
    }
  }
}
