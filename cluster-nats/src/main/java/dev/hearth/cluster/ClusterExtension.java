package dev.hearth.cluster;

import dev.hearth.kernel.spi.NodeContext;
import dev.hearth.kernel.spi.NodeExtension;
import dev.hearth.kernel.spi.ReplicaStore;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as a node extension (found through {@code META-INF/services}): when the config's
 * {@code cluster.natsUrls} is set, joins the cluster, gates every store's writes behind its lease
 * ({@link Leases}), forwards write calls for stores another process owns there ({@link Forwarding}),
 * keeps this process's placement entry and serves {@code hearth.cluster.v1.ClusterService};
 * otherwise does nothing and the node stays a single node.
 */
public final class ClusterExtension implements NodeExtension {

  private static final Logger log = LoggerFactory.getLogger(ClusterExtension.class);
  private volatile ClusterMember member;
  private volatile Forwarding forwarding;
  private volatile Moves moves;
  private volatile NodeContext node;

  @Override
  public String name() {
    return "cluster";
  }

  @Override
  public Future<Void> start(NodeContext node) {
    ClusterOptions options = ClusterOptions.from(node.section("cluster"));
    if (!options.enabled()) return Future.succeededFuture();
    return node.vertx().executeBlocking(() -> {
      String id = options.processId() != null ? options.processId() : storedProcessId(node.dataDir());
      Placement placement = new Placement(options, id, node.clock(), "http://" + node.host() + ":" + node.port(),
          () -> sequences(node));
      Function<String, ReplicaStore> stores = name -> node.stores().stream().filter(s -> s.name().equals(name))
          .findFirst().orElse(null);
      ClusterMember m = new ClusterMember(options, id, node.clock(), () -> candidates(options, node), placement, stores);
      // A front follows every replicated store into its own copy, owned or not: its clients read and
      // hear events from there, so fan-out spreads over fronts (docs/cluster.md "Fronts").
      if (options.front()) m.replication.followAlso(() -> node.stores().stream().map(ReplicaStore::name).toList());
      // The gate first: from here on, no store is written without its lease and the whole replicated log.
      node.writeGate(m.replication);
      node.logShipper(m.replication);
      // Writes for stores another process owns go there (asked after forwarders added before it).
      Forwarding f = new Forwarding(options, id, node, node.keysets(), m.replication, m::leaseBucket, m::connection);
      Moves mv = new Moves(m, f, stores, node.clock());
      node.serve(new ClusterApi(node.vertx(), m, mv).binding());
      m.onConnected(c -> {
        f.listen(c);
        mv.listen(c);
      });
      member = m.start();
      forwarding = f;
      moves = mv;
      node.addForwarder(f);
      this.node = node;
      log.info("cluster on: process {}, front {}, may own {}, NATS {}", id, options.front(), options.owns(), options.natsUrls());
      return null;
    }, false);
  }

  /** The stores this process would take: those it names, and with {@code *} every store it has open. */
  private static Collection<String> candidates(ClusterOptions options, NodeContext node) {
    TreeSet<String> out = new TreeSet<>();
    options.owns().stream().filter(s -> !s.equals("*")).forEach(out::add);
    if (options.owns().contains("*")) node.stores().forEach(s -> out.add(s.name()));
    return out;
  }

  private static Map<String, Long> sequences(NodeContext node) {
    Map<String, Long> out = new TreeMap<>();
    for (ReplicaStore s : node.stores()) out.put(s.name(), s.lastSequence());
    return out;
  }

  /** The process id made on first start and kept with the data, so a restarted process is the same one. */
  private static String storedProcessId(Path dataDir) throws IOException {
    Path file = dataDir.resolve("cluster").resolve("process-id");
    if (Files.exists(file)) return Files.readString(file).strip();
    Files.createDirectories(file.getParent());
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    StringBuilder id = new StringBuilder("p");
    for (int i = 0; i < 11; i++) id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    Files.writeString(file, id + "\n");
    return id.toString();
  }

  @Override
  public Future<Void> stop() {
    ClusterMember m = member;
    member = null;
    Forwarding f = forwarding;
    forwarding = null;
    if (f != null) {
      node.removeForwarder(f);
      f.close();
    }
    Moves mv = moves;
    moves = null;
    if (mv != null) mv.close();
    if (m != null) m.close();
    return Future.succeededFuture();
  }

  /** The running member, for tests in this package. */
  ClusterMember member() {
    return member;
  }
}
