package dev.hearth.cluster;

import dev.hearth.kernel.spi.ReplicaStore;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.testkit.nats.NatsServerProcess;
import dev.hearth.testkit.nats.NatsTopology;
import dev.hearth.kernel.store.Stores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Cluster members in the test's own process, on real stores, for the ITs that need to reach into
 * a member (its replication, its rounds) rather than run {@code hearth serve}: one store,
 * {@code notes}, that every member may own, with short lease timings.
 */
final class InProcessMembers {

  /** The one collection of the {@code notes} store the members' tests write. */
  static final CollectionSpec<String> NOTES = CollectionSpec.of("notes", Codec.utf8());

  private InProcessMembers() {}

  /** The servers' URLs, comma-separated, as {@code cluster.natsUrls} takes them. */
  static String urls(NatsTopology nats) {
    return String.join(",", nats.servers().stream().map(NatsServerProcess::url).toList());
  }

  /**
   * A started member that replicates {@code stores}' {@code notes} store.
   *
   * @param notes the {@code notes} store as the member finds it by name (null while it is not open)
   * @param sequences what its placement entry says of its stores' sequences
   */
  static ClusterMember member(String id, String natsUrls, Stores stores, Supplier<ReplicaStore> notes,
      Supplier<Map<String, Long>> sequences) {
    ClusterOptions o = ClusterOptions.from(new JsonObject().put("natsUrls", natsUrls).put("processId", id)
        .put("owns", new JsonArray().add("notes")).put("leaseTtlMillis", 1500).put("renewMillis", 300)
        .put("marginMillis", 300));
    Placement placement = new Placement(o, id, Clock.systemUTC(), "http://127.0.0.1:0", sequences);
    Function<String, ReplicaStore> byName = name -> name.equals("notes") ? notes.get() : null;
    ClusterMember m = new ClusterMember(o, id, Clock.systemUTC(), () -> List.of("notes"), placement, byName);
    stores.writeGate(m.replication);
    stores.logShipper(m.replication);
    return m.start();
  }

  /** The processes of a cluster share a store's keys: copies the key files of one data directory to another's. */
  static void copyKeys(Path from, Path to) throws Exception {
    Files.createDirectories(to.resolve("keys"));
    try (Stream<Path> files = Files.list(from.resolve("keys"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, to.resolve("keys").resolve(f.getFileName()));
      }
    }
  }
}
