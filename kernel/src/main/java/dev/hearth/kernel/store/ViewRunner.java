package dev.hearth.kernel.store;

import dev.hearth.module.ModuleException;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.change.View;
import dev.hearth.module.change.ViewHandle;
import dev.hearth.module.change.ViewTx;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mapdb.BTreeMap;

/**
 * Folds events into one view on the applier thread. Its position is saved in MapDB's meta map with
 * each batch, so it is committed in the same checkpoint as the view's data: after a crash both
 * roll back together and the replayed events are folded exactly once.
 */
final class ViewRunner implements ViewHandle, ViewTx {

  private record Waiter(long seq, Promise<Void> promise, Context context) {}

  private final Engine engine;
  private final View view;
  private final String prefix;
  private volatile long seq;
  private final List<Waiter> waiters = new ArrayList<>();

  ViewRunner(Engine engine, View view) {
    this.engine = engine;
    this.view = view;
    this.prefix = "view." + view.name() + ".";
    for (CollectionSpec<?> spec : view.collections()) {
      if (!spec.name().startsWith(prefix)) {
        throw ModuleException.invalidArgument("collection " + spec.name() + " of view " + view.name()
            + " must be named " + prefix + "<something>");
      }
    }
  }

  private String seqKey() {
    return prefix + "seq";
  }

  private String versionKey() {
    return prefix + "version";
  }

  /** Applier thread: resets the view if its version changed, then folds the log up to the applied sequence. */
  void catchUp(long upTo) {
    engine.mapLock.writeLock().lock();
    try {
      catchUpLocked(upTo);
    } finally {
      engine.mapLock.writeLock().unlock();
    }
    signal();
  }

  private void catchUpLocked(long upTo) {
    StateDb state = engine.state;
    Long version = state.meta(versionKey());
    if (version == null || version != view.version()) {
      for (String c : state.collections()) {
        if (c.startsWith(prefix)) {
          state.data(c, false).clear();
        }
      }
      state.putMeta(versionKey(), view.version());
      seq = 0;
    } else {
      Long s = state.meta(seqKey());
      seq = s == null ? 0 : s;
    }
    while (seq < upTo) {
      List<ChangeEvent> events = engine.readLog(seq, 4096);
      if (events.isEmpty()) {
        break;
      }
      List<ChangeEvent> upToEnd = new ArrayList<>(events.size());
      for (ChangeEvent e : events) {
        if (e.sequence() <= upTo) {
          upToEnd.add(e);
        }
      }
      if (upToEnd.isEmpty()) {
        break;
      }
      applyAll(upToEnd);
    }
    saveProgress();
  }

  /**
   * Folds the events after the view's position, together ({@link View#applyAll}): a view that groups
   * its writes does so per applied batch. Replica cursors (fed.*) are the store's own bookkeeping, not
   * module data: no view sees them.
   */
  void applyAll(List<ChangeEvent> events) {
    List<ChangeEvent> fresh = new ArrayList<>(events.size());
    for (ChangeEvent e : events) {
      if (e.sequence() > seq && !e.collection().startsWith(HearthStore.FED_PREFIX)) {
        fresh.add(e);
      }
    }
    long last = events.get(events.size() - 1).sequence();
    if (!fresh.isEmpty()) {
      view.applyAll(fresh, this);
    }
    seq = Math.max(seq, last);
  }

  void saveProgress() {
    engine.state.putMeta(seqKey(), seq);
  }

  synchronized void signal() {
    waiters.removeIf(w -> {
      if (w.seq <= seq) {
        if (w.context != null) {
          w.context.runOnContext(v -> w.promise.complete());
        } else {
          w.promise.complete();
        }
        return true;
      }
      return false;
    });
  }

  @Override
  public String name() {
    return view.name();
  }

  @Override
  public long sequence() {
    return seq;
  }

  @Override
  public synchronized Future<Void> awaitSequence(long target) {
    if (seq >= target) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    waiters.add(new Waiter(target, p, Vertx.currentContext()));
    return p.future();
  }

  private <V> CollectionImpl<V> own(Collection<V> c) {
    CollectionImpl<V> impl = CollectionImpl.cast(c, engine);
    if (!impl.name().startsWith(prefix)) {
      throw ModuleException.failedPrecondition("view " + view.name() + " may not write " + impl.name());
    }
    return impl;
  }

  @Override
  public <V> Optional<V> get(Collection<V> collection, String key) {
    CollectionImpl<V> c = own(collection);
    BTreeMap<String, byte[]> m = engine.data(c.name());
    byte[] stored = m == null ? null : m.get(key);
    return stored == null ? Optional.empty() : Optional.of(c.decode(engine.open(c.name(), key, stored)));
  }

  @Override
  public <V> void put(Collection<V> collection, String key, V value) {
    CollectionImpl<V> c = own(collection);
    byte[] plain = c.spec().codec().encode(value);
    Applying.apply(engine.state, c.name(), key, new Pending(seq, engine.seal(c.name(), key, plain, value, ""), plain));
  }

  @Override
  public <V> void delete(Collection<V> collection, String key) {
    CollectionImpl<V> c = own(collection);
    Applying.apply(engine.state, c.name(), key, new Pending(seq, null, null));
  }
}
