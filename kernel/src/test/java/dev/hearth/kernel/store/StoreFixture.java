package dev.hearth.kernel.store;

import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.crypto.MasterKey;
import io.vertx.core.Future;
import java.nio.file.Path;

/** Opens and reopens the stores of a temporary data directory. */
final class StoreFixture implements AutoCloseable {

  final Path dir;
  final MasterKey key;
  final StoreOptions options;
  Stores stores;

  StoreFixture(Path dir) {
    this(dir, StoreOptions.defaults());
  }

  StoreFixture(Path dir, StoreOptions options) {
    this.dir = dir;
    this.options = options;
    this.key = MasterKey.loadOrCreate(dir.resolve("master.key")).key();
    this.stores = Stores.open(dir.resolve("data"), key, options);
  }

  HearthStore store() {
    return stores.store("test");
  }

  HearthStore reopen() {
    stores.close();
    stores = Stores.open(dir.resolve("data"), key, options);
    return store();
  }

  static <T> T await(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().join();
  }

  @Override
  public void close() {
    stores.close();
  }
}
