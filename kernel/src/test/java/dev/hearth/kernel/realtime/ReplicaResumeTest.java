package dev.hearth.kernel.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.kernel.config.RealtimeOptions;
import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.realtime.TopicEvent;
import dev.hearth.module.realtime.Topics;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Store;
import dev.hearth.testkit.Await;
import dev.hearth.testkit.Waits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that resumes on a replica (a cluster front) from a sequence it got from a process further
 * along: the replica waits until it holds that sequence and then passes on only what comes after,
 * while a store this process writes refuses such a resume point as before.
 */
class ReplicaResumeTest {

  @TempDir Path dir;
  private Vertx vertx;
  private Stores stores;
  private Store store;
  private Collection<String> c;

  private static final Topics ALL = new Topics() {
    public void authorize(Caller caller, String topic) {}

    public List<TopicEvent> route(ChangeEvent e) {
      return List.of(new TopicEvent("m/all", "changed", new JsonObject().put("key", e.key())));
    }
  };

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    stores = Stores.open(dir.resolve("data"), MasterKey.loadOrCreate(dir.resolve("master.key")).key(),
        StoreOptions.defaults());
    store = stores.store("m");
    c = store.collection(CollectionSpec.of("c", Codec.utf8()));
  }

  @AfterEach
  void close() {
    stores.close();
    Await.await(vertx.close());
  }

  @Test
  void aResumeAheadOfAReplica_waitsForIt_thenSendsOnlyWhatCameAfter() throws Exception {
    write(3);
    RealtimeHub hub = new RealtimeHub(vertx, RealtimeOptions.defaults(), name -> name.equals("m"));
    hub.forModule("m", store).topics(ALL);
    long from = store.lastSequence() + 2; // the client saw two events this process has not applied yet
    TopicFeedTest.Sink sink = new TopicFeedTest.Sink(false);
    RealtimeHub.Subscribed sub = hub.subscribe(Caller.ANONYMOUS, "m/all", from, sink);
    Future<Void> started = sub.start();
    assertThat(started.isComplete()).as("waits for the replica to reach seq %s", from).isFalse();

    write(4); // the replica catches up with the two the client has, then two more
    Await.await(started);
    Waits.until("two events after seq " + from, Duration.ofSeconds(10), () -> sink.got.size() >= 2);
    assertThat(sink.got).containsExactly(from + 1, from + 2);
    assertThat(sink.ended).isEmpty();
  }

  @Test
  void aResumeAheadOfAStoreThisProcessWrites_isRefused() throws Exception {
    write(3);
    RealtimeHub hub = new RealtimeHub(vertx, RealtimeOptions.defaults());
    hub.forModule("m", store).topics(ALL);
    long from = store.lastSequence() + 2;
    assertThatThrownBy(() -> hub.subscribe(Caller.ANONYMOUS, "m/all", from, new TopicFeedTest.Sink(false)))
        .isInstanceOfSatisfying(ModuleException.class, e -> {
          assertThat(e.code()).isEqualTo(ModuleException.Code.FAILED_PRECONDITION);
          assertThat(e.getMessage()).contains("from seq " + from);
        });
  }

  private void write(int n) throws Exception {
    for (int i = 0; i < n; i++) {
      String k = "k" + store.lastSequence();
      store.write("t", tx -> {
        tx.put(c, k, "v");
        return null;
      }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
