package dev.hearth.kernel.store;

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
import java.util.List;
import java.util.function.Function;

/** (skeleton) The MapDB + Tink + change-log store engine. */
public final class HearthStore implements Store, AutoCloseable {

  @Override
  public String name() {
    throw new UnsupportedOperationException();
  }

  @Override
  public <V> Collection<V> collection(CollectionSpec<V> spec) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <T> Future<T> write(String actor, Function<Tx, T> fn) {
    throw new UnsupportedOperationException();
  }

  @Override
  public long lastSequence() {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<ChangeEvent> readLog(long afterSequence, int limit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Subscription subscribe(long afterSequence, ChangeListener listener) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ViewHandle registerView(View view) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
