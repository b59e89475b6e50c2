package dev.hearth.kernel.store;

import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.crypto.KeyVault;
import dev.hearth.kernel.crypto.StoreKeys;
import dev.hearth.kernel.spi.LogShipper;
import dev.hearth.kernel.spi.ReplicaChange;
import dev.hearth.kernel.spi.ReplicaOutcome;
import dev.hearth.kernel.spi.ReplicaStore;
import dev.hearth.kernel.spi.ScopeContent;
import dev.hearth.kernel.spi.ScopeDigest;
import dev.hearth.kernel.spi.WriteGate;
import dev.hearth.module.ModuleException;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.change.ChangeListener;
import dev.hearth.module.change.Subscription;
import dev.hearth.module.change.View;
import dev.hearth.module.change.ViewHandle;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Store;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store engine: a change log that is the write-ahead log, MapDB maps as checkpointed state,
 * Tink encryption of everything stored. See docs/architecture.md, "Store engine", for the design
 * and {@link Store} for the contract.
 */
public final class HearthStore implements ReplicaStore, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HearthStore.class);
  static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9_:-]{1,128}");
  /** Collections the store keeps for federation (replica cursors); modules may not register or write them. */
  static final String FED_PREFIX = "fed.";

  private final Path dir;
  private final Engine engine;
  private final Applier applier;
  private final Writer writer;
  private final Reencryptor reencryptor;
  private final RecoveryReport recovery;
  private final Map<String, CollectionImpl<?>> collections = new ConcurrentHashMap<>();
  private final Map<String, ViewRunner> views = new ConcurrentHashMap<>();
  private final List<SubscriptionImpl> subscriptions = new CopyOnWriteArrayList<>();
  private final Replicas replicas;
  private volatile Predicate<String> replicaScopes = scope -> false;
  private volatile boolean closed;

  private HearthStore(Path dir, Engine engine, RecoveryReport recovery) {
    this.dir = dir;
    this.engine = engine;
    this.recovery = recovery;
    this.applier = new Applier(engine);
    this.reencryptor = new Reencryptor(engine);
    applier.reencryptor = reencryptor;
    this.writer = new Writer(engine, applier);
    this.replicas = new Replicas(engine, writer, collections);
    applier.start();
    writer.start();
  }

  /**
   * Opens (or creates) the store in {@code dir}: verifies the change log and cuts a torn tail,
   * opens MapDB and replays the log after its last checkpoint, or rebuilds MapDB from the log when
   * it cannot be trusted. Blocking.
   */
  public static HearthStore open(Path dir, String name, KeyVault vault, StoreOptions options) {
    long t0 = System.nanoTime();
    StoreKeys keys = vault.forStore(name);
    try {
      ChangeLog log = ChangeLog.open(dir.resolve("log"), name, keys, options.segmentBytes());
      Engine engine = new Engine(name, keys, options, log, null);
      long[] replayed = new long[1];
      String[] reason = new String[1];
      Recovery.openState(engine, dir.resolve("state.db"), replayed, reason);
      RecoveryReport report = new RecoveryReport(reason[0] != null, reason[0], replayed[0],
          log.truncatedBytes(), (System.nanoTime() - t0) / 1_000_000);
      LOG.info("store {} open at sequence {} ({} ms, replayed {}, rebuilt {})", name, log.lastSequence(),
          report.millis(), report.replayedEvents(), report.rebuilt());
      return new HearthStore(dir, engine, report);
    } catch (IOException e) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "cannot open store '" + name + "': " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return engine.name;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V> Collection<V> collection(CollectionSpec<V> spec) {
    if (spec.name().startsWith(FED_PREFIX)) {
      throw ModuleException.invalidArgument("collection " + spec.name() + ": names starting with " + FED_PREFIX
          + " are reserved for the store's federation bookkeeping");
    }
    engine.specs.put(spec.name(), spec);
    CollectionImpl<V> c = (CollectionImpl<V>) collections.computeIfAbsent(spec.name(), n -> new CollectionImpl<>(engine, spec));
    c.respec(spec);
    return c;
  }

  @Override
  public <T> Future<T> write(String actor, String scope, Function<Tx, T> fn) {
    if (actor == null || actor.isEmpty()) {
      return Future.failedFuture(ModuleException.invalidArgument("a write needs an actor"));
    }
    if (scope == null || !(scope.isEmpty() || SCOPE.matcher(scope).matches())) {
      return Future.failedFuture(ModuleException.invalidArgument("a write's scope must be \"\" or a project id "
          + "(" + SCOPE.pattern() + ")"));
    }
    if (!scope.isEmpty() && replicaScopes.test(scope)) {
      return Future.failedFuture(ModuleException.failedPrecondition("project " + scope
          + " is replicated from another node; write through its owner"));
    }
    ModuleException refused = writer.gate.refusal(engine.name);
    if (refused != null) return Future.failedFuture(refused);
    return writer.submit(actor, scope, fn);
  }

  /**
   * Applies changes replicated from another node's store, exactly once and in order per chain
   * (docs/design/federation.md §5). Runs as one transaction on the writer thread with actor
   * {@code "fed:" + origin} and scope {@code scope}, so the change log, views and subscriptions see
   * ordinary events. It reads the chain's cursor (0 when none) from the internal collection
   * {@code fed.applied}; then:
   * <ul>
   *   <li>{@code firstSeq <= cursor}: {@link ReplicaOutcome#DUPLICATE}, nothing written;
   *   <li>{@code prevSeq <= cursor}: writes every change and sets the cursor to {@code lastSeq} in
   *       the same transaction: {@link ReplicaOutcome#APPLIED};
   *   <li>otherwise {@link ReplicaOutcome#OUT_OF_ORDER}, nothing written.
   * </ul>
   * A put's value is decoded with the registered collection's codec (a value it cannot decode fails
   * with INVALID_ARGUMENT) and its blind-index tokens are computed with this store's keys; the
   * received bytes are stored as they are. Local writes in replica scopes ({@link #replicaScopes})
   * do not affect this path.
   *
   * @param origin the owner node's id
   * @param scope the project id the changes belong to (never {@code ""})
   * @param chain the cursor's name, e.g. {@code <origin>/<store>/<scope>}
   * @param firstSeq the origin sequence of the transaction's first change
   * @param prevSeq the origin sequence of the chain's previous transaction (0 for the first)
   * @param lastSeq the origin sequence of its last change; the cursor moves here
   * @return a failed future with FAILED_PRECONDITION, nothing written, when a change names a
   *     collection not registered in this store, a {@code view.} or {@code fed.} collection, or a key
   *     that exists with another stored scope (including a local unscoped key); INVALID_ARGUMENT for
   *     malformed arguments or values
   */
  public Future<ReplicaOutcome> applyReplica(String origin, String scope, String chain, long firstSeq, long prevSeq,
      long lastSeq, List<ReplicaChange> changes) {
    return replicas.apply(origin, scope, chain, firstSeq, prevSeq, lastSeq, changes);
  }

  /**
   * Appends a frame the store's owner wrote in another process of the cluster (docs/cluster.md),
   * exactly once by sequence; never gated, since this is how a standby follows the owner.
   */
  @Override
  public Future<ReplicaOutcome> appendFrame(byte[] frame) {
    if (frame == null) {
      return Future.failedFuture(ModuleException.invalidArgument("a replicated frame must not be null"));
    }
    return writer.submitFrame(frame);
  }

  /**
   * The durable frames after {@code afterSeq}, read from the log's files (frames are only appended,
   * and the end is the durable sequence, so a frame being written is never handed out).
   */
  @Override
  public void frames(long afterSeq, Predicate<byte[]> each) {
    ensureOpen();
    Path logDir = dir.resolve("log");
    List<LogFiles.Frame> frames = new ArrayList<>();
    try {
      LogFiles.frames(logDir, afterSeq, lastSequence(), frames::add);
      if (!frames.isEmpty() && frames.get(0).firstSeq() != afterSeq + 1) {
        throw frames.get(0).firstSeq() > afterSeq + 1
            ? new ModuleException(ModuleException.Code.NOT_FOUND, "change log of store '" + name()
                + "' no longer holds sequence " + (afterSeq + 1) + " (it starts at " + frames.get(0).firstSeq() + ")")
            : ModuleException.failedPrecondition("sequence " + afterSeq + " is not the end of a frame of store '"
                + name() + "'s change log");
      }
      for (LogFiles.Frame f : frames) {
        if (!each.test(LogFiles.read(f))) return;
      }
    } catch (IOException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "cannot read the change log of store '" + name()
          + "': " + e.getMessage(), e);
    }
  }

  /** The chain's cursor: the origin sequence last applied by {@link #applyReplica}, 0 when none. */
  public long replicaCursor(String chain) {
    return replicas.cursor(chain);
  }

  /**
   * Snapshot transfer: writes puts and deletes in {@code scope} as one transaction with actor
   * {@code "fed:" + origin}, with the same checks as {@link #applyReplica}, without a cursor.
   */
  public Future<Void> applySnapshot(String origin, String scope, List<ReplicaChange> changes) {
    return replicas.snapshot(origin, scope, changes);
  }

  /** Sets a chain's cursor (after a snapshot), in its own transaction (actor {@code system}, unscoped). */
  public Future<Void> setReplicaCursor(String chain, long seq) {
    return replicas.setCursor(chain, seq);
  }

  /**
   * Makes local writes in replica scopes fail: {@link #write} refuses a scope for which
   * {@code isReplica} is true with FAILED_PRECONDITION. Replica writes ({@link #applyReplica},
   * {@link #applySnapshot}) are not affected. Default: no scope is a replica.
   */
  public void replicaScopes(Predicate<String> isReplica) {
    this.replicaScopes = Objects.requireNonNull(isReplica, "isReplica");
  }

  /**
   * Every entry whose stored scope is {@code scope}, except {@code view.*} and {@code fed.*}
   * collections, sorted by (collection, key), with plain (codec-encoded) values. Every change with
   * a sequence at or before {@link ScopeContent#afterSeq()} is reflected; later ones may be too (a
   * fuzzy read, not a cut). Blocking: reads every collection (there is no scope index yet).
   */
  public ScopeContent scopeContent(String scope) {
    ensureOpen();
    return ScopeScan.content(engine, Objects.requireNonNull(scope, "scope"));
  }

  /**
   * A digest of {@link #scopeContent}: lower-case hex SHA-256 over, per entry in order, u32 length |
   * collection UTF-8 | u32 length | key UTF-8 | SHA-256(value); with the entry count and
   * {@code afterSeq} (which is not hashed, so two nodes holding the same entries agree). Blocking.
   */
  public ScopeDigest digest(String scope) {
    return ScopeScan.digest(scopeContent(scope));
  }

  @Override
  public long lastSequence() {
    return engine.log.lastSequence();
  }

  /**
   * The newest sequence readers can see: moved by the writer after a batch is visible and before it
   * is acknowledged (the log's {@link #lastSequence} can be a moment ahead of it). {@link ReadCache}
   * stamps its entries with it.
   */
  public long visibleSequence() {
    return engine.visibleSeq;
  }

  @Override
  public List<ChangeEvent> readLog(long afterSequence, int limit) {
    if (limit <= 0) {
      throw ModuleException.invalidArgument("limit must be positive, was " + limit);
    }
    return engine.readLog(Math.max(0, afterSequence), limit);
  }

  @Override
  public Subscription subscribe(long afterSequence, ChangeListener listener) {
    ensureOpen();
    SubscriptionImpl s = new SubscriptionImpl(engine, Math.max(0, afterSequence), listener);
    subscriptions.add(s);
    s.start();
    return s;
  }

  @Override
  public ViewHandle registerView(View view) {
    ensureOpen();
    for (CollectionSpec<?> spec : view.collections()) {
      collection(spec);
    }
    ViewRunner runner = new ViewRunner(engine, view);
    if (views.putIfAbsent(view.name(), runner) != null) {
      throw new ModuleException(ModuleException.Code.ALREADY_EXISTS, "view " + view.name() + " is already registered");
    }
    applier.submit(() -> {
      runner.catchUp(applier.appliedSeq());
      applier.views.add(runner);
    });
    return runner;
  }

  /** Which keys protect how many stored values. Blocking: reads every value's key id. */
  public KeyStatus keyStatus() {
    Map<Integer, Long> counts = new HashMap<>();
    for (int id : engine.keys.keyIds()) {
      counts.put(id, 0L);
    }
    StateDb state = engine.state;
    for (String coll : state.collections()) {
      engine.mapLock.readLock().lock();
      try {
        for (byte[] v : state.data(coll, false).values()) {
          counts.merge(StoreKeys.keyIdOf(StoredEntry.decode(v).ciphertext()), 1L, Long::sum);
        }
      } finally {
        engine.mapLock.readLock().unlock();
      }
    }
    return new KeyStatus(engine.name, engine.keys.primaryKeyId(), counts, reencryptor.active());
  }

  /** Adds a new primary key (persisted first) and starts re-encrypting older values in the background. */
  public Future<KeyStatus> rotateKeys() {
    ensureOpen();
    Promise<KeyStatus> p = Promise.promise();
    applier.submit(() -> {
      try {
        engine.keys.rotate();
        reencryptor.start();
        p.complete(new KeyStatus(engine.name, engine.keys.primaryKeyId(), Map.of(), true));
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    return p.future();
  }

  /** What opening this store had to do. */
  public RecoveryReport recoveryReport() {
    return recovery;
  }

  /** Figures for /ready, metrics and benchmarks. */
  public JsonObject stats() {
    return new JsonObject().put("name", engine.name).put("lastSequence", lastSequence())
        .put("appliedSequence", applier.appliedSeq()).put("unapplied", engine.overlay.size())
        .put("checkpoints", applier.checkpoints()).put("maxCheckpointMillis", applier.maxCheckpointMillis())
        .put("copies", applier.copies()).put("maxCopyMillis", applier.maxCopyMillis())
        .put("reencrypting", reencryptor.active()).put("backpressure", applier.backpressure())
        .put("recovery", recovery.toJson()).put("writing", writer.broken() == null);
  }

  /** Who is told about each group commit (metrics); {@link CommitListener#NONE} by default. */
  public void commitListener(CommitListener listener) {
    writer.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Who is told when each write is submitted and made durable (tracing); {@link WriteTracer#NONE} by default. */
  /**
   * Sets who decides whether this store may be written now ({@link WriteGate}); asked when a write
   * is submitted and again before each group commit is appended. Default {@link WriteGate#OPEN}.
   */
  public void writeGate(WriteGate gate) {
    writer.gate = Objects.requireNonNull(gate, "gate");
  }

  /**
   * Why a write submitted now would be refused by the {@link WriteGate} (a cluster's standby: another
   * process holds the store's lease), or null when this process may write the store.
   */
  public ModuleException writeRefusal() {
    return writer.gate.refusal(engine.name);
  }

  /**
   * Whether other processes may write this store too (a cluster set a {@link WriteGate}): then
   * what this process keeps about the store's data beside it (the JWT keys) goes into the store.
   */
  public boolean shared() {
    return writer.gate != WriteGate.OPEN;
  }

  public void logShipper(LogShipper shipper) {
    writer.shipper = Objects.requireNonNull(shipper, "shipper");
  }

  public void writeTracer(WriteTracer tracer) {
    writer.tracer = Objects.requireNonNull(tracer, "tracer");
  }

  /** Each registered view's name and the last sequence it has folded in (for its lag behind {@link #lastSequence}). */
  public Map<String, Long> viewSequences() {
    Map<String, Long> out = new TreeMap<>();
    views.forEach((name, runner) -> out.put(name, runner.sequence()));
    return out;
  }

  /**
   * Bytes on disk in the store's directory: the MapDB state file (and its WAL), the change-log
   * segments (preallocated, so they count their full size) and any damaged copies recovery moved
   * aside. Blocking: lists the directory. Files that vanish meanwhile count as nothing.
   */
  public long diskBytes() {
    long[] total = new long[1];
    try {
      java.nio.file.Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) total[0] += attrs.size();
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      LOG.debug("store {}: cannot size {}: {}", engine.name, dir, e.toString());
    }
    return total[0];
  }

  /** Completes once MapDB has applied everything durable so far and taken a checkpoint (tests, backups). */
  public Future<Void> checkpoint() {
    Promise<Void> p = Promise.promise();
    applier.submit(() -> {
      applier.checkpoint();
      p.complete();
    });
    return p.future();
  }

  /** For tests in this package: the engine's parts. */
  Engine engine() {
    return engine;
  }

  /** For tests in this package: runs {@code task} on the applier thread, after what is queued before it. */
  void onApplier(Runnable task) {
    applier.submit(task);
  }

  private void ensureOpen() {
    if (closed) {
      throw Engine.closed(engine.name);
    }
  }

  /** Finishes queued writes, applies them, takes a last checkpoint and closes the files. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.close();
      applier.close();
      engine.feed.close();
      for (SubscriptionImpl s : subscriptions) {
        s.close();
      }
      if (applier.failed()) {
        engine.state.abandon();
      } else {
        engine.state.close();
      }
      engine.log.close();
      LOG.info("store {} closed cleanly at sequence {}", engine.name, lastSequence());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.warn("store {}: error while closing the change log", engine.name, e);
    }
  }
}
