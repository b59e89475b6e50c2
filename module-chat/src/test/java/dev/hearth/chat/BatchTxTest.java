package dev.hearth.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.chat.v1.Counter;
import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.change.ViewTx;
import dev.hearth.module.store.Collection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchTxTest {

  @TempDir Path tmp;

  /** Counts what reaches the view's transaction. */
  static final class Recording implements ViewTx {
    final Map<String, Object> values = new HashMap<>();
    final List<String> calls = new ArrayList<>();

    @Override
    @SuppressWarnings("unchecked")
    public <V> Optional<V> get(Collection<V> c, String key) {
      calls.add("get " + key);
      return Optional.ofNullable((V) values.get(key));
    }

    @Override
    public <V> void put(Collection<V> c, String key, V value) {
      calls.add("put " + key);
      values.put(key, value);
    }

    @Override
    public <V> void delete(Collection<V> c, String key) {
      calls.add("delete " + key);
      values.remove(key);
    }
  }

  @Test
  void aKeyWrittenManyTimesInABatch_isReadOnceAndWrittenOnce_withItsLastValue() {
    try (Stores stores = Stores.open(tmp.resolve("data"), MasterKey.loadOrCreate(tmp.resolve("master.key")).key(),
        StoreOptions.defaults())) {
      UnreadView view = new UnreadView(stores.store("chat"));
      Recording tx = new Recording();
      BatchTx batch = new BatchTx(tx);
      for (int i = 0; i < 3; i++) {
        long n = batch.get(view.counters, "c").map(Counter::getValue).orElse(0L) + 1;
        batch.put(view.counters, "c", Counter.newBuilder().setValue(n).build());
      }
      batch.put(view.ordinals, "gone", Counter.getDefaultInstance());
      batch.delete(view.ordinals, "gone");
      assertThat(batch.get(view.ordinals, "gone")).isEmpty();
      assertThat(tx.calls).containsExactly("get c");
      batch.flush();
      assertThat(tx.calls).containsExactlyInAnyOrder("get c", "put c", "delete gone");
      assertThat(tx.values.get("c")).isEqualTo(Counter.newBuilder().setValue(3).build());
    }
  }
}
