package dev.hearth.cluster;

import dev.hearth.kernel.spi.LogShipper;
import dev.hearth.kernel.spi.ReplicaStore;
import dev.hearth.kernel.spi.WriteGate;
import dev.hearth.module.ModuleException;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated change log (docs/cluster.md): each replicated store has a JetStream stream
 * {@code HEARTH_LOG_<STORE>} of its group-commit frames, one message a frame.
 *
 * <p>As {@link LogShipper}, the owner publishes each frame with the stream's expected last
 * sequence before appending it locally; the write is acknowledged after JetStream's ack and the
 * local fsync. A publish that finds the stream moved on (another process appended) is refused: a
 * fenced ex-owner never appends, and nothing of the refused batch is written anywhere.
 *
 * <p>As {@link WriteGate}, a store may be written only by its lease holder ({@link Leases}) once it
 * has <em>synced</em>: its {@link Follower} applied the stream up to its last message, and it
 * appended a take-over marker at exactly that position. The marker moves the stream's last
 * sequence, so any publish of a previous owner (which expects the old one) fails from then on.
 *
 * <p>A front also follows every other store it has open whose stream exists (another process owns
 * it with {@code durability: cluster}), though it may never own it: its clients' reads and realtime
 * then come from its own copy ({@link #followAlso}).
 */
final class Replication implements WriteGate, LogShipper {

  static final String MARKER = "Hearth-Marker";
  static final String FIRST_SEQ = "Hearth-First-Seq";
  static final String LAST_SEQ = "Hearth-Last-Seq";
  private static final Logger log = LoggerFactory.getLogger(Replication.class);

  private final ClusterOptions options;
  private final String processId;
  private final Leases leases;
  private final Function<String, ReplicaStore> stores;
  private final Map<String, Follower> followers = new ConcurrentHashMap<>();
  /** Per synced store: the stream sequence this owner's next publish expects to follow. */
  private final Map<String, Long> expectedLast = new ConcurrentHashMap<>();
  private final Map<String, String> reported = new ConcurrentHashMap<>();
  /** Per followed store: the stream messages its follower had not applied at the last round. */
  private final Map<String, Long> lag = new ConcurrentHashMap<>();
  /** Measures the lag off the round's thread, so a slow NATS never lengthens a lease round. */
  private final ExecutorService lagChecks;
  private final AtomicBoolean lagCheckRunning = new AtomicBoolean();
  /** The stores followed though this process may not own them (a front: every store open here). */
  private volatile Supplier<Collection<String>> followOnly = List::of;
  /** Follow-only stores whose stream exists, found off the round's thread (a front never makes one). */
  private final Set<String> streamsFound = ConcurrentHashMap.newKeySet();
  private volatile JetStream js;
  private volatile JetStreamManagement jsm;
  private volatile Seeding seeding;
  private volatile int replicas = 1;
  private volatile Snapshots snapshots;
  private volatile SnapshotOptions snapshotOptions = SnapshotOptions.DEFAULTS;
  /** Writes the snapshots of the stores this process owns, and trims their streams, off the round's thread. */
  private final ExecutorService snapshotter;
  private final Set<String> snapshotting = ConcurrentHashMap.newKeySet();
  /** Per store this process writes: its newest snapshot, and its follower's byte count when that one was written. */
  private final Map<String, Snapshots.Chunk> newestSnapshot = new ConcurrentHashMap<>();
  private final Map<String, Long> bytesAtSnapshot = new ConcurrentHashMap<>();
  private final Set<String> trimRefused = ConcurrentHashMap.newKeySet();
  /**
   * Syncs the stores whose lease this process holds, off the round's thread: a sync waits on NATS
   * (the stream's last message, the marker's publish), and while a stream elects a leader each
   * request may wait out its timeout; on the round's thread that outlasted the leases' renewal.
   */
  private final ExecutorService syncer;
  private final Set<String> syncing = ConcurrentHashMap.newKeySet();
  /** Per store: held while it syncs (the round's sync, a writer's, a move's), so one runs at a time. */
  private final Map<String, ReentrantLock> syncLocks = new ConcurrentHashMap<>();

  /** @param stores a store open in this process by name, or null when it is not open (yet) */
  Replication(ClusterOptions options, String processId, Leases leases, Function<String, ReplicaStore> stores) {
    this.options = options;
    this.processId = processId;
    this.leases = leases;
    this.stores = stores;
    this.lagChecks = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "hearth-replica-lag-" + processId);
      t.setDaemon(true);
      return t;
    });
    this.snapshotter = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "hearth-snapshot-" + processId);
      t.setDaemon(true);
      return t;
    });
    // At most one sync per store at a time (syncing): as many threads as stores being taken over at once.
    this.syncer = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "hearth-sync-" + processId);
      t.setDaemon(true);
      return t;
    });
  }

  /** When snapshots are written and how much of a stream stays below them (call before the first round). */
  void snapshotOptions(SnapshotOptions options) {
    this.snapshotOptions = options;
  }

  /** The snapshots, once connected; null before. */
  Snapshots snapshots() {
    return snapshots;
  }

  static String stream(String store) {
    return "HEARTH_LOG_" + store.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  static String subject(String store) {
    return "hearth.log." + store;
  }

  /** Whether the store's frames go through its stream ({@code durability: cluster}, the default). */
  boolean replicated(String store) {
    return options.follows(store);
  }

  /**
   * Follows these stores too, those among them it may not own included (a front; call before the
   * first round): each one open here, not {@code durability: local}, whose stream another process made.
   */
  void followAlso(Supplier<Collection<String>> stores) {
    this.followOnly = stores;
  }

  void connected(Connection nc, JetStream js, JetStreamManagement jsm, int replicas) {
    this.jsm = jsm;
    this.replicas = replicas;
    this.seeding = new Seeding(js, jsm, processId);
    this.snapshots = new Snapshots(nc, processId, replicas);
    this.js = js;
  }

  /**
   * At submit, the lease decides; whether the store has synced is decided at commit ({@link #ship}),
   * where a holder that has not synced yet tries to (a store opened after the last round).
   */
  @Override
  public ModuleException refusal(String store) {
    return leases.refusal(store);
  }

  @Override
  public ModuleException ship(String store, long firstSeq, int count, byte[] frame) {
    if (!replicated(store)) return null;
    if (!leases.owns(store)) return leases.refusal(store);
    if (!expectedLast.containsKey(store)) syncNow(store);
    Long last = expectedLast.get(store);
    if (last == null) {
      return unavailable("store '" + store + "' is catching up with its replicated log; it takes writes once it has it all");
    }
    return publish(store, last, firstSeq, count, frame);
  }

  /**
   * Publishes a frame after the stream message {@code last}: null when JetStream stored it there,
   * else the refusal (and this process stops writing the store until it has synced again).
   */
  ModuleException publish(String store, long last, long firstSeq, int count, byte[] frame) {
    Headers h = new Headers().put(FIRST_SEQ, Long.toString(firstSeq)).put(LAST_SEQ, Long.toString(firstSeq + count - 1))
        .put("Hearth-Holder", processId);
    try {
      PublishAck ack = js.publish(NatsMessage.builder().subject(subject(store)).headers(h).data(frame).build(),
          PublishOptions.builder().expectedStream(stream(store)).expectedLastSequence(last)
              .messageId(store + "/" + firstSeq).build());
      if (ack.isDuplicate()) {
        return desync(store, "the stream already holds a frame at sequence " + firstSeq);
      }
      expectedLast.replace(store, last, ack.getSeqno());
      return null;
    } catch (JetStreamApiException e) {
      // Wrong last sequence: another process appended since. This one stops writing the store.
      return desync(store, "the replicated log moved on (" + e.getApiErrorCode() + ": " + e.getErrorDescription() + ")");
    } catch (IOException | RuntimeException e) {
      return desync(store, "NATS did not acknowledge the frame (" + e.getMessage() + ")");
    }
  }

  /**
   * Whether this process's copy of {@code store} has taken in its stream up to the stream's last
   * message now (one stream-info request): false while it is behind, has no follower, or NATS does
   * not answer. Blocking.
   */
  boolean caughtUp(String store) {
    Follower f = followers.get(store);
    if (f == null || jsm == null) return false;
    try {
      long last = jsm.getStreamInfo(stream(store)).getStreamState().getLastSequence();
      return last > 0 && f.applied() >= last;
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      return false;
    }
  }

  /** The store open here by that name whose follower runs, or null: what a forwarded write's answer is awaited in. */
  ReplicaStore followed(String store) {
    Follower f = followers.get(store);
    ReplicaStore s = stores.apply(store);
    return f != null && s != null && f.follows(s) && f.failure() == null ? s : null;
  }

  /** The follower of the store open here by that name, or null when it is not followed (yet). */
  Follower followerOf(String store) {
    Follower f = followers.get(store);
    ReplicaStore s = stores.apply(store);
    return f != null && s != null && f.follows(s) ? f : null;
  }

  /** The stream message this owner's next frame must follow; null when it has not synced the store. */
  Long expectedLast(String store) {
    return expectedLast.get(store);
  }

  private ModuleException desync(String store, String why) {
    if (expectedLast.remove(store) != null) {
      log.warn("process {} stopped writing store {} until it has caught up with its replicated log: {}", processId, store, why);
    }
    return unavailable("store '" + store + "' could not replicate the write: " + why);
  }

  private ModuleException unavailable(String message) {
    return new ModuleException(ModuleException.Code.UNAVAILABLE, message).detail("retryAfterSeconds", "1");
  }

  /**
   * One round (the member's thread): follows every replicated store open here (the store object
   * open now: a store closed and opened again is followed anew), stops following stores that are
   * closed, and syncs each one whose lease this process holds but has not synced; follows the
   * follow-only stores ({@link #followAlso}) whose stream exists. Blocking. The replica lag is
   * measured, and follow-only streams looked for, on a thread of its own, ready for a later round.
   */
  void round(Collection<String> candidates) {
    if (js == null) return;
    Map<String, Follower> followed = new HashMap<>();
    for (String store : candidates) {
      if (!replicated(store)) continue;
      ReplicaStore s = stores.apply(store);
      if (s == null) {
        unfollow(store);
        continue;
      }
      Follower f = follower(store, s);
      followed.put(store, f);
      if (!leases.owns(store)) {
        expectedLast.remove(store);
        newestSnapshot.remove(store);
      } else if (!expectedLast.containsKey(store)) {
        startSync(store, s, f);
      } else {
        maybeSnapshot(store, s, f);
      }
    }
    List<String> unfound = new ArrayList<>();
    for (String store : followOnly.get()) {
      if (candidates.contains(store) || !options.durability(store).equals(ClusterOptions.CLUSTER)) continue;
      ReplicaStore s = stores.apply(store);
      if (s == null) {
        unfollow(store);
      } else if (streamsFound.contains(store)) {
        followed.put(store, follower(store, s));
      } else {
        unfound.add(store);
      }
    }
    lag.keySet().retainAll(followed.keySet());
    checkLag(followed, unfound);
  }

  /**
   * Starts a lag measurement of the followed stores, and a look for the streams of follow-only
   * stores not followed yet, unless one is still running (NATS is slow).
   */
  private void checkLag(Map<String, Follower> followed, List<String> unfound) {
    if (followed.isEmpty() && unfound.isEmpty() || !lagCheckRunning.compareAndSet(false, true)) return;
    try {
      lagChecks.execute(() -> {
        try {
          followed.forEach(this::measureLag);
          if (!unfound.isEmpty()) lookForStreams(unfound);
        } finally {
          lagCheckRunning.set(false);
        }
      });
    } catch (RejectedExecutionException closed) {
      lagCheckRunning.set(false);
    }
  }

  /** A store no longer open here: its follower stops (it is followed again when the store is opened again). */
  private void unfollow(String store) {
    lag.remove(store);
    Follower f = followers.remove(store);
    if (f != null) {
      f.stop();
      log.info("store {} is closed here: its follower stopped until it is opened again", store);
    }
  }

  /** Per followed store, the stream messages not applied here as of the last round (for placement). */
  Map<String, Long> replicaLag() {
    return Map.copyOf(lag);
  }

  private void measureLag(String store, Follower f) {
    try {
      long last = jsm.getStreamInfo(stream(store)).getStreamState().getLastSequence();
      lag.put(store, Math.max(0, last - f.applied()));
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      lag.remove(store); // unknown this round: placement leaves it out rather than say something stale
      log.debug("store {}: replica lag not measured: {}", store, e.getMessage());
    }
  }

  /**
   * Notes which of these follow-only stores have a stream (the next round follows them), in one
   * request; a store nobody owns in the cluster (yet) keeps its copy its own.
   */
  private void lookForStreams(List<String> unfound) {
    try {
      List<String> streams = jsm.getStreamNames(subject(">"));
      for (String store : unfound) {
        if (streams.contains(stream(store)) && streamsFound.add(store)) {
          log.info("store {} has a replicated log: following it into this process's copy", store);
        }
      }
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      log.debug("replicated logs of {} not looked for: {}", unfound, e.getMessage());
    }
  }

  /**
   * Starts syncing a store whose lease this process holds, off the round's thread (the round goes
   * on renewing leases meanwhile), unless a sync of it is running: it waits up to a round for its
   * follower, and the next round starts another while the store is behind.
   */
  private void startSync(String store, ReplicaStore s, Follower f) {
    if (!syncing.add(store)) return;
    try {
      syncer.execute(() -> {
        try {
          sync(store, s, f, options.renewEvery().toNanos());
        } finally {
          syncing.remove(store);
        }
      });
    } catch (RejectedExecutionException closed) {
      syncing.remove(store);
    }
  }

  /**
   * On the store's writer thread: syncs a store opened since the last round, when the stream has
   * nothing the store lacks (its follower cannot apply anything while the writer waits here). When
   * a sync of it is running elsewhere, waits for that one (a lease TTL at most: then the write is
   * refused as catching up, and retried).
   */
  private void syncNow(String store) {
    ReplicaStore s = stores.apply(store);
    if (js == null || s == null || expectedLast.containsKey(store)) return;
    ReentrantLock lock = syncLock(store);
    try {
      if (!lock.tryLock(options.leaseTtl().toMillis(), TimeUnit.MILLISECONDS)) return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      syncLocked(store, s, follower(store, s), 0);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until this process takes the writes of {@code store}, whose lease it holds (it synced), or
   * until {@code deadline} ({@link System#nanoTime}); true when it does. For readiness.
   */
  boolean awaitSynced(String store, long deadline) throws InterruptedException {
    while (!expectedLast.containsKey(store)) {
      if (!leases.owns(store) || System.nanoTime() - deadline > 0) return false;
      Thread.sleep(5);
    }
    return true;
  }

  private ReentrantLock syncLock(String store) {
    return syncLocks.computeIfAbsent(store, k -> new ReentrantLock());
  }

  /**
   * The follower of the store object open now. One that follows an earlier object of the store (closed
   * since: a module restart, a restore, a failed start) is stopped, and a new one follows the stream
   * from its start into the open store, which answers DUPLICATE up to its own last sequence.
   */
  private Follower follower(String store, ReplicaStore s) {
    return followers.compute(store, (n, f) -> {
      if (f != null && f.follows(s)) return f;
      if (f != null) {
        f.stop();
        log.info("store {} was opened again: following its replicated log from sequence {} of the open store", n,
            s.lastSequence());
      } else {
        ensureStream(n);
      }
      return new Follower(s, js, jsm, snapshots).start();
    });
  }

  /**
   * Takes writes once the follower has the whole stream, fencing earlier owners with a marker. One
   * sync of a store at a time (its lock); blocking, on NATS.
   */
  private void sync(String store, ReplicaStore s, Follower f, long waitNanos) {
    ReentrantLock lock = syncLock(store);
    lock.lock();
    try {
      syncLocked(store, s, f, waitNanos);
    } finally {
      lock.unlock();
    }
  }

  private void syncLocked(String store, ReplicaStore s, Follower f, long waitNanos) {
    if (expectedLast.containsKey(store) || !leases.owns(store)) return;
    try {
      long deadline = System.nanoTime() + waitNanos;
      long last = jsm.getStreamInfo(stream(store)).getStreamState().getLastSequence();
      while (f.applied() < last && f.failure() == null && System.nanoTime() - deadline < 0) Thread.sleep(5);
      if (f.failure() != null) {
        report(store, "its follower stopped: " + f.failure());
        return;
      }
      if (f.applied() < last) return; // still catching up; next round
      long end = f.streamEnd();
      if (s.lastSequence() > end && waitNanos > 0 && seeding.mayGoOn(store, s, last)) {
        // A log from before the cluster (a single node become its first process): the stream's first frames.
        Seeding.Position p;
        try {
          p = seeding.seed(store, s, last, end, System.nanoTime() + waitNanos);
        } catch (ModuleException e) {
          report(store, "its log from before the cluster does not go into its replicated log: " + e.getMessage());
          return;
        }
        if (p.storeEnd() < s.lastSequence()) return; // the rest next round
        last = p.lastMessage();
        end = p.storeEnd();
      }
      if (s.lastSequence() != end) {
        report(store, "its local log ends at sequence " + s.lastSequence() + " but the replicated log at "
            + end + (last > 0 ? " (data written here outside the cluster, after the cluster's first frames?)" : ""));
        return;
      }
      PublishAck ack = js.publish(NatsMessage.builder().subject(subject(store))
          .headers(new Headers().put(MARKER, processId)).data(new byte[0]).build(),
          PublishOptions.builder().expectedStream(stream(store)).expectedLastSequence(last).build());
      expectedLast.put(store, ack.getSeqno());
      reported.remove(store);
      log.info("process {} synced store {} at sequence {} (stream message {}) and takes its writes", processId, store,
          s.lastSequence(), ack.getSeqno());
    } catch (JetStreamApiException e) {
      log.info("store {}: the replicated log moved while syncing ({}); trying again", store, e.getErrorDescription());
    } catch (IOException | RuntimeException e) {
      log.warn("store {}: cannot sync with its replicated log yet: {}", store, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void report(String store, String why) {
    if (!why.equals(reported.put(store, why))) {
      log.error("process {} holds the lease of store {} but does not write it: {}", processId, store, why);
    }
  }

  private void ensureStream(String store) {
    try {
      jsm.getStreamInfo(stream(store));
    } catch (JetStreamApiException missing) {
      try {
        jsm.addStream(StreamConfiguration.builder().name(stream(store)).subjects(subject(store))
            .storageType(StorageType.File).replicas(replicas).denyDelete(true).denyPurge(false)
            .duplicateWindow(Duration.ofMinutes(2)).build());
        log.info("made stream {} ({} replicas) for store {}", stream(store), replicas, store);
      } catch (JetStreamApiException | IOException e) {
        log.info("stream {} not made here ({}): another process made it", stream(store), e.getMessage());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read stream " + stream(store) + ": " + e.getMessage(), e);
    }
  }

  /**
   * For a move ({@link Moves}): waits up to {@code wait} until this process's follower of
   * {@code store} has taken in the stream up to its last message. True when it has (or the store is
   * not replicated: nothing to catch up).
   *
   * @throws ModuleException FAILED_PRECONDITION when the store is not open here or its follower stopped
   */
  boolean catchUp(String store, Duration wait) throws InterruptedException {
    if (!replicated(store)) return true;
    ReplicaStore s = stores.apply(store);
    if (js == null || s == null) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "process " + processId + " does not have store '"
          + store + "' open (is its module installed and started there?)");
    }
    Follower f = follower(store, s);
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      if (f.failure() != null) {
        throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "process " + processId
            + " cannot follow store '" + store + "': " + f.failure());
      }
      long last;
      try {
        last = jsm.getStreamInfo(stream(store)).getStreamState().getLastSequence();
      } catch (IOException | JetStreamApiException e) {
        throw new ModuleException(ModuleException.Code.UNAVAILABLE, "the replicated log of store '" + store
            + "' cannot be read: " + e.getMessage()).detail("retryAfterSeconds", "1");
      }
      if (f.applied() >= last) return true;
      if (System.nanoTime() - deadline >= 0) return false;
      Thread.sleep(5);
    }
  }

  /**
   * For a move: syncs a store whose lease this process has just been handed, waiting up to
   * {@code wait} for its follower; true once it takes the store's writes.
   */
  boolean syncNow(String store, Duration wait) {
    if (!replicated(store)) return leases.owns(store);
    ReplicaStore s = stores.apply(store);
    if (js == null || s == null || !leases.owns(store)) return false;
    sync(store, s, follower(store, s), wait.toNanos());
    return expectedLast.containsKey(store);
  }

  /** Stops writing (the leases are released next) and following. */
  void close() {
    expectedLast.clear();
    followers.values().forEach(Follower::stop);
    lagChecks.shutdownNow();
    snapshotter.shutdownNow();
    syncer.shutdownNow();
  }

  /** Starts a snapshot of a store this process writes, off the round's thread, unless one is running. */
  private void maybeSnapshot(String store, ReplicaStore s, Follower f) {
    if (snapshots == null || !snapshotOptions.enabled() || !snapshotting.add(store)) return;
    try {
      snapshotter.execute(() -> {
        try {
          snapshot(store, s, f);
        } finally {
          snapshotting.remove(store);
        }
      });
    } catch (RejectedExecutionException closed) {
      snapshotting.remove(store);
    }
  }

  /**
   * Writes the store's next snapshot when its follower took in enough since the newest one (by
   * messages or bytes, {@link SnapshotOptions}), then trims its stream below it. The snapshot ends
   * where the follower stands, a stream message and the store sequence its frames reach there,
   * which this process's log holds byte for byte. Blocking (the snapshot thread).
   */
  void snapshot(String store, ReplicaStore s, Follower f) {
    Snapshots sn = snapshots;
    SnapshotOptions o = snapshotOptions;
    try {
      Snapshots.Chunk prev = newestSnapshot.get(store);
      if (prev == null) {
        prev = Snapshots.newest(sn.chain(store));
        newestSnapshot.put(store, prev);
        bytesAtSnapshot.put(store, f.bytes());
        if (prev != Snapshots.Chunk.NONE) trim(sn, store, prev, o); // what an earlier owner could not trim
      }
      Follower.Position at = f.position();
      long bytes = f.bytes();
      if (at.message() <= prev.streamSeq() || at.storeSeq() <= prev.last()) return;
      long messages = at.message() - prev.streamSeq();
      long since = bytes - bytesAtSnapshot.getOrDefault(store, 0L);
      if (!(o.everyMessages() > 0 && messages >= o.everyMessages() || o.everyBytes() > 0 && since >= o.everyBytes())) {
        return;
      }
      if (!leases.owns(store) || !expectedLast.containsKey(store) || f.failure() != null) return;
      Snapshots.Chunk c = sn.write(store, s, prev, at.storeSeq(), at.message());
      newestSnapshot.put(store, c);
      bytesAtSnapshot.put(store, bytes);
      trim(sn, store, c, o);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      newestSnapshot.remove(store); // read the chain again next time
      log.warn("process {}: no snapshot of store {} this time: {}", processId, store, e.getMessage());
    }
  }

  private void trim(Snapshots sn, String store, Snapshots.Chunk newest, SnapshotOptions o)
      throws IOException, JetStreamApiException {
    try {
      sn.trim(store, newest.streamSeq(), o.keepMessages());
    } catch (JetStreamApiException e) {
      if (trimRefused.add(store)) {
        log.warn("stream {} is not trimmed: {} (a stream made before snapshots existed denies purges; it keeps every"
            + " frame)", stream(store), e.getErrorDescription());
      }
    }
  }
}
