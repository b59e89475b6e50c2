package dev.hearth.kernel.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.realtime.TopicEvent;
import dev.hearth.module.realtime.Topics;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Store;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A feed over a real store: one client's failure ends that client's stream only. */
class TopicFeedTest {

  @TempDir Path dir;

  /** Collects frames; a "broken" one throws as a client reset mid-write does. */
  static final class Sink implements ClientSink {
    final List<Long> got = new CopyOnWriteArrayList<>();
    final List<String> ended = new CopyOnWriteArrayList<>();
    final boolean broken;

    Sink(boolean broken) {
      this.broken = broken;
    }

    @Override
    public boolean send(TopicStream stream, Frame frame) {
      if (broken) throw new IllegalStateException("stream reset");
      got.add(frame.sequence());
      return true;
    }

    @Override
    public boolean awaitRoom(BooleanSupplier cancelled) {
      return true;
    }

    @Override
    public void ended(TopicStream stream, String code, String message) {
      ended.add(code);
    }
  }

  @Test
  void aClientThatThrows_endsOnlyItsOwnStream_theFeedGoesOn() throws Exception {
    Stores stores = Stores.open(dir.resolve("data"), MasterKey.loadOrCreate(dir.resolve("master.key")).key(),
        StoreOptions.defaults());
    try {
      Store store = stores.store("m");
      Collection<String> c = store.collection(CollectionSpec.of("c", Codec.utf8()));
      Topics topics = new Topics() {
        public void authorize(Caller caller, String topic) {}

        public List<TopicEvent> route(ChangeEvent e) {
          return List.of(new TopicEvent("m/all", "changed", new JsonObject().put("key", e.key())));
        }
      };
      TopicFeed feed = new TopicFeed("m", store, topics);
      Sink good = new Sink(false);
      Sink bad = new Sink(true);
      TopicStream goodStream = new TopicStream("m/all", good, store.lastSequence(), false, 100);
      TopicStream badStream = new TopicStream("m/all", bad, store.lastSequence(), false, 100);
      badStream.onEnd(() -> feed.detach(badStream));
      feed.attach(badStream);
      feed.attach(goodStream);
      for (int i = 0; i < 20; i++) {
        String k = "k" + i;
        store.write("t", tx -> {
          tx.put(c, k, "v");
          return null;
        }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      long deadline = System.currentTimeMillis() + 10_000;
      while (good.got.size() < 20 && System.currentTimeMillis() < deadline) Thread.sleep(10);
      assertThat(good.got).hasSize(20);
      assertThat(bad.ended).containsExactly("UNAVAILABLE");
      assertThat(feed.all()).containsExactly(goodStream);
      feed.close();
    } finally {
      stores.close();
    }
  }
}
