package dev.hearth.kernel.config;

import io.vertx.core.json.JsonObject;

/**
 * Tunables of a store. Defaults are what the benchmarks chose; see docs/benchmarks.md.
 */
public final class StoreOptions {

  public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 1000;
  public static final int DEFAULT_CHECKPOINT_MAX_DIRTY = 20_000;
  public static final int DEFAULT_MAX_BATCH_WRITES = 1024;
  public static final int DEFAULT_MAX_BATCH_BYTES = 4 << 20;
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  /** About 1.2 KiB of heap per 1 KiB value: ~240 MiB at most for bursts the applier has not reached. */
  public static final int DEFAULT_MAX_UNAPPLIED = 200_000;

  private long checkpointIntervalMs = DEFAULT_CHECKPOINT_INTERVAL_MS;
  private int checkpointMaxDirty = DEFAULT_CHECKPOINT_MAX_DIRTY;
  private int maxBatchWrites = DEFAULT_MAX_BATCH_WRITES;
  private int maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
  private long segmentBytes = DEFAULT_SEGMENT_BYTES;
  private int maxUnapplied = DEFAULT_MAX_UNAPPLIED;
  private boolean mmap = true;

  public StoreOptions() {}

  public StoreOptions(JsonObject json) {
    this();
    checkpointIntervalMs = json.getLong("checkpointIntervalMs", checkpointIntervalMs);
    checkpointMaxDirty = json.getInteger("checkpointMaxDirty", checkpointMaxDirty);
    maxBatchWrites = json.getInteger("maxBatchWrites", maxBatchWrites);
    maxBatchBytes = json.getInteger("maxBatchBytes", maxBatchBytes);
    segmentBytes = json.getLong("segmentBytes", segmentBytes);
    maxUnapplied = json.getInteger("maxUnapplied", maxUnapplied);
    mmap = json.getBoolean("mmap", mmap);
  }

  /** How often the MapDB file is committed as a checkpoint. */
  public long getCheckpointIntervalMs() {
    return checkpointIntervalMs;
  }

  public StoreOptions setCheckpointIntervalMs(long ms) {
    this.checkpointIntervalMs = ms;
    return this;
  }

  /** A checkpoint is taken early once this many records are dirty, to keep each one short. */
  public int getCheckpointMaxDirty() {
    return checkpointMaxDirty;
  }

  public StoreOptions setCheckpointMaxDirty(int n) {
    this.checkpointMaxDirty = n;
    return this;
  }

  public int getMaxBatchWrites() {
    return maxBatchWrites;
  }

  public StoreOptions setMaxBatchWrites(int n) {
    this.maxBatchWrites = n;
    return this;
  }

  public int getMaxBatchBytes() {
    return maxBatchBytes;
  }

  public StoreOptions setMaxBatchBytes(int n) {
    this.maxBatchBytes = n;
    return this;
  }

  /** Size at which the change log starts a new segment file. */
  public long getSegmentBytes() {
    return segmentBytes;
  }

  public StoreOptions setSegmentBytes(long n) {
    this.segmentBytes = n;
    return this;
  }

  /** Durable writes not yet applied to MapDB before writers are held back. */
  public int getMaxUnapplied() {
    return maxUnapplied;
  }

  public StoreOptions setMaxUnapplied(int n) {
    this.maxUnapplied = n;
    return this;
  }

  /** Whether MapDB memory-maps its file (faster reads) or uses a FileChannel. */
  public boolean isMmap() {
    return mmap;
  }

  public StoreOptions setMmap(boolean mmap) {
    this.mmap = mmap;
    return this;
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
