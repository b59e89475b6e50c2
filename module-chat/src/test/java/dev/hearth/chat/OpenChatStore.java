package dev.hearth.chat;

import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.kernel.store.Stores;
import java.nio.file.Path;

/**
 * The chat module's store opened on disk for a unit test: the kernel's {@link Stores} under {@code dir/data}
 * with a master key beside it (real files, real encryption), and the module's {@link ChatStore} over it.
 */
final class OpenChatStore implements AutoCloseable {

  static final String PROJECT = "0190a000-0000-7000-8000-000000000001";
  static final String CHANNEL = "0190a000-0000-7000-8000-0000000000c1";
  static final String ANN = "0190a000-0000-7000-8000-0000000000a1";

  final Stores stores;
  final HearthStore store;
  final ChatStore db;

  OpenChatStore(Path dir) {
    stores = Stores.open(dir.resolve("data"), MasterKey.loadOrCreate(dir.resolve("master.key")).key(), StoreOptions.defaults());
    store = stores.store("chat");
    db = new ChatStore(store);
  }

  @Override
  public void close() {
    stores.close();
  }
}
