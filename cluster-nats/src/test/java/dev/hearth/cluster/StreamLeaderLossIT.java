package dev.hearth.cluster;

import static dev.hearth.cluster.InProcessMembers.NOTES;
import static dev.hearth.cluster.InProcessMembers.member;
import static dev.hearth.cluster.InProcessMembers.urls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.store.Collection;
import dev.hearth.testkit.nats.NatsServerProcess;
import dev.hearth.testkit.nats.NatsTopology;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An owner whose store's stream loses its leader (kill -9 of that NATS server, the lease bucket's
 * leader elsewhere) keeps its lease while it waits for NATS to elect another, and takes writes
 * again once it has: catching up with the stream (which waits on NATS) never holds up the rounds
 * that renew its leases. Before, that catch-up ran on the rounds' thread, each NATS request waiting
 * out its timeout, so the owner lost every lease it held and the processes of a cluster took
 * the stores from each other in turn (ChatFailoverIT's NATS-server kill, once for 60 s in CI).
 * In-process member on a real store, three clustered nats-servers.
 */
class StreamLeaderLossIT {

  @TempDir Path dir;

  @Test
  void ownerKeepsItsLease_whileItsStreamElectsANewLeader_andWritesAgainAfter() throws Exception {
    try (NatsTopology nats = NatsTopology.clustered(dir.resolve("nats"), 3)) {
      String urls = urls(nats);
      MasterKey key = MasterKey.loadOrCreate(dir.resolve("master.key")).key();
      try (Stores stores = Stores.open(dir.resolve("a"), key, StoreOptions.defaults());
          Connection admin = Nats.connect(urls)) {
        HearthStore a = stores.store("notes");
        ClusterMember ma = member("fa", urls, stores, () -> a, Map::of);
        Collection<String> notes = a.collection(NOTES);
        writeWithin(a, notes, "one", Duration.ofSeconds(20));
        assertThat(ma.replication.expectedLast("notes")).as("synced").isNotNull();

        // The stream's leader on a server that does not lead the lease bucket: NATS moves the bucket's on request.
        JetStreamManagement jsm = admin.jetStreamManagement();
        String stream = Replication.stream("notes");
        String bucket = "KV_" + Leases.BUCKET;
        String streamLeader = jsm.getStreamInfo(stream).getClusterInfo().getLeader();
        for (int i = 0; i < 20 && streamLeader.equals(jsm.getStreamInfo(bucket).getClusterInfo().getLeader()); i++) {
          admin.request("$JS.API.STREAM.LEADER.STEPDOWN." + bucket, new byte[0], Duration.ofSeconds(2));
          awaitLeader(jsm, bucket);
        }
        assertThat(jsm.getStreamInfo(bucket).getClusterInfo().getLeader()).as("the lease bucket's leader")
            .isNotEqualTo(streamLeader);
        long lostBefore = ma.leases.lostCounts().getOrDefault("notes", 0L);
        long takenBefore = ma.leases.takenCounts().getOrDefault("notes", 0L);

        NatsServerProcess victim = nats.servers().stream().filter(s -> s.name().equals(streamLeader)).findFirst().orElseThrow();
        victim.kill();
        long killed = System.nanoTime();
        int refused = writeWithin(a, notes, "two", Duration.ofSeconds(30));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        System.out.printf("StreamLeaderLossIT: stream leader %s killed; a write taken again %d ms later (%d refused"
            + " meanwhile); lease lost %d times, taken %d times since%n", streamLeader, ms, refused,
            ma.leases.lostCounts().getOrDefault("notes", 0L) - lostBefore,
            ma.leases.takenCounts().getOrDefault("notes", 0L) - takenBefore);

        assertThat(ma.leases.lostCounts().getOrDefault("notes", 0L)).as("times the owner lost its lease meanwhile")
            .isEqualTo(lostBefore);
        assertThat(ma.leases.holds("notes")).isTrue();
        assertThat(notes.get("two")).contains("two");
        String lastFrame = new String(jsm.getLastMessage(stream, Replication.subject("notes")).getHeaders()
            .getFirst(Replication.LAST_SEQ).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertThat(Long.parseLong(lastFrame)).as("the stream holds the write").isEqualTo(a.lastSequence());
        ma.close();
      }
    }
  }

  /** Writes {@code value} until the store takes it (refused while the owner cannot replicate); how many times it was refused. */
  private static int writeWithin(HearthStore s, Collection<String> notes, String value, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    int refused = 0;
    while (true) {
      try {
        s.write("t", tx -> {
          tx.put(notes, value, value);
          return null;
        }).toCompletionStage().toCompletableFuture().join();
        return refused;
      } catch (CompletionException e) {
        refused++;
        assertThat(System.nanoTime()).as("'%s' written within %s (last refusal: %s)", value, within,
            e.getCause() == null ? e : e.getCause().getMessage()).isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  private static void awaitLeader(JetStreamManagement jsm, String stream) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() - deadline < 0) {
      try {
        String leader = jsm.getStreamInfo(stream).getClusterInfo().getLeader();
        if (leader != null && !leader.isEmpty()) return;
      } catch (Exception electing) {
        // no leader yet
      }
      Thread.sleep(100);
    }
  }
}
