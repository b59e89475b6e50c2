package dev.hearth.kernel.spi;

/** What {@link HearthStore#applyReplica} did with a replicated transaction. */
public enum ReplicaOutcome {
  /** Written, and the chain's cursor moved to its last sequence in the same transaction. */
  APPLIED,
  /** Already applied (its first sequence is at or before the cursor): nothing written. */
  DUPLICATE,
  /** It chains from a sequence after the cursor, so one before it is missing: nothing written. */
  OUT_OF_ORDER
}
