package dev.hearth.ops.crash;

import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.change.ViewHandle;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Entry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The harness's store, opened through the real engine: what the child writes to and the verifier reads. */
final class LiveStore implements Observed, AutoCloseable {

  static final String STORE = "crash";

  private final Stores stores;
  private final HearthStore store;
  private final Map<String, Collection<String>> collections = new HashMap<>();
  private ViewHandle view;

  private LiveStore(Stores stores, HearthStore store) {
    this.stores = stores;
    this.store = store;
    for (String name : Workload.COLLECTIONS) {
      collections.put(name, store.collection(CollectionSpec.of(name, Codec.utf8())));
    }
    collections.put(CrashView.TOTALS.name(), store.collection(CrashView.TOTALS));
    collections.put(CrashView.LIVE.name(), store.collection(CrashView.LIVE));
  }

  /** Opens (and so recovers) the store; throws whatever the engine throws. */
  static LiveStore open(Path dataDir, MasterKey key, StoreOptions options) {
    Stores stores = Stores.open(dataDir, key, options);
    try {
      return new LiveStore(stores, stores.store(STORE));
    } catch (RuntimeException | Error e) {
      try {
        stores.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Starts maintaining the crash view (catching up from where it last checkpointed). */
  LiveStore registerView() {
    view = store.registerView(CrashView.on(store));
    return this;
  }

  HearthStore store() {
    return store;
  }

  Collection<String> collection(String name) {
    return collections.get(name);
  }

  @Override
  public String storeName() {
    return store.name();
  }

  @Override
  public long lastSequence() {
    return store.lastSequence();
  }

  @Override
  public List<ChangeEvent> readLog(long afterSequence, int limit) {
    return store.readLog(afterSequence, limit);
  }

  @Override
  public List<Entry<String>> scan(String collection, String fromKey, int limit) {
    return collections.get(collection).scan(fromKey, null, limit, false);
  }

  @Override
  public Optional<String> get(String collection, String key) {
    return collections.get(collection).get(key);
  }

  @Override
  public long awaitView(long sequence, Duration timeout) throws TimeoutException {
    try {
      view.awaitSequence(sequence).toCompletionStage().toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the view", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("awaitSequence(" + sequence + ") failed", e.getCause());
    }
    return view.sequence();
  }

  @Override
  public void close() {
    stores.close();
  }
}
