package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.nats.NatsServerProcess;
import dev.hearth.testkit.nats.NatsTopology;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.StreamInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases between in-process cluster members (no node: the property is the lease algorithm against
 * three real {@code nats-server}s clustered with JetStream). A "crash" is {@link ClusterMember#halt}:
 * rounds stop and the connection drops, the lease is left to expire, exactly what a SIGKILLed
 * process leaves behind in NATS. The separate-JVM version is {@link ClusterProcessIT}.
 */
class LeaseIT {

  private static final int TTL = 1500;
  private static final int RENEW = 300;
  private static final int MARGIN = 300;

  @TempDir static Path dir;
  static NatsTopology nats;
  static String urls;

  @BeforeAll
  static void cluster() {
    nats = NatsTopology.clustered(dir, 3);
    urls = String.join(",", nats.servers().stream().map(NatsServerProcess::url).toList());
  }

  @AfterAll
  static void stop() {
    if (nats != null) nats.close();
  }

  @Test
  void oneOfTwoCandidatesOwns_andTheOtherTakesOverAfterACrash_withinTtlPlusRenew() throws Exception {
    // Six pairs of candidates, each pair for a store of its own, crashed together: six independent
    // take-overs (each timed from its own owner's crash) in the wall time of one.
    int pairs = 6;
    String[] stores = new String[pairs];
    ClusterMember[] owners = new ClusterMember[pairs];
    ClusterMember[] standbys = new ClusterMember[pairs];
    List<ClusterMember> all = new ArrayList<>();
    try {
      for (int run = 0; run < pairs; run++) {
        stores[run] = "chat-" + run;
        all.add(member("a" + run, stores[run]));
        all.add(member("b" + run, stores[run]));
      }
      for (int run = 0; run < pairs; run++) {
        ClusterMember a = all.get(2 * run);
        ClusterMember b = all.get(2 * run + 1);
        owners[run] = awaitAnyOwner(stores[run], a, b);
        standbys[run] = owners[run] == a ? b : a;
      }
      long[] killed = new long[pairs];
      for (int run = 0; run < pairs; run++) {
        killed[run] = System.nanoTime();
        owners[run].halt();
      }
      long[] took = awaitOwners(stores, standbys, owners, killed);
      for (int run = 0; run < pairs; run++) {
        // The crashed owner's own deadline had passed before the standby could take the store.
        assertThat(owners[run].leases.owns(stores[run])).as("the crashed owner of %s", stores[run]).isFalse();
        assertThat(took[run]).as("take-over of %s after the crash", stores[run]).isLessThanOrEqualTo(TTL + 2 * RENEW + 1000);
      }
      long[] sorted = Arrays.stream(took).sorted().toArray();
      System.out.printf("LeaseIT: take-over after a crash (ttl %d ms, renew %d ms), %d runs: min %d, p50 %d, max %d ms %s%n",
          TTL, RENEW, sorted.length, sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1], Arrays.toString(sorted));
    } finally {
      all.forEach(ClusterMember::close);
    }
  }

  @Test
  void killingNatsServers_leasesKeepWorking_andNeverTwoOwners() throws Exception {
    String store = "survey";
    try (ClusterMember a = member("ka", store); ClusterMember b = member("kb", store);
         Connection admin = Nats.connect(urls)) {
      ClusterMember owner = awaitAnyOwner(store, a, b);
      StreamInfo info = admin.jetStreamManagement().getStreamInfo("KV_" + Leases.BUCKET);
      assertThat(info.getConfiguration().getReplicas()).as("lease bucket replicas on 3 servers").isEqualTo(3);
      assertThat(a.replicas()).isEqualTo(3);
      String leader = info.getClusterInfo().getLeader();

      // A follower of the lease bucket dies: the owner keeps renewing without a gap.
      NatsServerProcess follower = nats.servers().stream().filter(s -> !s.name().equals(leader)).findFirst().orElseThrow();
      long before = owner.leases.owned().get(store);
      follower.kill();
      long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < end) {
        assertThat(owner.leases.owns(store)).as("owner kept its lease with %s killed", follower.name()).isTrue();
        assertNotBoth(store, a, b);
        Thread.sleep(5);
      }
      assertThat(owner.leases.owned().get(store)).as("renewed meanwhile").isGreaterThan(before + 3);
      follower.start();
      nats.awaitClustered();

      // The bucket's leader dies: renewals stop until NATS elects another; someone owns the store again after.
      String leaderNow = admin.jetStreamManagement().getStreamInfo("KV_" + Leases.BUCKET).getClusterInfo().getLeader();
      NatsServerProcess leaderServer = nats.servers().stream().filter(s -> s.name().equals(leaderNow)).findFirst().orElseThrow();
      long killed = System.nanoTime();
      leaderServer.kill();
      long outageStart = -1;
      long outage = 0;
      long deadline = killed + Duration.ofSeconds(30).toNanos();
      long renewalsAfter = 0;
      Map<String, Long> last = Map.of();
      while (renewalsAfter < 3) {
        assertThat(System.nanoTime()).as("a renewed lease within 30 s of killing leader %s", leaderNow).isLessThan(deadline);
        assertNotBoth(store, a, b);
        ClusterMember holder = a.leases.owns(store) ? a : b.leases.owns(store) ? b : null;
        long now = System.nanoTime();
        if (holder == null && outageStart < 0) outageStart = now;
        if (holder != null && outageStart >= 0) {
          outage += now - outageStart;
          outageStart = -1;
        }
        if (holder != null && !holder.leases.owned().equals(last)) {
          last = holder.leases.owned();
          renewalsAfter++;
        }
        Thread.sleep(5);
      }
      System.out.printf("LeaseIT: killed follower %s: no gap; killed lease-bucket leader %s: %d ms without an owner%n",
          follower.name(), leaderNow, outage / 1_000_000);
      leaderServer.start();
      nats.awaitClustered();
    }
  }

  private static ClusterMember member(String id, String store) {
    ClusterOptions o = ClusterOptions.from(new JsonObject().put("natsUrls", urls).put("processId", id)
        .put("owns", new JsonArray().add(store)).put("leaseTtlMillis", TTL).put("renewMillis", RENEW).put("marginMillis", MARGIN));
    Placement placement = new Placement(o, id, Clock.systemUTC(), "http://127.0.0.1:0", Map::of);
    return new ClusterMember(o, id, Clock.systemUTC(), () -> List.of(store), placement).start();
  }

  /** Waits (10 s at most) until one of {@code members} owns the store, checking no two ever do. */
  private static ClusterMember awaitAnyOwner(String store, ClusterMember... members) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      assertNotBoth(store, members);
      for (ClusterMember m : members) if (m.leases.owns(store)) return m;
      assertThat(System.nanoTime()).as("an owner of %s within 10 s", store).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /**
   * Milliseconds from {@code killed[i]} until {@code standbys[i]} owns {@code stores[i]}, for all at
   * once (10 s at most), checking that no standby and its crashed owner ever both own their store.
   */
  private static long[] awaitOwners(String[] stores, ClusterMember[] standbys, ClusterMember[] crashed, long[] killed)
      throws InterruptedException {
    long[] took = new long[stores.length];
    Arrays.fill(took, -1);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (Arrays.stream(took).anyMatch(t -> t < 0)) {
      for (int i = 0; i < stores.length; i++) {
        assertNotBoth(stores[i], standbys[i], crashed[i]);
        if (took[i] < 0 && standbys[i].leases.owns(stores[i])) took[i] = (System.nanoTime() - killed[i]) / 1_000_000;
      }
      assertThat(System.nanoTime()).as("standbys own %s within 10 s (ms after the crash, -1 not yet: %s)",
          Arrays.toString(stores), Arrays.toString(took)).isLessThan(deadline);
      Thread.sleep(5);
    }
    return took;
  }

  private static void assertNotBoth(String store, ClusterMember... members) {
    long owners = Arrays.stream(members).filter(m -> m.leases.owns(store)).count();
    assertThat(owners).as("processes owning %s at once", store).isLessThanOrEqualTo(1);
  }
}
