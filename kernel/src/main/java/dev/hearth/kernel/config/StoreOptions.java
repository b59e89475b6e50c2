package dev.hearth.kernel.config;

import io.vertx.core.json.JsonObject;

/**
 * Tunables of a store, from the config file's {@code store} section. Defaults are what the benchmarks
 * chose; see docs/benchmarks.md. A record like the other sections: {@link #from} reads the section
 * (its keys and their types are checked, by name, when the config is read: {@code OptionSources}),
 * {@link #defaults} is every default, and each {@code with…} is a copy with one value changed.
 *
 * @param checkpointIntervalMs how often the MapDB file is committed as a checkpoint
 * @param checkpointMaxDirty a checkpoint is taken early once this many records are dirty, to keep each one short
 * @param maxBatchWrites writes in one group commit at most
 * @param maxBatchBytes bytes in one group commit at most
 * @param segmentBytes size at which the change log starts a new segment file
 * @param maxUnapplied durable writes not yet applied to MapDB before writers are held back
 * @param mmap whether MapDB memory-maps its file (faster reads) or uses a FileChannel
 */
public record StoreOptions(long checkpointIntervalMs, int checkpointMaxDirty, int maxBatchWrites, int maxBatchBytes,
    long segmentBytes, int maxUnapplied, boolean mmap) {

  public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 1000;
  public static final int DEFAULT_CHECKPOINT_MAX_DIRTY = 20_000;
  public static final int DEFAULT_MAX_BATCH_WRITES = 1024;
  public static final int DEFAULT_MAX_BATCH_BYTES = 4 << 20;
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  /** About 1.2 KiB of heap per 1 KiB value: ~240 MiB at most for bursts the applier has not reached. */
  public static final int DEFAULT_MAX_UNAPPLIED = 200_000;

  /** Every tunable at its default. */
  public static StoreOptions defaults() {
    return new StoreOptions(DEFAULT_CHECKPOINT_INTERVAL_MS, DEFAULT_CHECKPOINT_MAX_DIRTY, DEFAULT_MAX_BATCH_WRITES,
        DEFAULT_MAX_BATCH_BYTES, DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_UNAPPLIED, true);
  }

  /** The section's values over the defaults. */
  public static StoreOptions from(JsonObject json) {
    StoreOptions d = defaults();
    return new StoreOptions(
        json.getLong("checkpointIntervalMs", d.checkpointIntervalMs),
        json.getInteger("checkpointMaxDirty", d.checkpointMaxDirty),
        json.getInteger("maxBatchWrites", d.maxBatchWrites),
        json.getInteger("maxBatchBytes", d.maxBatchBytes),
        json.getLong("segmentBytes", d.segmentBytes),
        json.getInteger("maxUnapplied", d.maxUnapplied),
        json.getBoolean("mmap", d.mmap));
  }

  public StoreOptions withCheckpointIntervalMs(long ms) {
    return new StoreOptions(ms, checkpointMaxDirty, maxBatchWrites, maxBatchBytes, segmentBytes, maxUnapplied, mmap);
  }

  public StoreOptions withCheckpointMaxDirty(int n) {
    return new StoreOptions(checkpointIntervalMs, n, maxBatchWrites, maxBatchBytes, segmentBytes, maxUnapplied, mmap);
  }

  public StoreOptions withMaxBatchWrites(int n) {
    return new StoreOptions(checkpointIntervalMs, checkpointMaxDirty, n, maxBatchBytes, segmentBytes, maxUnapplied, mmap);
  }

  public StoreOptions withMaxBatchBytes(int n) {
    return new StoreOptions(checkpointIntervalMs, checkpointMaxDirty, maxBatchWrites, n, segmentBytes, maxUnapplied, mmap);
  }

  public StoreOptions withSegmentBytes(long n) {
    return new StoreOptions(checkpointIntervalMs, checkpointMaxDirty, maxBatchWrites, maxBatchBytes, n, maxUnapplied, mmap);
  }

  public StoreOptions withMaxUnapplied(int n) {
    return new StoreOptions(checkpointIntervalMs, checkpointMaxDirty, maxBatchWrites, maxBatchBytes, segmentBytes, n, mmap);
  }

  public StoreOptions withMmap(boolean on) {
    return new StoreOptions(checkpointIntervalMs, checkpointMaxDirty, maxBatchWrites, maxBatchBytes, segmentBytes,
        maxUnapplied, on);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("checkpointIntervalMs", checkpointIntervalMs)
        .put("checkpointMaxDirty", checkpointMaxDirty)
        .put("maxBatchWrites", maxBatchWrites)
        .put("maxBatchBytes", maxBatchBytes)
        .put("segmentBytes", segmentBytes)
        .put("maxUnapplied", maxUnapplied)
        .put("mmap", mmap);
  }
}
