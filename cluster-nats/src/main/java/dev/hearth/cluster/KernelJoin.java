package dev.hearth.cluster;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before identity starts: the shared kernel store is brought up to date, so a process that does not
 * own it finds the cluster's node id, users and JWT keys in its copy instead of writing its own
 * (docs/cluster.md, "The kernel store"). The process that holds the kernel's lease waits until it has
 * synced (it writes next); any other until its follower has the whole stream. A stream that is still
 * empty means the owner has not started yet: it waits for it, bounded, and says so.
 */
final class KernelJoin {

  private static final Logger log = LoggerFactory.getLogger(KernelJoin.class);
  /** The least it waits for an owner (more with a long lease TTL: three of them). */
  static final Duration LEAST_WAIT = Duration.ofSeconds(30);

  private final ClusterMember member;
  private final Duration wait;

  KernelJoin(ClusterOptions options, ClusterMember member) {
    this.member = member;
    Duration ttls = options.leaseTtl().multipliedBy(3);
    this.wait = ttls.compareTo(LEAST_WAIT) > 0 ? ttls : LEAST_WAIT;
  }

  /** Blocking: returns once the kernel store is current here, or after the wait (logged; identity then waits for the node id itself). */
  void await() throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    boolean told = false;
    while (true) {
      if (member.replication.expectedLast(ClusterOptions.KERNEL) != null) {
        log.info("process {} owns the kernel store and has synced it", member.processId);
        return;
      }
      if (!member.leases.owns(ClusterOptions.KERNEL) && member.replication.caughtUp(ClusterOptions.KERNEL)) {
        log.info("process {} has the cluster's kernel store up to its last frame", member.processId);
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        log.warn("process {}: the cluster's kernel store is not current here after {} s (no owner, or NATS not reached);"
            + " starting on what it has", member.processId, wait.toSeconds());
        return;
      }
      if (!told) {
        log.info("process {} waits up to {} s for the cluster's kernel store (its owner: a process with kernel or * in"
            + " cluster.owns)", member.processId, wait.toSeconds());
        told = true;
      }
      Thread.sleep(100);
    }
  }
}
