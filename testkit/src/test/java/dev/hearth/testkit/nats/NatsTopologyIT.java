package dev.hearth.testkit.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NATS test kit against the real nats-server: JetStream dedupe on one server, a durable
 * consumer read across leaf-linked JetStream domains (as a peer org reads an owner's stream), and
 * that consumer resuming after the owner's server is killed with SIGKILL and restarted.
 */
@SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
class NatsTopologyIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final JetStreamOptions LOCAL = JetStreamOptions.builder()
      .requestTimeout(Duration.ofSeconds(2)).build();
  /** What a client of B uses to reach the stream A owns: A's JetStream API through the leaf. */
  private static final JetStreamOptions DOMAIN_A = JetStreamOptions.builder().domain("a")
      .requestTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;

  @Test
  void publishWithTheSameMsgIdTwice_isStoredOnce_evenAcrossARestart() throws Exception {
    try (NatsServerProcess server = NatsServerProcess.builder(dir, "solo").start();
         Connection nc = connect(server)) {
      JetStreamManagement jsm = nc.jetStreamManagement(LOCAL);
      jsm.addStream(StreamConfiguration.builder().name("DEDUP").subjects("dedup.>")
          .storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(1)).build());
      JetStream js = nc.jetStream(LOCAL);
      PublishOptions id = PublishOptions.builder().messageId("m-1").build();

      PublishAck first = js.publish("dedup.x", bytes("hello"), id);
      PublishAck second = js.publish("dedup.x", bytes("hello"), id);

      assertThat(first.isDuplicate()).isFalse();
      assertThat(second.isDuplicate()).isTrue();
      assertThat(second.getSeqno()).isEqualTo(first.getSeqno());
      assertThat(jsm.getStreamInfo("DEDUP").getStreamState().getMsgCount()).isEqualTo(1);

      String url = server.url();
      server.restart(); // SIGTERM, then the same config: same port, same store
      assertThat(server.url()).isEqualTo(url);
      assertThat(eventually(() -> js.publish("dedup.x", bytes("hello"), id)).isDuplicate()).isTrue();
      assertThat(jsm.getStreamInfo("DEDUP").getStreamState().getMsgCount()).isEqualTo(1);
    }
  }

  @Test
  void durableConsumerCreatedFromLinkedDomain_readsOwnersStreamInOrder() throws Exception {
    try (NatsTopology topology = NatsTopology.twoLinked(dir);
         Connection onA = connect(topology.server("a"));
         Connection onB = connect(topology.server("b"))) {
      createOrders(onA);
      publishOrders(onA, 1, 10);

      JetStreamSubscription reader = createReader(onB);

      assertThat(fetchAndAck(reader, 10)).containsExactlyElementsOf(range(1, 10));
      assertThat(reader.fetch(1, Duration.ofMillis(300))).isEmpty();
    }
  }

  @Test
  void ownersServerKilledAndRestarted_keepsTheStreamAndTheConsumerResumesAfterItsAcks() throws Exception {
    try (NatsTopology topology = NatsTopology.twoLinked(dir);
         Connection onA = connect(topology.server("a"));
         Connection onB = connect(topology.server("b"))) {
      NatsServerProcess a = topology.server("a");
      createOrders(onA);
      publishOrders(onA, 1, 10);
      JetStreamSubscription reader = createReader(onB);
      assertThat(fetchAndAck(reader, 6)).containsExactlyElementsOf(range(1, 6));
      // nats-server 2.9.10 writes a consumer's acks to disk a moment after the last change: killed
      // right after these acks, A comes back with an ack floor of 0 and redelivers 1-6 (tried).
      // The replicator therefore keeps its own cursor; here we wait until the consumer's state
      // file itself holds an ack floor of 6 (a file written earlier, or a write of a partial
      // state, would let A come back with a lower floor: a file's time alone did, once in CI).
      Path state = a.storeDir().resolve("jetstream/$G/streams/ORDERS/obs/b-reader/o.dat");
      eventually(() -> {
        long floor = Files.exists(state) ? ackFloorStreamSeq(Files.readAllBytes(state)) : -1;
        if (floor != 6) {
          throw new IllegalStateException("consumer state on disk has ack floor " + floor);
        }
        return null;
      });

      a.kill();

      // The request times out while A is down (jnats buffers it for the reconnect): a publisher
      // must resend with the same id, and the dedupe window keeps the stream free of doubles.
      assertThatThrownBy(() -> publishOrders(onA, 11, 11)).isInstanceOf(IOException.class)
          .hasMessageContaining("Timeout");

      a.start();
      topology.awaitLinked();
      eventually(() -> publishOrders(onA, 11, 12));
      JetStreamManagement jsmA = onB.jetStreamManagement(DOMAIN_A);
      assertThat(eventually(() -> jsmA.getStreamInfo("ORDERS")).getStreamState().getMsgCount())
          .as("messages 1-12 once each after the restart; %s", a.logTail(5)).isEqualTo(12);
      assertThat(jsmA.getConsumerInfo("ORDERS", "b-reader").getAckFloor().getStreamSequence())
          .isEqualTo(6);

      assertThat(eventually(() -> fetchAndAck(reader, 6))).containsExactlyElementsOf(range(7, 12));
    }
  }

  @Test
  void hubWithThreeLeaves_letsEachOrgReadAnotherOrgsStreamThroughTheHub() throws Exception {
    try (NatsTopology topology = NatsTopology.hubAndLeaves(dir, 3);
         Connection onA = connect(topology.server("a"));
         Connection onC = connect(topology.server("c"))) {
      assertThat(topology.servers()).extracting(NatsServerProcess::domain).containsExactly("a", "b", "c");
      createOrders(onA);
      publishOrders(onA, 1, 3);

      JetStreamSubscription reader = createReader(onC);

      assertThat(fetchAndAck(reader, 3)).containsExactlyElementsOf(range(1, 3));
    }
  }

  private static void createOrders(Connection onA) throws Exception {
    onA.jetStreamManagement(LOCAL).addStream(StreamConfiguration.builder().name("ORDERS")
        .subjects("orders.>").storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(5))
        .build());
  }

  /** Publishes "order-from" .. "order-to" with their names as message ids. */
  private static Void publishOrders(Connection onA, int from, int to) throws Exception {
    JetStream js = onA.jetStream(LOCAL);
    for (int i = from; i <= to; i++) {
      js.publish("orders.new", bytes("order-" + i), PublishOptions.builder().messageId("order-" + i).build());
    }
    return null;
  }

  /** From B's side: a durable pull consumer on A's stream, created through domain a. */
  private static JetStreamSubscription createReader(Connection onB) throws Exception {
    onB.jetStreamManagement(DOMAIN_A).addOrUpdateConsumer("ORDERS", ConsumerConfiguration.builder()
        .durable("b-reader").ackPolicy(AckPolicy.Explicit).build());
    return onB.jetStream(DOMAIN_A).subscribe(null, PullSubscribeOptions.bind("ORDERS", "b-reader"));
  }

  /** Fetches until {@code count} messages arrived (or the time is up), acking each. */
  private static List<String> fetchAndAck(JetStreamSubscription sub, int count) throws Exception {
    List<String> got = new ArrayList<>();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (got.size() < count && System.nanoTime() < deadline) {
      for (Message m : sub.fetch(count - got.size(), Duration.ofSeconds(1))) {
        got.add(new String(m.getData(), StandardCharsets.UTF_8));
        m.ackSync(Duration.ofSeconds(2));
      }
    }
    return got;
  }

  private static List<String> range(int from, int to) {
    List<String> names = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      names.add("order-" + i);
    }
    return names;
  }

  /** Retries while a restarted server and the clients' reconnects settle. */
  /**
   * The ack floor's stream sequence in a nats-server 2.9 consumer state file ({@code o.dat}): a
   * magic byte (22) and a version (2), then uvarints: ack floor consumer sequence, ack floor stream
   * sequence, delivered consumer, delivered stream, pending count, …
   */
  private static long ackFloorStreamSeq(byte[] file) {
    if (file.length < 4 || file[0] != 22 || file[1] != 2) {
      throw new IllegalStateException("not a nats-server 2.9 consumer state file: "
          + file.length + " bytes");
    }
    int[] at = {2};
    uvarint(file, at);
    return uvarint(file, at);
  }

  private static long uvarint(byte[] b, int[] at) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int x = b[at[0]++] & 0xff;
      value |= (long) (x & 0x7f) << shift;
      if (x < 0x80) {
        return value;
      }
    }
    throw new IllegalStateException("uvarint too long");
  }

  private static <T> T eventually(Callable<T> call) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        return call.call();
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  private static Connection connect(NatsServerProcess server) throws Exception {
    return Nats.connect(Options.builder().server(server.url()).connectionName("it-" + server.name())
        .maxReconnects(-1).reconnectWait(Duration.ofMillis(200))
        .connectionTimeout(Duration.ofSeconds(2)).build());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
