package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.federation.testing.NatsServerProcess;
import dev.hearth.federation.testing.NatsTopology;
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
    List<Long> takeOvers = new ArrayList<>();
    for (int run = 0; run < 6; run++) {
      String store = "chat-" + run;
      try (ClusterMember a = member("a" + run, store); ClusterMember b = member("b" + run, store)) {
        awaitAnyOwner(store, a, b);
        ClusterMember owner = a.leases.owns(store) ? a : b;
        ClusterMember standby = owner == a ? b : a;
        long killed = System.nanoTime();
        owner.halt();
        long tookMillis = awaitOwner(standby, store, owner) / 1_000_000;
        takeOvers.add(tookMillis);
        // The crashed owner's own deadline had passed before the standby could take the store.
        assertThat(owner.leases.owns(store)).isFalse();
        assertThat(tookMillis).as("take-over after the crash").isLessThanOrEqualTo(TTL + 2 * RENEW + 1000);
        assertThat(System.nanoTime() - killed).isPositive();
      }
    }
    long[] sorted = takeOvers.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf("LeaseIT: take-over after a crash (ttl %d ms, renew %d ms), %d runs: min %d, p50 %d, max %d ms %s%n",
        TTL, RENEW, sorted.length, sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1], Arrays.toString(sorted));
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

  /** Nanoseconds until {@code m} owns {@code store} (10 s at most), checking it and {@code other} never both do. */
  private static long awaitOwner(ClusterMember m, String store, ClusterMember other) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(10).toNanos();
    while (!m.leases.owns(store)) {
      assertNotBoth(store, m, other);
      assertThat(System.nanoTime()).as("%s owns %s within 10 s", m.processId, store).isLessThan(deadline);
      Thread.sleep(5);
    }
    assertNotBoth(store, m, other);
    return System.nanoTime() - start;
  }

  private static void assertNotBoth(String store, ClusterMember... members) {
    long owners = Arrays.stream(members).filter(m -> m.leases.owns(store)).count();
    assertThat(owners).as("processes owning %s at once", store).isLessThanOrEqualTo(1);
  }
}
