package dev.hearth.cluster;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import dev.hearth.kernel.spi.ReplicaStore;
import java.util.Collection;
import java.util.Map;
import dev.hearth.module.ModuleException;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process in the cluster: its NATS connection (made, and made again, on its own thread), the two
 * buckets, and a round every {@code renewMillis} that renews or takes leases ({@link Leases}) and
 * writes this process's heartbeat ({@link Placement}). Used by the node extension, and by the lease
 * tests and benchmarks without a node.
 */
final class ClusterMember implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClusterMember.class);

  final ClusterOptions options;
  final String processId;
  final Leases leases;
  final Placement placement;
  /** The replicated change log; null for members without a node (the lease tests). */
  final Replication replication;
  private final Supplier<Collection<String>> candidates;
  private final ScheduledExecutorService rounds;
  private volatile Connection connection;
  private volatile KeyValue leaseKv;
  private volatile KeyValue processKv;
  private volatile int replicas;
  private volatile Consumer<Connection> onConnected = c -> {};

  /**
   * @param candidates the stores this process would take now (those it may own)
   * @param placement what it says about itself in its heartbeat
   */
  ClusterMember(ClusterOptions options, String processId, Clock clock, Supplier<Collection<String>> candidates,
      Placement placement) {
    this(options, processId, clock, candidates, placement, null);
  }

  /** @param stores the node's open stores by name (null when not open), whose logs it replicates */
  ClusterMember(ClusterOptions options, String processId, Clock clock, Supplier<Collection<String>> candidates,
      Placement placement, Function<String, ReplicaStore> stores) {
    this.options = options;
    this.processId = processId;
    this.leases = new Leases(options, processId, clock);
    this.replication = stores == null ? null : new Replication(options, processId, leases, stores);
    this.placement = placement;
    this.candidates = candidates;
    this.rounds = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hearth-cluster-" + processId);
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs the first round now (blocking: so a process that can own a store owns it when its modules start), then one every renewMillis. */
  ClusterMember start() {
    round();
    long every = options.renewEvery().toMillis();
    rounds.scheduleWithFixedDelay(this::round, every, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Runs a round now, between two rounds, and waits for it: a process about to say ready takes the
   * free leases of the stores its modules opened since the last round (their syncs start).
   */
  void roundNow() throws Exception {
    onRoundThread(() -> {
      round();
      return null;
    });
  }

  private void round() {
    try {
      if (!connected()) return;
      Collection<String> stores = candidates.get();
      leases.tick(leaseKv, stores);
      if (replication != null) replication.round(followed(stores));
      placement.heartbeat(processKv, leases.owned(), replication == null ? Map.of() : replication.replicaLag());
    } catch (RuntimeException e) {
      log.warn("cluster round of process {} failed: {}", processId, e.toString());
    }
  }

  /** The stores it follows: those it may own, and the shared kernel store. */
  private Collection<String> followed(Collection<String> candidates) {
    if (!options.sharedKernel() || candidates.contains(ClusterOptions.KERNEL)) return candidates;
    TreeSet<String> out = new TreeSet<>(candidates);
    out.add(ClusterOptions.KERNEL);
    return out;
  }

  /** Connects and opens the buckets when not yet done; false while NATS cannot be reached. */
  private boolean connected() {
    if (leaseKv != null) return true;
    try {
      if (connection == null) connection = Nats.connect(natsOptions());
      replicas = options.replicas() > 0 ? options.replicas() : Math.min(3, Math.max(1, connection.getServerInfo().getConnectURLs().size()));
      KeyValueManagement kvm = connection.keyValueManagement();
      KeyValueStatus leaseStatus = bucket(kvm, Leases.BUCKET, options.leaseTtl());
      leases.bucketTtl(leaseStatus.getTtl());
      Duration processTtl = Duration.ofMillis(Math.max(options.leaseTtl().toMillis(), 3 * options.renewEvery().toMillis()));
      bucket(kvm, Placement.BUCKET, processTtl);
      KeyValueOptions kvOptions = KeyValueOptions.builder()
          .jetStreamOptions(JetStreamOptions.builder().requestTimeout(options.renewEvery()).build()).build();
      processKv = connection.keyValue(Placement.BUCKET, kvOptions);
      leaseKv = connection.keyValue(Leases.BUCKET, kvOptions);
      if (replication != null) {
        // A frame's publish waits for JetStream's ack (R3: a quorum has it); a leader election can take seconds.
        replication.connected(connection, connection.jetStream(JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(5)).build()),
            connection.jetStreamManagement(), replicas);
      }
      onConnected.accept(connection);
      log.info("cluster process {} connected to {} ({} replicas)", processId, connection.getConnectedUrl(), replicas);
      return true;
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      log.warn("cluster process {} cannot use NATS yet ({}): it owns no store meanwhile", processId, e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The bucket {@code name}, made with {@code ttl} when it does not exist (the first process makes it). */
  private KeyValueStatus bucket(KeyValueManagement kvm, String name, Duration ttl) throws IOException, JetStreamApiException {
    if (!kvm.getBucketNames().contains(name)) {
      try {
        return kvm.create(KeyValueConfiguration.builder().name(name).maxHistoryPerKey(1).ttl(ttl)
            .storageType(StorageType.File).replicas(replicas).build());
      } catch (JetStreamApiException e) {
        log.info("bucket {} not made here ({}): reading it", name, e.getMessage()); // another process made it first
      }
    }
    return kvm.getStatus(name);
  }

  private Options natsOptions() {
    return Options.builder().servers(options.natsUrls().toArray(String[]::new))
        .connectionName("hearth-cluster-" + processId).maxReconnects(-1).reconnectWait(Duration.ofMillis(200))
        .connectionTimeout(Duration.ofSeconds(2)).build();
  }

  /**
   * Runs {@code task} on the rounds' thread, between two rounds, and waits for it (a move's steps
   * change leases, which only that thread does otherwise).
   */
  <T> T onRoundThread(Callable<T> task) throws Exception {
    try {
      return rounds.submit(task).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) throw cause;
      throw e;
    } catch (RejectedExecutionException e) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "process " + processId + " is stopping")
          .detail("retryAfterSeconds", "1");
    }
  }

  /** Sets what is done once NATS is reached (before the first round's leases): call before {@link #start}. */
  ClusterMember onConnected(Consumer<Connection> action) {
    this.onConnected = action;
    return this;
  }

  /** The NATS connection; null until made. */
  Connection connection() {
    return connection;
  }

  /** The key-value buckets, for the status call; null until connected. */
  KeyValue leaseBucket() {
    return leaseKv;
  }

  KeyValue processBucket() {
    return processKv;
  }

  int replicas() {
    return replicas;
  }

  /** A clean stop: no more rounds, leases released (writes stop first), heartbeat removed. */
  @Override
  public void close() {
    stopRounds();
    if (replication != null) replication.close();
    KeyValue kv = leaseKv;
    if (kv != null) {
      leases.release(kv);
      placement.remove(processKv);
    }
    closeConnection();
  }

  /**
   * Stops as a crash would: no more rounds and the connection dropped, leases left to expire. For the
   * lease tests and benchmarks, which measure take-over without killing a JVM.
   */
  void halt() {
    stopRounds();
    if (replication != null) replication.close();
    closeConnection();
  }

  /**
   * Stops the rounds and nothing else, as a frozen renewal thread would: the connection stays, and
   * so does what the replication believes. For the fencing tests.
   */
  void pauseRounds() {
    stopRounds();
  }

  private void stopRounds() {
    rounds.shutdownNow();
    try {
      rounds.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeConnection() {
    Connection c = connection;
    connection = null;
    if (c == null) return;
    try {
      c.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
