package dev.hearth.cluster;

import static dev.hearth.cluster.InProcessMembers.copyKeys;
import static dev.hearth.cluster.InProcessMembers.member;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.testkit.nats.NatsServerProcess;
import io.nats.client.api.KeyValueEntry;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standby reports its replica lag per store in its placement entry: 0 once it has applied the
 * whole log stream, and the number of stream messages it has not applied when its follower is
 * stuck (here on a frame it cannot open). In-process members on real stores and a real nats-server.
 */
class ReplicaLagIT {

  private static final CollectionSpec<String> NOTES = CollectionSpec.of("notes", Codec.utf8());

  @TempDir Path dir;

  @Test
  void standby_reportsItsReplicaLag_zeroWhenWarm_andTheUnappliedMessagesWhenStuck() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.builder(dir.resolve("nats"), "lag").start()) {
      MasterKey key = MasterKey.loadOrCreate(dir.resolve("master.key")).key();
      try (Stores storesA = Stores.open(dir.resolve("a"), key, StoreOptions.defaults())) {
        HearthStore a = storesA.store("notes");
        copyKeys(dir.resolve("a"), dir.resolve("b"));
        try (Stores storesB = Stores.open(dir.resolve("b"), key, StoreOptions.defaults())) {
          HearthStore b = storesB.store("notes");
          ClusterMember ma = member("la", nats.url(), storesA, () -> a, () -> Map.of(a.name(), a.lastSequence()));
          a.write("t", tx -> {
            tx.put(a.collection(NOTES), "one", "one");
            return null;
          }).toCompletionStage().toCompletableFuture().join();
          ClusterMember mb = member("lb", nats.url(), storesB, () -> b, () -> Map.of(b.name(), b.lastSequence()));

          assertThat(awaitLag(mb, "lb", 0)).as("the warm standby's store").isEqualTo(a.lastSequence());

          // A frame the standby cannot open stops its follower: that message and any after it are its lag.
          Long last = ma.replication.expectedLast("notes");
          assertThat(last).as("the owner has synced").isNotNull();
          assertThat(ma.replication.publish("notes", last, 1_000, 1, new byte[] {1, 2, 3})).isNull();
          awaitLag(mb, "lb", 1);
          mb.close();
          ma.close();
        }
      }
    }
  }

  /** Polls {@code m}'s placement entry (10 s at most) until its notes lag is {@code lag}; its notes sequence then. */
  private static long awaitLag(ClusterMember m, String id, long lag) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonObject entry = null;
    while (true) {
      KeyValueEntry e = m.processBucket() == null ? null : m.processBucket().get(id);
      if (e != null && e.getValue() != null) {
        entry = new JsonObject(new String(e.getValue(), StandardCharsets.UTF_8));
        JsonObject lags = entry.getJsonObject("replicaLag", new JsonObject());
        if (lags.containsKey("notes") && lags.getLong("notes") == lag) return entry.getJsonObject("stores").getLong("notes");
      }
      assertThat(System.nanoTime()).as("replica lag %d for notes within 10 s; entry: %s", lag, entry).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
