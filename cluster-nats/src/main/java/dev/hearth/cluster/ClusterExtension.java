package dev.hearth.cluster;

import dev.hearth.kernel.spi.BootContext;
import dev.hearth.kernel.spi.Forwarder;
import dev.hearth.kernel.spi.KeyShare;
import dev.hearth.kernel.spi.NodeContext;
import dev.hearth.kernel.spi.NodeExtension;
import dev.hearth.kernel.spi.ReplicaStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as a node extension (found through {@code META-INF/services}): when the config's
 * {@code cluster.natsUrls} is set, joins the cluster before identity starts ({@link #join}: gates
 * every store's writes behind its lease ({@link Leases}), ships and follows their replicated logs,
 * and brings the shared kernel store up to date ({@link KernelJoin})); once the API is up
 * ({@link #start}) forwards write calls for stores another process owns there ({@link Forwarding})
 * and serves {@code hearth.cluster.v1.ClusterService}; once the modules started, holds the node's
 * readiness until its copies of the stores others write have caught up ({@link #beforeReady});
 * otherwise does nothing and the node stays a single node.
 */
public final class ClusterExtension implements NodeExtension {

  private static final Logger log = LoggerFactory.getLogger(ClusterExtension.class);
  /** The longest a stop waits for calls in flight, whatever the lease TTL (the node's stop is bounded too). */
  static final Duration MAX_DRAIN = Duration.ofSeconds(10);
  private volatile ClusterMember member;
  private volatile Forwarding forwarding;
  private volatile Forwarder counted;
  private volatile Moves moves;
  private volatile NodeContext node;
  private volatile String apiUrl = "";

  @Override
  public String name() {
    return "cluster";
  }

  /**
   * In a cluster the keysets are the cluster's (docs/cluster.md "Keys"): before the stores open,
   * this data directory's keyset files and the bucket {@value KeyBucket#BUCKET} are made to agree, so
   * a process with the cluster's master key and an empty data directory opens every store's frames.
   */
  @Override
  public KeyShare keyShare(Path dataDir, Function<String, JsonObject> section) {
    ClusterOptions options = ClusterOptions.from(section.apply("cluster"));
    if (!options.enabled()) return null;
    try {
      KeyBucket keys = KeyBucket.open(options, options.processId() != null ? options.processId() : storedProcessId(dataDir));
      try {
        keys.sync(dataDir.resolve("keys"));
      } catch (RuntimeException e) {
        keys.close();
        throw e;
      }
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Future<Void> join(BootContext boot) {
    ClusterOptions options = ClusterOptions.from(boot.section("cluster"));
    if (!options.enabled()) return Future.succeededFuture();
    return boot.vertx().executeBlocking(() -> {
      String id = options.processId() != null ? options.processId() : storedProcessId(boot.dataDir());
      Supplier<List<ReplicaStore>> stores = boot::stores;
      Placement placement = new Placement(options, id, boot.clock(), () -> apiUrl, () -> sequences(stores.get()));
      ClusterMember m = new ClusterMember(options, id, boot.clock(), () -> candidates(options, stores.get()), placement,
          store(stores));
      // A front follows every replicated store into its own copy, owned or not: its clients read and
      // hear events from there, so fan-out spreads over fronts (docs/cluster.md "Fronts").
      m.replication.snapshotOptions(SnapshotOptions.from(boot.section("cluster")));
      if (options.front()) m.replication.followAlso(() -> stores.get().stream().map(ReplicaStore::name).toList());
      // The gate first: from here on, no store is written without its lease and the whole replicated log.
      boot.writeGate(m.replication);
      boot.logShipper(m.replication);
      m.onConnected(c -> {
        Forwarding f = forwarding;
        if (f != null) f.listen(c);
        Moves mv = moves;
        if (mv != null) mv.listen(c);
      });
      member = m.start();
      if (options.sharedKernel()) new KernelJoin(options, m).await();
      log.info("cluster joined: process {}, front {}, may own {}, kernel store {}, NATS {}", id, options.front(),
          options.owns(), options.sharedKernel() ? "shared" : "local", options.natsUrls());
      return null;
    }, false);
  }

  @Override
  public Future<Void> start(NodeContext node) {
    ClusterMember m = member;
    if (m == null) return Future.succeededFuture();
    return node.vertx().executeBlocking(() -> {
      apiUrl = "http://" + node.host() + ":" + node.port();
      // Writes for stores another process owns go there (asked after forwarders added before it).
      Forwarding f = new Forwarding(m.options, m.processId, node, node.keysets(), m.replication, m::leaseBucket,
          m::connection, m.replication::followed);
      Moves mv = new Moves(m, f, store(node::stores), node.clock());
      node.serve(new ClusterApi(node.vertx(), m, mv).binding());
      forwarding = f;
      moves = mv;
      if (m.connection() != null) {
        f.listen(m.connection());
        mv.listen(m.connection());
      }
      // Per-process meters (docs/operations.md "Cluster"); backups here first catch up with each store's owner.
      Forwarder c = ClusterMetrics.bind(node, m).counting(f, node);
      node.replicaCatchUp(new BackupCatchUp(m, new CatchUp(m)));
      counted = c;
      node.addForwarder(c);
      this.node = node;
      log.info("cluster on: process {} serves {}", m.processId, apiUrl);
      return null;
    }, false);
  }

  /**
   * A process says ready only once its copies of the stores it follows and does not write hold what
   * their streams held now, and it takes the writes of the stores whose lease it holds (docs/cluster.md
   * "Readiness"): called after the modules started, so their stores are open and followed; a round run
   * first takes the free leases of the stores they opened. Bounded by {@code cluster.readyCatchUpSeconds}; past it, or when a
   * copy cannot catch up, it logs which store is how far behind and says ready anyway. On a worker.
   */
  @Override
  public Future<Void> beforeReady(NodeContext node) {
    ClusterMember m = member;
    if (m == null) return Future.succeededFuture();
    return node.vertx().executeBlocking(() -> {
      List<String> stores = node.stores().stream().map(ReplicaStore::name).toList();
      if (!m.options.readyCatchUp().isZero()) {
        try {
          m.roundNow();
        } catch (Exception e) {
          log.warn("process {}: no round of leases before saying ready ({}); the next round takes them", m.processId,
              e.getMessage());
        }
      }
      new CatchUp(m).beforeReady(stores, m.options.readyCatchUp(), () -> member == m);
      return null;
    }, false);
  }

  private static Function<String, ReplicaStore> store(Supplier<? extends List<? extends ReplicaStore>> stores) {
    return name -> stores.get().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }

  /** The stores this process would take: those it names, and with {@code *} every store it has open. */
  private static Collection<String> candidates(ClusterOptions options, List<ReplicaStore> open) {
    TreeSet<String> out = new TreeSet<>();
    options.owns().stream().filter(s -> !s.equals("*")).forEach(out::add);
    if (options.owns().contains("*")) open.forEach(s -> out.add(s.name()));
    return out;
  }

  private static Map<String, Long> sequences(List<ReplicaStore> open) {
    Map<String, Long> out = new TreeMap<>();
    for (ReplicaStore s : open) out.put(s.name(), s.lastSequence());
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

  /**
   * A process stopping answers its calls in flight first — those its clients sent (a forwarded one
   * waits for its owner up to a lease TTL) and those forwarded to it — at most a lease TTL, and at
   * most {@link #MAX_DRAIN}, before it releases its leases and leaves (docs/cluster.md "Rolling restart").
   */
  @Override
  public Duration drain() {
    ClusterMember m = member;
    if (m == null) return Duration.ZERO;
    return m.options.leaseTtl().compareTo(MAX_DRAIN) < 0 ? m.options.leaseTtl() : MAX_DRAIN;
  }

  /** Blocking (the node calls it on a worker): drains the forwarded calls this process runs, then leaves. */
  @Override
  public Future<Void> stop() {
    Duration drain = drain();
    ClusterMember m = member;
    member = null;
    Forwarding f = forwarding;
    forwarding = null;
    if (f != null) {
      if (node != null && counted != null) node.removeForwarder(counted);
      f.close(drain);
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
