package dev.hearth.cluster;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings this process's copy of a store it follows but does not write up to what the store's owner
 * had acknowledged at one moment: the stream's last message then (an owner acknowledges only what
 * JetStream stored). Shared by the two callers that need a current copy: a backup on any process
 * ({@link BackupCatchUp}) and a starting process before it says ready ({@link #beforeReady},
 * docs/cluster.md "Readiness").
 *
 * <p>A store this process writes (it holds the lease and has synced), or that nobody replicates
 * ({@code durability: local}, or no stream yet, or an empty one), is current as it is.
 */
final class CatchUp {

  private static final Logger log = LoggerFactory.getLogger(CatchUp.class);
  /** No message to wait for: the copy is current as it is. */
  static final long CURRENT = -1;

  /**
   * What a wait came to.
   *
   * @param caughtUp whether the copy reached the message waited for
   * @param applied the stream message the copy had taken in when the wait ended
   * @param failure why its follower stopped (it will not catch up), or null
   */
  record Outcome(boolean caughtUp, long applied, String failure) {}

  private final ClusterMember member;

  CatchUp(ClusterMember member) {
    this.member = member;
  }

  /**
   * The stream message this process's copy of {@code store} must reach to hold every write its
   * owner has acknowledged now, or {@link #CURRENT}. One stream-info request; blocking.
   *
   * @throws IOException when this process is not connected or NATS does not answer
   * @throws JetStreamApiException when the stream cannot be read (other than not found)
   */
  long target(String store) throws IOException, JetStreamApiException {
    if (!member.options.durability(store).equals(ClusterOptions.CLUSTER)) return CURRENT; // each process's own
    if (member.leases.owns(store) && member.replication.expectedLast(store) != null) return CURRENT; // written here
    Connection c = member.connection();
    if (c == null) throw new IOException("process " + member.processId + " is not connected to the cluster's NATS");
    try {
      long last = c.jetStreamManagement().getStreamInfo(Replication.stream(store)).getStreamState().getLastSequence();
      return last > 0 ? last : CURRENT; // an empty stream: nothing acknowledged yet
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == 10059) return CURRENT; // no stream: no process replicates it, none acknowledged a write
      throw e;
    }
  }

  /**
   * Whether this process follows {@code store} into its copy: a replicated store it may own, the
   * shared kernel store, and on a front every replicated store it has open. A store it does not
   * follow keeps whatever its copy has.
   */
  boolean follows(String store) {
    ClusterOptions o = member.options;
    return o.follows(store) || o.front() && o.durability(store).equals(ClusterOptions.CLUSTER);
  }

  /**
   * Waits until this process's follower of {@code store} has taken in stream message {@code last}, its
   * follower stops, {@code deadline} ({@link System#nanoTime}) passes or {@code going} says to stop.
   * A follower not running yet (a front finds a store's stream on its next round) is waited for.
   * Blocking: never on an event loop.
   */
  Outcome await(String store, long last, long deadline, BooleanSupplier going) throws InterruptedException {
    while (true) {
      Follower f = member.replication.followerOf(store);
      long applied = f == null ? 0 : f.applied();
      if (f != null && f.failure() != null) return new Outcome(false, applied, f.failure());
      if (applied >= last) return new Outcome(true, applied, null);
      if (System.nanoTime() - deadline > 0 || !going.getAsBoolean()) return new Outcome(false, applied, null);
      Thread.sleep(5);
    }
  }

  /**
   * Before a starting process says ready: waits, at most {@code limit} in all, until its copy of each
   * of {@code stores} that it follows and does not write holds what the store's stream held when this
   * began, so a load balancer sends it clients only once it can answer them from its copies. It never
   * fails the start: a copy still behind at the limit, one whose follower stopped, or a stream that
   * cannot be read is logged (WARN, naming the store and how far behind it is) and the process says
   * ready anyway. Blocking.
   *
   * @param going false once the process is stopping: the wait ends at once
   */
  void beforeReady(List<String> stores, Duration limit, BooleanSupplier going) throws InterruptedException {
    long began = System.nanoTime();
    long deadline = began + limit.toNanos();
    followedBeforeReady(stores, limit, began, deadline, going);
    // The stores whose lease it holds (a free one it took at the round before this): writable once synced.
    for (String store : stores) {
      if (!going.getAsBoolean()) return;
      if (!member.replication.replicated(store) || !member.leases.owns(store)) continue;
      if (!member.replication.awaitSynced(store, deadline) && member.leases.owns(store)) {
        log.warn("process {} says ready though it has not yet taken the writes of store '{}', whose lease it holds: it"
            + " is still catching up with its replicated log after {} s (cluster.readyCatchUpSeconds); its writes are"
            + " refused (retry-after) until it has", member.processId, store, limit.toSeconds());
      }
    }
  }

  private void followedBeforeReady(List<String> stores, Duration limit, long began, long deadline, BooleanSupplier going)
      throws InterruptedException {
    Map<String, Long> targets = new LinkedHashMap<>();
    for (String store : stores) {
      if (!follows(store)) continue;
      Long last = targetBefore(store, deadline, going);
      if (last != null && last != CURRENT) targets.put(store, last);
    }
    if (targets.isEmpty()) return;
    List<String> behind = new ArrayList<>();
    targets.forEach((store, last) -> {
      Follower f = member.replication.followerOf(store);
      long applied = f == null ? 0 : f.applied();
      if (applied < last) behind.add(store + " (at message " + applied + " of " + last + ")");
    });
    if (behind.isEmpty()) return;
    log.info("process {} says ready once its copies have caught up with their replicated logs: {} (at most {} s,"
        + " cluster.readyCatchUpSeconds)", member.processId, behind, limit.toSeconds());
    boolean all = true;
    for (Map.Entry<String, Long> t : targets.entrySet()) {
      String store = t.getKey();
      long last = t.getValue();
      Outcome o = await(store, last, deadline, going);
      if (!going.getAsBoolean()) return;
      all &= o.caughtUp();
      if (o.failure() != null) {
        log.warn("process {} says ready though its copy of store '{}' is behind its replicated log: at message {} of {}"
            + " ({} behind), and its follower stopped: {}", member.processId, store, o.applied(), last,
            last - o.applied(), o.failure());
      } else if (!o.caughtUp()) {
        log.warn("process {} says ready though its copy of store '{}' is behind its replicated log: at message {} of {}"
            + " ({} behind) after {} s (cluster.readyCatchUpSeconds); its reads lag until it catches up", member.processId,
            store, o.applied(), last, last - o.applied(), limit.toSeconds());
      }
    }
    if (all) {
      log.info("process {}: its copies caught up in {} ms: {}", member.processId,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), targets.keySet());
    }
  }

  /** The store's {@link #target}, asked again while NATS does not answer until the deadline; null when it never did. */
  private Long targetBefore(String store, long deadline, BooleanSupplier going) throws InterruptedException {
    while (true) {
      try {
        return target(store);
      } catch (IOException | JetStreamApiException | RuntimeException e) {
        if (System.nanoTime() - deadline > 0 || !going.getAsBoolean()) {
          log.warn("process {} says ready without knowing whether its copy of store '{}' is current: its replicated log"
              + " cannot be read: {}", member.processId, store, e.getMessage());
          return null;
        }
        Thread.sleep(250);
      }
    }
  }
}
