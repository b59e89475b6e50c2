package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.spi.ReplicaStore;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.testkit.nats.NatsServerProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
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
      try (Stores storesA = Stores.open(dir.resolve("a"), key, new StoreOptions())) {
        HearthStore a = storesA.store("notes");
        copyKeys(dir.resolve("a"), dir.resolve("b"));
        try (Stores storesB = Stores.open(dir.resolve("b"), key, new StoreOptions())) {
          storesB.store("notes");
          ClusterMember ma = member("ra", nats.url(), storesA);
          write(a, "one");
          ClusterMember mb = member("rb", nats.url(), storesB);
          await("the standby has the first write", () -> open(storesB) != null && open(storesB).lastSequence() == a.lastSequence());

          storesB.closeStore("notes"); // as a module restart does
          HearthStore reopened = storesB.store("notes");
          write(a, "two");
          await("the reopened standby store has the owner's later write",
              () -> reopened.lastSequence() == a.lastSequence());
          assertThat(reopened.collection(NOTES).get("two")).contains("two");

          ma.close(); // releases the lease: the standby takes the store over
          await("the standby takes the store's writes", () -> reopened.write("t", tx -> {
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

  /** Polls (10 s at most) until {@code done}. */
  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what + " within 10 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** A member that finds the store as the node extension does: the object open now, by name. */
  private static ClusterMember member(String id, String url, Stores stores) {
    ClusterOptions o = ClusterOptions.from(new JsonObject().put("natsUrls", url).put("processId", id)
        .put("owns", new JsonArray().add("notes")).put("leaseTtlMillis", 1500).put("renewMillis", 300).put("marginMillis", 300));
    Placement placement = new Placement(o, id, Clock.systemUTC(), "http://127.0.0.1:0", Map::of);
    ClusterMember m = new ClusterMember(o, id, Clock.systemUTC(), () -> List.of("notes"), placement,
        name -> name.equals("notes") ? open(stores) : null);
    stores.writeGate(m.replication);
    stores.logShipper(m.replication);
    return m.start();
  }

  private static void copyKeys(Path from, Path to) throws Exception {
    Files.createDirectories(to.resolve("keys"));
    try (Stream<Path> files = Files.list(from.resolve("keys"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, to.resolve("keys").resolve(f.getFileName()));
    }
  }
}
