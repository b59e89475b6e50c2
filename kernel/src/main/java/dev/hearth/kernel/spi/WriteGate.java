package dev.hearth.kernel.spi;

import dev.hearth.module.ModuleException;

/**
 * Whether this process may write a store now. A single node writes every store it opens; in a
 * cluster (docs/cluster.md) only the process that holds a store's lease may, and the cluster
 * extension sets a gate that says so ({@link NodeContext#writeGate}).
 *
 * <p>The store asks twice: when a write is submitted (to refuse it early) and again on its writer
 * thread just before it appends a group commit to its change log, so a process that lost its lease
 * while writes waited appends none of them. A refused write has changed nothing.
 *
 * <p>Called on the store's writer thread for every group commit: it must be cheap, must not block
 * and must not throw.
 */
@FunctionalInterface
public interface WriteGate {

  /** Every write may go ahead: a single node. */
  WriteGate OPEN = store -> null;

  /**
   * @return {@code null} when writes to store {@code store} may be committed now, else the error
   *     the refused writes fail with (UNAVAILABLE with a {@code retryAfterSeconds} detail)
   */
  ModuleException refusal(String store);
}
