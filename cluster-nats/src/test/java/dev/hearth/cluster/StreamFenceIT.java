package dev.hearth.cluster;

import static dev.hearth.cluster.InProcessMembers.copyKeys;
import static dev.hearth.cluster.InProcessMembers.NOTES;
import static dev.hearth.cluster.InProcessMembers.member;
import static dev.hearth.cluster.InProcessMembers.urls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.testkit.nats.NatsTopology;
import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Collection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream is the last fence: an owner frozen past its lease (its rounds stopped, its connection
 * and its idea of the stream's end kept) cannot append a frame once another process took the store
 * over, even if its own gate were to let the write through; and the new owner's store has what the
 * old one wrote. In-process members on real stores and three clustered nats-servers.
 */
class StreamFenceIT {

  @TempDir Path dir;

  @Test
  void frozenExOwner_cannotAppend_afterTheNewOwnersMarker() throws Exception {
    try (NatsTopology nats = NatsTopology.clustered(dir.resolve("nats"), 3)) {
      String urls = urls(nats);
      MasterKey key = MasterKey.loadOrCreate(dir.resolve("master.key")).key();
      try (Stores storesA = Stores.open(dir.resolve("a"), key, StoreOptions.defaults())) {
        HearthStore a = storesA.store("notes");
        copyKeys(dir.resolve("a"), dir.resolve("b")); // the processes of a cluster share the store's keys
        try (Stores storesB = Stores.open(dir.resolve("b"), key, StoreOptions.defaults())) {
          HearthStore b = storesB.store("notes");
          ClusterMember ma = member("fa", urls, storesA, () -> a, Map::of);
          Collection<String> notesA = a.collection(NOTES);
          write(a, notesA, "one");
          ClusterMember mb = member("fb", urls, storesB, () -> b, Map::of);
          long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
          while (b.lastSequence() < a.lastSequence()) {
            assertThat(System.nanoTime()).as("the standby follows within 10 s").isLessThan(deadline);
            Thread.sleep(10);
          }
          assertThat(b.collection(NOTES).get("one")).contains("one");

          // Freeze the owner's rounds: it believes it is at the stream's end, at this message.
          Long stale = ma.replication.expectedLast("notes");
          assertThat(stale).isNotNull();
          ma.pauseRounds();
          deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
          while (mb.replication.expectedLast("notes") == null) {
            assertThat(System.nanoTime()).as("the standby takes over and syncs within 20 s").isLessThan(deadline);
            Thread.sleep(10);
          }
          long afterMarker = mb.replication.expectedLast("notes");
          assertThat(afterMarker).as("the new owner's marker follows the old owner's last frame").isEqualTo(stale + 1);

          // The ex-owner's gate refuses at once; and even a frame that got past it is refused by the stream.
          assertThatThrownBy(() -> write(a, notesA, "late")).hasMessageContaining("does not hold the lease");
          ModuleException fenced = ma.replication.publish("notes", stale, a.lastSequence() + 1, 1, new byte[] {1, 2, 3});
          assertThat(fenced).as("a publish after the marker").isNotNull();
          assertThat(fenced.getMessage()).contains("moved on");
          assertThat(ma.replication.expectedLast("notes")).as("the ex-owner stops believing it").isNull();

          // The new owner writes after its marker; the old owner's stale position stays refused.
          write(b, b.collection(NOTES), "two");
          assertThat(mb.replication.expectedLast("notes")).isEqualTo(afterMarker + 1);
          assertThat(ma.replication.publish("notes", stale, 2, 1, new byte[] {4})).isNotNull();
          assertThat(b.lastSequence()).isEqualTo(2);
          mb.close();
          ma.close();
        }
      }
    }
  }

  private static void write(HearthStore s, Collection<String> notes, String value) {
    s.write("t", tx -> {
      tx.put(notes, value, value);
      return null;
    }).toCompletionStage().toCompletableFuture().join();
  }
}
