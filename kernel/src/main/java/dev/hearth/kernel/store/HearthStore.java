package dev.hearth.kernel.store;

import dev.hearth.kernel.crypto.KeyVault;
import dev.hearth.kernel.crypto.StoreKeys;
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
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store engine: a change log that is the write-ahead log, MapDB maps as checkpointed state,
 * Tink encryption of everything stored. See docs/architecture.md, "Store engine", for the design
 * and {@link Store} for the contract.
 */
public final class HearthStore implements Store, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HearthStore.class);
  private static final java.util.regex.Pattern SCOPE = java.util.regex.Pattern.compile("[A-Za-z0-9_:-]{1,128}");

  private final Engine engine;
  private final Applier applier;
  private final Writer writer;
  private final Reencryptor reencryptor;
  private final RecoveryReport recovery;
  private final Map<String, CollectionImpl<?>> collections = new ConcurrentHashMap<>();
  private final Map<String, ViewRunner> views = new ConcurrentHashMap<>();
  private final List<SubscriptionImpl> subscriptions = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private HearthStore(Engine engine, RecoveryReport recovery) {
    this.engine = engine;
    this.recovery = recovery;
    this.applier = new Applier(engine);
    this.reencryptor = new Reencryptor(engine);
    applier.reencryptor = reencryptor;
    this.writer = new Writer(engine, applier);
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
      ChangeLog log = ChangeLog.open(dir.resolve("log"), name, keys, options.getSegmentBytes());
      Engine engine = new Engine(name, keys, options, log, null);
      long[] replayed = new long[1];
      String[] reason = new String[1];
      Recovery.openState(engine, dir.resolve("state.db"), replayed, reason);
      RecoveryReport report = new RecoveryReport(reason[0] != null, reason[0], replayed[0],
          log.truncatedBytes(), (System.nanoTime() - t0) / 1_000_000);
      LOG.info("store {} open at sequence {} ({} ms, replayed {}, rebuilt {})", name, log.lastSequence(),
          report.millis(), report.replayedEvents(), report.rebuilt());
      return new HearthStore(engine, report);
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
    return writer.submit(actor, scope, fn);
  }

  @Override
  public long lastSequence() {
    return engine.log.lastSequence();
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
        .put("reencrypting", reencryptor.active()).put("backpressure", applier.backpressure())
        .put("recovery", recovery.toJson());
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
