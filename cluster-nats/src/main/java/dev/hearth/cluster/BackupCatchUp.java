package dev.hearth.cluster;

import dev.hearth.kernel.spi.ReplicaCatchUp;
import dev.hearth.module.ModuleException;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.time.Duration;

/**
 * Backups from any process (docs/cluster.md, "Backups"): before a backup copies a store this process
 * follows but does not write, its follower takes in the store's replicated stream up to the message
 * that was last when the backup began ({@link CatchUp}), so the copy holds every write the owner
 * acknowledged by then. A store this process writes, or that nobody replicates
 * ({@code durability: local}, or no stream yet), is copied as it is. A store the process has open
 * but will never follow (not a front, and not in {@code owns}) refuses the backup rather than put a
 * stale copy in it.
 */
final class BackupCatchUp implements ReplicaCatchUp {

  private final ClusterMember member;
  private final CatchUp catchUp;
  private final Duration wait;

  BackupCatchUp(ClusterMember member, CatchUp catchUp) {
    this.member = member;
    this.catchUp = catchUp;
    Duration ttls = member.options.leaseTtl().multipliedBy(6);
    this.wait = ttls.compareTo(Duration.ofSeconds(60)) > 0 ? ttls : Duration.ofSeconds(60);
  }

  @Override
  public void await(String store) throws InterruptedException {
    long last;
    try {
      last = catchUp.target(store);
    } catch (JetStreamApiException e) {
      throw unavailable("the replicated log of store '" + store + "' cannot be read: " + e.getErrorDescription());
    } catch (IOException e) {
      throw unavailable(member.connection() == null ? e.getMessage()
          : "the replicated log of store '" + store + "' cannot be read: " + e.getMessage());
    }
    if (last == CatchUp.CURRENT) return;
    if (!catchUp.follows(store)) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "process " + member.processId
          + " does not follow store '" + store + "' (it is not a front and cluster.owns does not name it), so its copy"
          + " is not the cluster's: take the backup on a front or on a process that may own '" + store + "'");
    }
    CatchUp.Outcome o = catchUp.await(store, last, System.nanoTime() + wait.toNanos(), () -> true);
    if (o.failure() != null) {
      throw unavailable("process " + member.processId + " cannot follow store '" + store + "': " + o.failure());
    }
    if (!o.caughtUp()) {
      throw unavailable("process " + member.processId + "'s copy of store '" + store + "' did not reach message "
          + last + " of its replicated log within " + wait.toSeconds() + " s (it is at " + o.applied()
          + "); take the backup on another process or try again");
    }
  }

  private static ModuleException unavailable(String message) {
    return new ModuleException(ModuleException.Code.UNAVAILABLE, "backup refused: " + message)
        .detail("retryAfterSeconds", "5");
  }
}
