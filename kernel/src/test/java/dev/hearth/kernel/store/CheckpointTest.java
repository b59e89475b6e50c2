package dev.hearth.kernel.store;

import static dev.hearth.kernel.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.testkit.Waits;
import io.vertx.core.Future;
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

/** What a checkpoint holds readers to: MapDB's in-memory commit, not the disk. */
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
}
