package dev.hearth.ops.bench;

import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Entry;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * (c) The Hearth store (default options unless {@code --hearth-options} says otherwise), used the way a
 * module uses it: each write is a transaction whose future completes once it is durable; the engine
 * encrypts and group-commits.
 */
final class HearthContender implements Contender {

  /** Puts per transaction while prefilling; the prefill keeps all its transactions in flight. */
  private static final int PREFILL_TX_PUTS = 100;
  /** A prefill batch not durable after this long is reported as a stall rather than waited on forever. */
  private static final long PREFILL_TIMEOUT_S = 300;

  private final StoreOptions options;
  private Stores stores;
  private HearthStore store;
  private Collection<byte[]> items;

  HearthContender(StoreOptions options) {
    this.options = options;
  }

  @Override
  public String name() {
    return "hearth";
  }

  @Override
  public void open(Path dir) {
    MasterKey key = MasterKey.loadOrCreate(dir.resolve("master.key")).key();
    stores = Stores.open(dir.resolve("data"), key, options);
    store = stores.store("bench");
    items = store.collection(CollectionSpec.of("items", Codec.bytes()));
  }

  @Override
  public void putBatch(List<Workload.Record> records) throws Exception {
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (int from = 0; from < records.size(); from += PREFILL_TX_PUTS) {
      List<Workload.Record> tx = records.subList(from, Math.min(records.size(), from + PREFILL_TX_PUTS));
      pending.add(await(store.<Void>write("bench", t -> {
        for (Workload.Record r : tx) {
          t.put(items, r.key(), r.value());
        }
        return null;
      })));
    }
    try {
      CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).get(PREFILL_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      long done = pending.stream().filter(CompletableFuture::isDone).count();
      throw new IllegalStateException("prefill stalled: " + done + " of " + pending.size()
          + " transactions durable after " + PREFILL_TIMEOUT_S + " s", e);
    }
  }

  @Override
  public void put(String key, byte[] value) {
    await(store.<Void>write("bench", tx -> {
      tx.put(items, key, value);
      return null;
    })).join();
  }

  private static CompletableFuture<Void> await(Future<Void> f) {
    return f.toCompletionStage().toCompletableFuture();
  }

  @Override
  public byte[] get(String key) {
    return items.get(key).orElse(null);
  }

  @Override
  public int scanNewest50() {
    List<Entry<byte[]>> newest = items.scan(null, null, 50, true);
    return newest.size();
  }

  @Override
  public void close() {
    if (stores != null) {
      stores.close();
    }
  }
}
