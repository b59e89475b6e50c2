package dev.hearth.cluster;

import static dev.hearth.cluster.InProcessMembers.copyKeys;
import static dev.hearth.cluster.InProcessMembers.member;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.spi.ReplicaStore;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.testkit.Waits;
import dev.hearth.testkit.nats.NatsServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standby follows whichever object of a store is open: when the store is closed and opened again
 * (a module restart, a failed start, a restore), its follower re-attaches to the reopened store,
 * which gets the owner's later frames and can take the store over. In-process members on real
 * stores and a real nats-server.
 */
class FollowerReopenIT {

  private static final CollectionSpec<String> NOTES = CollectionSpec.of("notes", Codec.utf8());

  @TempDir Path dir;

  @Test
  void standbysStoreClosedAndReopened_followsAgain_andCanTakeItOver() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.builder(dir.resolve("nats"), "reopen").start()) {
      MasterKey key = MasterKey.loadOrCreate(dir.resolve("master.key")).key();
      try (Stores storesA = Stores.open(dir.resolve("a"), key, StoreOptions.defaults())) {
        HearthStore a = storesA.store("notes");
        copyKeys(dir.resolve("a"), dir.resolve("b"));
        try (Stores storesB = Stores.open(dir.resolve("b"), key, StoreOptions.defaults())) {
          storesB.store("notes");
          ClusterMember ma = member("ra", nats.url(), storesA, () -> open(storesA), Map::of);
          write(a, "one");
          ClusterMember mb = member("rb", nats.url(), storesB, () -> open(storesB), Map::of);
          Waits.until("the standby has the first write", Duration.ofSeconds(10),
              () -> open(storesB) != null && open(storesB).lastSequence() == a.lastSequence());

          storesB.closeStore("notes"); // as a module restart does
          HearthStore reopened = storesB.store("notes");
          write(a, "two");
          Waits.until("the reopened standby store has the owner's later write", Duration.ofSeconds(10),
              () -> reopened.lastSequence() == a.lastSequence());
          assertThat(reopened.collection(NOTES).get("two")).contains("two");

          ma.close(); // releases the lease: the standby takes the store over
          Waits.until("the standby takes the store's writes", Duration.ofSeconds(10), () -> reopened.write("t", tx -> {
            tx.put(reopened.collection(NOTES), "three", "three");
            return null;
          }).toCompletionStage().toCompletableFuture().handle((v, e) -> e == null).join());
          mb.close();
        }
      }
    }
  }

  private static ReplicaStore open(Stores stores) {
    return stores.opened().stream().filter(s -> s.name().equals("notes")).findFirst().orElse(null);
  }

  private static void write(HearthStore s, String key) {
    s.write("t", tx -> {
      tx.put(s.collection(NOTES), key, key);
      return null;
    }).toCompletionStage().toCompletableFuture().join();
  }
}
