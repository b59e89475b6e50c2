package dev.hearth.federation.cdc;

import static dev.hearth.testkit.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.KeysetHandle;
import dev.hearth.federation.crypto.Envelopes;
import dev.hearth.federation.crypto.NodeKeys;
import dev.hearth.federation.crypto.PeerKeys;
import dev.hearth.federation.crypto.ScopeKeys;
import dev.hearth.federation.v1.CdcPayload;
import dev.hearth.federation.v1.Envelope;
import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Store;
import dev.hearth.testkit.nats.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.MessageInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change log as the outbox, against a real nats-server: a store's events of a shared project
 * reach the node's CDC stream sealed, once each, also across a crash of the publisher (restarted
 * from an older cursor) and across an outage of NATS; unscoped and unshared events never leave.
 */
@SuppressWarnings("try")
class CdcPublisherIT {

  static final String NODE = "node-a";
  static final JetStreamOptions JS = JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;
  Stores stores;
  Store store;
  Collection<String> notes;
  NodeKeys keys;
  KeysetHandle scopeKey;
  Path cursor;

  @BeforeEach
  void open() {
    stores = Stores.open(dir.resolve("data"), MasterKey.loadOrCreate(dir.resolve("master.key")).key(), StoreOptions.defaults());
    store = stores.store("notes");
    notes = store.collection(CollectionSpec.of("notes", Codec.utf8()));
    keys = NodeKeys.open(stores.vault()::loadOrCreateKeyset);
    scopeKey = ScopeKeys.generate();
    cursor = dir.resolve("outbox/notes.cursor");
  }

  @AfterEach
  void close() {
    stores.close();
  }

  CdcPublisher publisher(Connection nc) throws Exception {
    CdcPublisher.ensureStream(nc.jetStreamManagement(JS), NODE);
    return new CdcPublisher(NODE, store, nc.jetStream(JS), scope -> scope.equals("P") ? scopeKey : null, keys, cursor,
        16).start();
  }

