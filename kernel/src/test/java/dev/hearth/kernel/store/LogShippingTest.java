package dev.hearth.kernel.store;

import static dev.hearth.kernel.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.kernel.spi.ReplicaOutcome;
import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store ships each group commit's frame before appending it (a cluster's replicated log), and a
 * store with the same keys elsewhere follows those frames exactly once by sequence.
 */
class LogShippingTest {

  @TempDir Path tmp;

  static final CollectionSpec<String> NOTES = CollectionSpec.of("notes", Codec.utf8());

  record Shipped(long first, int count, byte[] frame) {}

  @Test
  void shippedFrames_followedElsewhere_giveTheSameStore_exactlyOnce() throws IOException {
    List<Shipped> shipped = new CopyOnWriteArrayList<>();
    try (StoreFixture a = new StoreFixture(tmp.resolve("a"))) {
      a.stores.logShipper((store, first, count, frame) -> {
        // Shipped before the local append: the log does not hold it yet.
        assertThat(a.store().lastSequence()).isEqualTo(first - 1);
        shipped.add(new Shipped(first, count, frame));
        return null;
      });
      HearthStore owner = a.store();
      Collection<String> notes = owner.collection(NOTES);
      for (int i = 0; i < 3; i++) {
        int n = i;
        await(owner.write("alice", tx -> {
          tx.put(notes, "k" + n, "v" + n);
          if (n == 2) tx.delete(notes, "k0");
          return null;
        }));
      }
      assertThat(shipped).extracting(Shipped::first).containsExactly(1L, 2L, 3L);
      assertThat(owner.lastSequence()).isEqualTo(4);

      try (StoreFixture b = sameKeys(a, tmp.resolve("b"))) {
        HearthStore standby = b.store();
        Collection<String> copy = standby.collection(NOTES);
        assertThat(await(standby.appendFrame(shipped.get(1).frame()))).as("a gap").isEqualTo(ReplicaOutcome.OUT_OF_ORDER);
        assertThat(standby.lastSequence()).isZero();
        for (Shipped s : shipped) {
          assertThat(await(standby.appendFrame(s.frame()))).isEqualTo(ReplicaOutcome.APPLIED);
        }
        assertThat(await(standby.appendFrame(shipped.get(0).frame()))).isEqualTo(ReplicaOutcome.DUPLICATE);
        assertThat(standby.lastSequence()).isEqualTo(4);
        assertThat(copy.get("k0")).isEmpty();
        assertThat(copy.get("k1")).contains("v1");
        assertThat(copy.get("k2")).contains("v2");
        assertThat(standby.readLog(0, 10)).extracting(e -> e.sequence() + ":" + e.key())
            .containsExactly("1:k0", "2:k1", "3:k2", "4:k0");

        HearthStore reopened = b.reopen();
        assertThat(reopened.lastSequence()).as("the followed frames are in its own log").isEqualTo(4);
        assertThat(reopened.collection(NOTES).get("k2")).contains("v2");
        // The standby, once owner, continues the sequence.
        await(reopened.write("bob", tx -> {
          tx.put(reopened.collection(NOTES), "k3", "v3");
          return null;
        }));
        assertThat(reopened.lastSequence()).isEqualTo(5);
      }
    }
  }

  @Test
  void refusedShipping_failsTheWrites_andTheLocalLogHasNothingOfThem() {
    try (StoreFixture a = new StoreFixture(tmp.resolve("a"))) {
      AtomicBoolean refuse = new AtomicBoolean(true);
      a.stores.logShipper((store, first, count, frame) -> refuse.get()
          ? new ModuleException(ModuleException.Code.UNAVAILABLE, "stream refused " + store) : null);
      HearthStore s = a.store();
      Collection<String> notes = s.collection(NOTES);
      assertThatThrownBy(() -> await(s.write("alice", tx -> {
        tx.put(notes, "a", "refused");
        return null;
      }))).isInstanceOf(CompletionException.class).hasMessageContaining("stream refused test");
      assertThat(notes.get("a")).isEmpty();
      assertThat(s.lastSequence()).isZero();

      refuse.set(false);
      await(s.write("alice", tx -> {
        tx.put(notes, "a", "accepted");
        return null;
      }));
      assertThat(s.lastSequence()).as("the refused batch took no sequence").isEqualTo(1);
      assertThat(a.reopen().collection(NOTES).get("a")).contains("accepted");
    }
  }

  @Test
  void frameUnderOtherKeys_isRefusedAsDataLoss_andNothingIsWritten() {
    List<byte[]> frames = new CopyOnWriteArrayList<>();
    try (StoreFixture a = new StoreFixture(tmp.resolve("a")); StoreFixture other = new StoreFixture(tmp.resolve("o"))) {
      a.stores.logShipper((store, first, count, frame) -> {
        frames.add(frame);
        return null;
      });
      HearthStore s = a.store();
      await(s.write("alice", tx -> {
        tx.put(s.collection(NOTES), "a", "secret");
        return null;
      }));
      HearthStore stranger = other.store();
      assertThatThrownBy(() -> await(stranger.appendFrame(frames.get(0))))
          .cause().isInstanceOf(ModuleException.class).hasMessageContaining("must share the store's keys")
          .satisfies(e -> assertThat(((ModuleException) e).code()).isEqualTo(ModuleException.Code.DATA_LOSS));
      byte[] torn = frames.get(0).clone();
      torn[torn.length - 1] ^= 1;
      assertThatThrownBy(() -> await(stranger.appendFrame(torn))).hasMessageContaining("fails its checksum");
      assertThat(stranger.lastSequence()).isZero();
    }
  }

  @Test
  void unexpectedErrorOnTheWriter_failsTheNextFrameAtOnce_andTheStoreSaysItStoppedWriting() throws Exception {
    List<byte[]> frames = new CopyOnWriteArrayList<>();
    try (StoreFixture a = new StoreFixture(tmp.resolve("a"))) {
      a.stores.logShipper((store, first, count, frame) -> {
        frames.add(frame);
        return null;
      });
      HearthStore owner = a.store();
      for (String k : List.of("a", "b")) {
        await(owner.write("alice", tx -> {
          tx.put(owner.collection(NOTES), k, k);
          return null;
        }));
      }
      try (StoreFixture b = sameKeys(a, tmp.resolve("b"))) {
        HearthStore standby = b.store();
        // An Error nothing on the writer's path expects, after the first frame is applied and answered.
        standby.commitListener((store, transactions, events, nanos) -> {
          throw new AssertionError("a listener's bug");
        });
        assertThat(await(standby.appendFrame(frames.get(0)))).isEqualTo(ReplicaOutcome.APPLIED);
        // Without the writer surviving it, this future would never complete (the follower's timeout).
        assertThatThrownBy(() -> standby.appendFrame(frames.get(1)).toCompletionStage().toCompletableFuture()
            .get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ModuleException.class)
            .hasMessageContaining("stopped writing");
        assertThat(standby.stats().getBoolean("writing")).isFalse();
        assertThat(standby.lastSequence()).isEqualTo(1);
      }
    }
  }

  /** A second data directory with the first one's master key and keysets, as a cluster's processes have. */
  private static StoreFixture sameKeys(StoreFixture a, Path dir) throws IOException {
    Files.createDirectories(dir.resolve("data"));
    Files.copy(a.dir.resolve("master.key"), dir.resolve("master.key"));
    Path from = a.dir.resolve("data").resolve("keys");
    Path to = dir.resolve("data").resolve("keys");
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
    }
    return new StoreFixture(dir);
  }
}
