package dev.hearth.federation;

import dev.hearth.api.v1.Level;
import dev.hearth.federation.cdc.CdcPublisher;
import dev.hearth.federation.crypto.Envelopes;
import dev.hearth.federation.crypto.NodeKeys;
import dev.hearth.federation.v1.LinkRecord;
import dev.hearth.federation.v1.LinkState;
import dev.hearth.federation.v1.ShareRecord;
import dev.hearth.federation.v1.ShareState;
import dev.hearth.kernel.spi.Forwarder;
import dev.hearth.kernel.spi.NodeContext;
import dev.hearth.kernel.spi.ReplicaStore;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Caller;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.impl.NatsMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's federation at run time: its NATS connection, a {@link CdcPublisher} per open store, and
 * per link the readers of the peer's streams: link control always, a {@link Replicator} per project
 * the peer shares with this node, and a {@link Mutations} executor for the peer's users' writes to
 * projects owned here. Started by {@link FedExtension} when {@code federation.natsUrl} is set.
 */
final class Federation implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Federation.class);

  final NodeContext node;
  final FederationOptions options;
  final String nodeId;
  final String jsDomain;
  final NodeKeys keys;
  final LinkBook book;
  /** Null until the first connection to this node's NATS server; jnats reconnects by itself after that. */
  private volatile Connection nc;
  private final Thread connector;
  final Snapshots snapshots;
  final Mutations mutations;
  /** The dispatcher's hook for writes to replicas here, added on start and removed on close. */
  private final Forwarder forwarder;
  final LinkControl control;
  /** Envelopes refused: forged, tampered, out of scope. For tests, metrics and `hearth fed` status. */
  final AtomicLong rejected = new AtomicLong();
  /** The same, per link. */
  private final Map<String, AtomicLong> rejectedByLink = new ConcurrentHashMap<>();
  private final Map<ReplicaStore, CdcPublisher> publishers = new ConcurrentHashMap<>();
  /** Readers by name: "ctl/<link>", "mut/<link>", "cdc/<link>/<project>". */
  private final Map<String, PeerPull> pulls = new ConcurrentHashMap<>();
  private final Map<String, Replicator> replicators = new ConcurrentHashMap<>();
  /** Where the replicators check envelopes' signatures ahead of their in-order apply. */
  private final ExecutorService verifiers = Executors.newFixedThreadPool(
      Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors())), daemon("hearth-fed-verify"));
  private volatile boolean streamsReady;
  private volatile boolean closed;
  private long timer = -1;

  Federation(NodeContext node, FederationOptions options, String nodeId) throws Exception {
    this.node = node;
    this.options = options;
    this.nodeId = nodeId;
    this.jsDomain = options.jsDomain() != null ? options.jsDomain() : nodeId;
    this.keys = NodeKeys.open(node.keysets());
    this.book = new LinkBook(node.kernelStore());
    Options natsOptions = new Options.Builder().server(options.natsUrl())
        .connectionName("hearth-" + nodeId).maxReconnects(-1).reconnectWait(Duration.ofMillis(500))
        .connectionTimeout(Duration.ofSeconds(2)).errorListener(new NatsLog())
        .connectionListener(new NatsLog.States(options.natsUrl())).build();
    // Connects in the background: the node starts (and serves its own users) while NATS is down;
    // what needs NATS answers UNAVAILABLE until then, and the readers start once connected.
    this.connector = new Thread(() -> connect(natsOptions), "hearth-fed-connect");
    connector.setDaemon(true);
    this.snapshots = new Snapshots(this);
    this.mutations = new Mutations(this);
    this.forwarder = mutations::forward;
    this.control = new LinkControl(this);
  }

  private void connect(Options natsOptions) {
    try {
      Connection c = Nats.connectReconnectOnConnect(natsOptions);
      synchronized (this) {
        if (closed) {
          c.close();
          return;
        }
        nc = c;
      }
      tick();
      for (LinkRecord link : book.all()) startReaders(link);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.error("cannot connect to NATS at {}: {}", options.natsUrl(), e.toString());
    }
  }

  /** The NATS connection, or UNAVAILABLE while there has never been one. */
  Connection nc() {
    Connection c = nc;
    if (c == null) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE,
          "this node is not connected to its NATS server (" + options.natsUrl() + ") yet");
    }
    return c;
  }

  /** Per open store: change events not yet published and acknowledged (last sequence minus the cursor). */
  Map<String, Long> publishLag() {
    Map<String, Long> out = new TreeMap<>();
    publishers.forEach((store, p) -> out.put(store.name(), Math.max(0, store.lastSequence() - p.published())));
    return out;
  }

  /** Per link read here: the largest replication lag of its shared projects, in seconds. */
  Map<String, Double> replicationLag() {
    Map<String, Double> out = new TreeMap<>();
    replicators.values().forEach(r -> out.merge(r.linkId(), r.lagSeconds(), Math::max));
    return out;
  }

  void start() {
    FedMetrics.bind(this, node);
    tick();
    connector.start();
    timer = node.vertx().setPeriodic(1000, id -> node.vertx().executeBlocking(() -> {
      tick();
      return null;
    }, false));
    node.addForwarder(forwarder);
  }

  /** Once a second: streams made once NATS answers; a publisher and replica rules for every open store. */
  private synchronized void tick() {
    if (closed) return;
    var open = node.stores();
    // Replicas are read-only whether or not NATS is up.
    for (ReplicaStore s : open) s.replicaScopes(book::isReplica);
    if (nc == null) return;
    if (!streamsReady && nc.getStatus() == Connection.Status.CONNECTED) {
      try {
        Streams.ensure(nc.jetStreamManagement(own()), nodeId, options);
        streamsReady = true;
      } catch (Exception e) {
        log.info("cannot set up this node's streams yet: {}", e.toString());
      }
    }
    for (ReplicaStore s : open) {
      publishers.computeIfAbsent(s, st -> new CdcPublisher(nodeId, st, jetStream(), p -> book.publishes(p) ? book.scopeKey(p) : null,
          keys, outbox(st.name()), options.publishWindow()).tracing(node.tracing()).start());
    }
    publishers.entrySet().removeIf(e -> {
      if (open.contains(e.getKey())) return false;
      e.getValue().close(); // the store closed (its module stopped): a new publisher follows it when it opens again
      return true;
    });
  }

  private Path outbox(String store) {
    return node.dataDir().resolve("federation").resolve("outbox").resolve(store + ".json");
  }

  static JetStreamOptions own() {
    return JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(5)).build();
  }

  JetStream jetStream() {
    try {
      return nc().jetStream(own());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts what reads a link's peer: control always; the rest only while the link is ACTIVE. */
  synchronized void startReaders(LinkRecord link) {
    // Before the first connection: the connector starts every link's readers once connected.
    if (closed || nc == null || link.getState() == LinkState.REMOVED) return;
    String peer = link.getPeerNodeId();
    pulls.computeIfAbsent("ctl/" + link.getId(), k -> new PeerPull(nc, link.getPeerJsDomain(), Streams.ctl(peer),
        "ctl-" + nodeId, Streams.ctlSubject(peer, nodeId), Duration.ofSeconds(1), PeerPull.each(m -> control.onControl(link.getId(), m))).start());
    if (link.getState() != LinkState.ACTIVE) return;
    pulls.computeIfAbsent("mut/" + link.getId(), k -> new PeerPull(nc, link.getPeerJsDomain(), Streams.mut(peer),
        "owner-" + nodeId, Streams.mutSubject(peer, nodeId), Duration.ofSeconds(1),
        PeerPull.each(m -> mutations.execute(link.getId(), m))).start());
    for (ShareRecord s : link.getSharesList()) {
      if (!s.getOwnedHere() && s.getState() == ShareState.SHARED) startReplicator(link, s.getProjectId());
    }
  }

  private void startReplicator(LinkRecord link, String project) {
    String name = "cdc/" + link.getId() + "/" + project;
    pulls.computeIfAbsent(name, k -> {
      Replicator r = new Replicator(this, link.getId(), project, verifiers);
      replicators.put(name, r);
      return new PeerPull(nc, link.getPeerJsDomain(), CdcPublisher.streamName(link.getPeerNodeId()),
          "fed-" + nodeId + "-" + project, "hearth.cdc." + link.getPeerNodeId() + "." + project + ".>",
          Duration.ofSeconds(1), r::handle).start();
    });
  }

  /** Stops what reads a link's peer; {@code all} also stops control (the link is removed). */
  synchronized void stopReaders(LinkRecord link, boolean all, boolean deleteConsumers) {
    pulls.entrySet().removeIf(e -> {
      String k = e.getKey();
      boolean mine = k.equals("mut/" + link.getId()) || k.startsWith("cdc/" + link.getId() + "/")
          || (all && k.equals("ctl/" + link.getId()));
      if (mine) {
        e.getValue().close();
        if (deleteConsumers) e.getValue().deleteConsumer();
        replicators.remove(k);
      }
      return mine;
    });
  }

  /** Stops replicating one project from a link's peer. */
  synchronized void stopReplicator(String linkId, String project) {
    String name = "cdc/" + linkId + "/" + project;
    PeerPull p = pulls.remove(name);
    replicators.remove(name);
    if (p != null) p.close();
  }

  /** Starts replicating a project the link's peer shares: a snapshot first, then its events. */
  void replicate(LinkRecord link, String project) {
    node.vertx().executeBlocking(() -> {
      try {
        snapshots.fetch(link, project);
      } catch (RuntimeException e) {
        log.warn("snapshot of {} from {} failed ({}); trying again with its next event", project,
            link.getPeerOrgName(), e.getMessage());
        startReplicator(link, project);
        Replicator r = replicators.get("cdc/" + link.getId() + "/" + project);
        if (r != null) r.needSnapshot();
        return null;
      }
      startReplicator(link, project);
      return null;
    }, false);
  }

  /** Publishes to this node's own stream and waits for the acknowledgement (blocking). */
  void publish(String subject, byte[] body, String msgId) {
    try {
      jetStream().publish(NatsMessage.builder().subject(subject).data(body).build(),
          PublishOptions.builder().messageId(msgId).build());
    } catch (Exception e) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE,
          "this node's NATS server did not take the message: " + e.getMessage());
    }
  }

  /** The store {@code name} if it is open here (the kernel's, or a running module's), else null. */
  ReplicaStore openStore(String name) {
    for (ReplicaStore s : node.stores()) if (s.name().equals(name)) return s;
    return null;
  }

  long rejected(String linkId) {
    AtomicLong n = rejectedByLink.get(linkId);
    return n == null ? 0 : n.get();
  }

  /** The replicator of a project from a link's peer, if it runs. */
  Replicator replicator(String linkId, String project) {
    return replicators.get("cdc/" + linkId + "/" + project);
  }

  /** Events of {@code project} waiting in the link's peer's stream for this node; -1 when unknown. */
  long pending(LinkRecord link, String project) {
    try {
      return nc().jetStreamManagement(PeerPull.domain(link.getPeerJsDomain()))
          .getConsumerInfo(CdcPublisher.streamName(link.getPeerNodeId()), "fed-" + nodeId + "-" + project).getNumPending();
    } catch (Exception e) {
      return -1;
    }
  }

  /**
   * Stops every publisher, runs {@code whileStopped} (tests: put an older outbox cursor in place, as
   * a kill -9 between two cursor saves leaves it) and starts them again from their cursor files.
   */
  synchronized void restartPublishers(Runnable whileStopped) {
    publishers.values().forEach(CdcPublisher::close);
    publishers.clear();
    whileStopped.run();
    tick();
  }

  /** The URL put into link tokens: configured, else this node's own address. */
  String publicUrl() {
    if (options.publicUrl() != null) return options.publicUrl();
    String host = node.host();
    if (host.equals("0.0.0.0") || host.equals("::")) host = "127.0.0.1";
    return "http://" + host + ":" + node.port();
  }

  /**
   * Unlink: deletes the consumers the peer made on this node's streams for data and writes, so it
   * reads nothing more. Its control consumer stays until it has read the Unlink.
   */
  void deletePeerConsumers(LinkRecord link) {
    String peer = link.getPeerNodeId();
    try {
      var jsm = nc().jetStreamManagement(own());
      for (String stream : List.of(CdcPublisher.streamName(nodeId), Streams.ctl(nodeId), Streams.mut(nodeId))) {
        for (String c : jsm.getConsumerNames(stream)) {
          // Not its control consumer: the peer still has to read the Unlink (it deletes that consumer then).
          if (c.startsWith("fed-" + peer + "-") || c.equals("owner-" + peer)) jsm.deleteConsumer(stream, c);
        }
      }
    } catch (Exception e) {
      log.warn("link {}: could not delete {}'s consumers on this node's streams: {}", link.getId(), peer, e.toString());
    }
  }

  /** Completes once the replica shows {@code userId} as a member of {@code project} (at most 10 s). */
  Future<Void> awaitMembership(String userId, String project) {
    var caller = new Caller(userId, false, null, Caller.Via.SESSION);
    Promise<Void> p = Promise.promise();
    long deadline = System.currentTimeMillis() + 10_000;
    node.vertx().setPeriodic(1, 50, id -> {
      if (node.authorization().allows(caller, Level.PROJECT_USER, project)) {
        node.vertx().cancelTimer(id);
        p.tryComplete();
      } else if (System.currentTimeMillis() > deadline) {
        node.vertx().cancelTimer(id);
        p.tryFail(new ModuleException(ModuleException.Code.UNAVAILABLE,
            "joined, but this node has not received the membership yet; try again in a moment"));
      }
    });
    return p.future();
  }

  /** An envelope that failed a check: logged (never its content), counted, never applied. */
  void reject(String what, LinkRecord link, Message m, String reason) {
    rejected.incrementAndGet();
    rejectedByLink.computeIfAbsent(link.getId(), k -> new AtomicLong()).incrementAndGet();
    log.warn("rejected {} message on {} (stream seq {}) from link {} ({}): {}", what, m.getSubject(),
        m.metaData().streamSequence(), link.getId(), link.getPeerOrgName(), reason);
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (timer >= 0) node.vertx().cancelTimer(timer);
    node.removeForwarder(forwarder);
    pulls.values().forEach(PeerPull::close);
    pulls.clear();
    publishers.values().forEach(CdcPublisher::close);
    publishers.clear();
    verifiers.shutdownNow();
    connector.interrupt();
    Connection c = nc;
    if (c == null) return;
    try {
      c.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