  List<Long> write(String scope, int from, int to) {
    List<Long> seqs = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String key = scope + "-" + i;
      String text = "note " + i + " of " + scope;
      await(store.write("ann", scope, tx -> {
        tx.put(notes, key, text);
        return null;
      }));
      seqs.add(store.lastSequence());
    }
    return seqs;
  }

  /** origin seq → prev_scope_seq of each message read by {@link #streamContent}. */
  final Map<Long, Long> chains = new TreeMap<>();

  /** Each shared event names the shared event before it in its scope (0 for the first). */
  void assertChained(List<Long> shared) {
    for (int i = 0; i < shared.size(); i++) {
      assertThat(chains.get(shared.get(i))).as("prev of seq %d", shared.get(i)).isEqualTo(i == 0 ? 0L : shared.get(i - 1));
    }
  }

  /** Every event of the stream, opened as the peer would, by origin sequence; each must be there once. */
  Map<Long, String> streamContent(Connection nc) throws Exception {
    return streamContent(nc, false);
  }

  /**
   * @param repeats whether an event may be in two envelopes: after a restart from an older cursor the
   *     same events can be grouped differently (a replica skips what it applied)
   */
  Map<Long, String> streamContent(Connection nc, boolean repeats) throws Exception {
    JetStreamManagement jsm = nc.jetStreamManagement(JS);
    long count = jsm.getStreamInfo(CdcPublisher.streamName(NODE)).getStreamState().getMsgCount();
    PeerKeys origin = PeerKeys.parse(keys.publicKeys().signingJson(), keys.publicKeys().hpkeJson());
    Map<Long, String> out = new TreeMap<>();
    for (long s = 1; s <= count; s++) {
      MessageInfo m = jsm.getMessage(CdcPublisher.streamName(NODE), s);
      assertThat(m.getSubject()).isEqualTo("hearth.cdc.node-a.P.notes");
      var opened = Envelopes.open(Envelope.parseFrom(m.getData()), origin, Set.of("P"), sc -> scopeKey);
      var events = CdcPayload.parseFrom(opened.payload()).getEventsList();
      assertThat(opened.header().getFirstSeq()).isEqualTo(events.get(0).getSequence());
      assertThat(opened.header().getCount()).isEqualTo(events.size());
      long prev = opened.header().getPrevScopeSeq();
      for (var event : events) {
        Long earlierPrev = chains.put(event.getSequence(), prev);
        assertThat(earlierPrev == null || earlierPrev == prev).as("seq %d chained differently twice", event.getSequence()).isTrue();
        prev = event.getSequence();
        String value = event.getValue().toString(StandardCharsets.UTF_8);
        String previous = out.put(event.getSequence(), value);
        if (!repeats) assertThat(previous).as("seq %d published twice", event.getSequence()).isNull();
        else assertThat(previous == null || previous.equals(value)).isTrue();
      }
    }
    return out;
  }

  @Test
  void sharedEventsArePublishedSealedOnceEach_andNothingElseLeaves() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.builder(dir, "nats").start(); Connection nc = connect(nats)) {
      List<Long> shared = write("P", 0, 60);
      write("", 0, 20);
      write("Q", 0, 20);
      try (CdcPublisher p = publisher(nc)) {
        shared.addAll(write("P", 60, 100));
        awaitPublished(p, store.lastSequence());
      }
      Map<Long, String> content = streamContent(nc);
      assertThat(content.keySet()).containsExactlyElementsOf(shared);
      assertChained(shared);
      assertThat(content.get(shared.get(7))).isEqualTo("note 7 of P");
      assertThat(content.values()).noneMatch(v -> v.contains(" of Q") || v.endsWith(" of "));
    }
  }

  @Test
  void aPublisherRestartedFromAnOlderCursor_republishes_andTheStreamHoldsEveryEventChained() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.builder(dir, "nats").start(); Connection nc = connect(nats)) {
      List<Long> shared = write("P", 0, 50);
      try (CdcPublisher p = publisher(nc)) {
        awaitPublished(p, store.lastSequence());
      }
      // Restarted from its saved cursor: the next event still names the last one published (the
      // chain comes from the cursor file, nothing is replayed).
      shared.addAll(write("P", 50, 60));
      try (CdcPublisher p = publisher(nc)) {
        awaitPublished(p, store.lastSequence());
      }
      // As after a kill -9 between two cursor saves: the cursor on disk is behind what was acknowledged.
      Files.writeString(cursor, "{\"done\": 10, \"chain\": {\"P\": 10}}");
      shared.addAll(write("P", 60, 70));
      try (CdcPublisher p = publisher(nc)) {
        awaitPublished(p, store.lastSequence());
      }
      assertThat(streamContent(nc, true).keySet()).containsExactlyElementsOf(shared);
      assertChained(shared);
    }
  }

  @Test
  void underLoad_eventsShareEnvelopes_oneSignatureForMany() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.builder(dir, "nats").start(); Connection nc = connect(nats)) {
      List<Long> shared = write("P", 0, 300); // written before the publisher starts: it finds them all waiting
      try (CdcPublisher p = publisher(nc)) {
        awaitPublished(p, store.lastSequence());
      }
      assertThat(streamContent(nc).keySet()).containsExactlyElementsOf(shared);
      assertChained(shared);
      long messages = nc.jetStreamManagement(JS).getStreamInfo(CdcPublisher.streamName(NODE)).getStreamState().getMsgCount();
      assertThat(messages).isLessThan(shared.size() / 10);
    }
  }

  @Test
  void whileNatsIsDown_theLogWaits_andEverythingArrivesOnceWhenItIsBack() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.builder(dir, "nats").start(); Connection nc = connect(nats)) {
      List<Long> shared = write("P", 0, 20);
      try (CdcPublisher p = publisher(nc)) {
        awaitPublished(p, store.lastSequence());
        nats.kill();
        shared.addAll(write("P", 20, 60)); // writers never wait for federation
        assertThat(p.published()).isLessThan(store.lastSequence());
        nats.restart();
        awaitPublished(p, store.lastSequence());
      }
      assertThat(streamContent(nc).keySet()).containsExactlyElementsOf(shared);
    }
  }

  static void awaitPublished(CdcPublisher p, long sequence) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (p.published() < sequence) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("published up to " + p.published() + ", expected " + sequence);
      }
      Thread.sleep(20);
    }
  }

  static Connection connect(NatsServerProcess server) throws Exception {
    return Nats.connect(Options.builder().server(server.url()).maxReconnects(-1).reconnectWait(Duration.ofMillis(200))
        .connectionTimeout(Duration.ofSeconds(2)).build());
  }
}
