package dev.hearth.kernel.spi;

import dev.hearth.module.ModuleException;

/**
 * Brings this process's copy of a store up to what the store's writer has acknowledged, before a
 * backup copies it. A single node writes every store it has, so its copies are current
 * ({@link #NONE}); in a cluster (docs/cluster.md) a front or standby follows stores another process
 * writes, and the cluster extension sets one ({@link NodeContext#replicaCatchUp}).
 */
@FunctionalInterface
public interface ReplicaCatchUp {

  /** Every copy here is current: a single node. */
  ReplicaCatchUp NONE = store -> {};

  /**
   * Blocks until this process's copy of {@code store} holds every change its writer had
   * acknowledged when this was called; returns at once for a store this process writes or that is
   * not replicated. Never call it on an event loop.
   *
   * @throws ModuleException UNAVAILABLE when the copy cannot be brought up to date
   *     in a bounded time, FAILED_PRECONDITION when this process does not follow the store
   */
  void await(String store) throws InterruptedException;
}
