package dev.hearth.cluster;

import dev.hearth.kernel.spi.ReplicaCatchUp;
import dev.hearth.module.ModuleException;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.time.Duration;

/**
 * Backups from any process (docs/cluster.md, "Backups"): before a backup copies a store this process
 * follows but does not write, its follower takes in the store's replicated stream up to the message
 * that was last when the backup began, so the copy holds every write the owner acknowledged by then
 * (an owner acknowledges only what JetStream stored). A store this process writes, or that nobody
 * replicates ({@code durability: local}, or no stream yet), is copied as it is. A store the process
 * has open but will never follow (not a front, and not in {@code owns}) refuses the backup rather
 * than put a stale copy in it.
 */
final class BackupCatchUp implements ReplicaCatchUp {

  private final ClusterMember member;
  private final Duration wait;

  BackupCatchUp(ClusterMember member) {
    this.member = member;
    Duration ttls = member.options.leaseTtl().multipliedBy(6);
    this.wait = ttls.compareTo(Duration.ofSeconds(60)) > 0 ? ttls : Duration.ofSeconds(60);
  }

  @Override
  public void await(String store) throws InterruptedException {
    ClusterOptions options = member.options;
    Replication replication = member.replication;
    if (!options.durability(store).equals(ClusterOptions.CLUSTER)) return; // each process's own
    if (member.leases.owns(store) && replication.expectedLast(store) != null) return; // written here
    long last = streamLast(store);
    if (last < 0) return; // no stream: no process replicates it, so no other has acknowledged writes of it
    if (!options.follows(store) && !options.front()) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "process " + member.processId
          + " does not follow store '" + store + "' (it is not a front and cluster.owns does not name it), so its copy"
          + " is not the cluster's: take the backup on a front or on a process that may own '" + store + "'");
    }
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Follower f = replication.followerOf(store);
      if (f != null && f.failure() != null) {
        throw unavailable("process " + member.processId + " cannot follow store '" + store + "': " + f.failure());
      }
      if (f != null && f.applied() >= last) return;
      if (System.nanoTime() - deadline > 0) {
        throw unavailable("process " + member.processId + "'s copy of store '" + store + "' did not reach message "
            + last + " of its replicated log within " + wait.toSeconds() + " s (it is at " + (f == null ? 0 : f.applied())
            + "); take the backup on another process or try again");
      }
      Thread.sleep(5);
    }
  }

  /** The stream's last message now; -1 when the store has no stream. */
  private long streamLast(String store) {
    Connection c = member.connection();
    if (c == null) throw unavailable("process " + member.processId + " is not connected to the cluster's NATS");
    try {
      return c.jetStreamManagement().getStreamInfo(Replication.stream(store)).getStreamState().getLastSequence();
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == 10059) return -1; // stream not found
      throw unavailable("the replicated log of store '" + store + "' cannot be read: " + e.getErrorDescription());
    } catch (IOException e) {
      throw unavailable("the replicated log of store '" + store + "' cannot be read: " + e.getMessage());
    }
  }

  private static ModuleException unavailable(String message) {
    return new ModuleException(ModuleException.Code.UNAVAILABLE, "backup refused: " + message)
        .detail("retryAfterSeconds", "5");
  }
}
