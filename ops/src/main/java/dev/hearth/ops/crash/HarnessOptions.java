package dev.hearth.ops.crash;

import dev.hearth.kernel.config.StoreOptions;

/** Store options shared by the child and the verifier, so both open the store the same way. */
final class HarnessOptions {

  private HarnessOptions() {}

  /**
   * Frequent checkpoints put MapDB commits (the moment a kill is known to hurt MapDB) under most
   * kills; small segments make the log roll over under kills too.
   */
  static StoreOptions storeOptions(long checkpointMs, long segmentBytes) {
    StoreOptions o = StoreOptions.defaults().withCheckpointIntervalMs(checkpointMs);
    if (segmentBytes > 0) {
      o = o.withSegmentBytes(segmentBytes);
    }
    return o;
  }
}
