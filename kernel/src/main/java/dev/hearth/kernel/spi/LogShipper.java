package dev.hearth.kernel.spi;

import dev.hearth.module.ModuleException;

/**
 * Where a store's group commits go besides its own change log. A single node keeps them local
 * ({@link #LOCAL}); a cluster (docs/cluster.md) ships each frame to the store's replicated stream,
 * so the writes it acknowledges survive the loss of this process ({@link NodeContext#logShipper}).
 *
 * <p>The store calls it on its writer thread for every group commit, after the {@link WriteGate}
 * let the commit through and before the frame is appended to the local log: a frame the shipper
 * refused is not written anywhere, so the local log never holds what the stream refused. The
 * callers are acknowledged only after both the shipper's answer and the local fsync.
 */
@FunctionalInterface
public interface LogShipper {

  /** Nothing leaves the process: a single node. */
  LogShipper LOCAL = (store, firstSeq, count, frame) -> null;

  /**
   * Ships one frame and blocks until it is safe elsewhere (or refused). Must not throw.
   *
   * @param frame the frame exactly as the log will hold it: header, CRC, encrypted payload
   * @return {@code null} when the frame may be appended and acknowledged, else the error every
   *     write of the group commit fails with (nothing of it is written)
   */
  ModuleException ship(String store, long firstSeq, int count, byte[] frame);
}
