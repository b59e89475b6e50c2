package dev.hearth.ops.crash;

/** The kinds of failure the harness reports. Every one of them fails the cycle. */
enum Kind {
  /** Opening the store after a kill threw (in the verifier or in the next child). */
  STORE_OPEN_FAILED,
  /** A child died on its own, never got ready, or did not die from the SIGKILL. */
  CHILD_FAILED,
  /** A child reported a problem while running: a stalled write, a read that missed its own write. */
  CHILD_ERROR,
  /** A write's future failed although the transaction did not throw. */
  WRITE_FAILED,
  /** A transaction that threw was acknowledged. */
  ABORT_COMMITTED,
  /** An acknowledged write (or one found durable earlier) is missing from the log or the data. */
  LOST_ACK,
  /** The log or the data holds a write that was never acknowledged nor in flight, or was aborted. */
  UNEXPECTED_WRITE,
  /** Only part of a transaction's events are in the log, or they are not consecutive. */
  TORN_TX,
  /** One writer's writes are in the log out of the order in which they were acknowledged. */
  ORDER,
  /** The log's sequence numbers are not 1, 2, 3, ... lastSequence. */
  LOG_GAP,
  /** A log record is malformed: wrong store, unknown collection, foreign actor, bad payload. */
  LOG_CORRUPT,
  /** Folding the whole log does not give the collections' contents. */
  LOG_MISMATCH,
  /** A stored value differs from what the acknowledged writes say, or a key that should not exist does. */
  STATE_MISMATCH,
  /** A stored value decrypts but its payload is damaged or sits under another key. */
  PAYLOAD_CORRUPT,
  /** Reading a value threw. */
  DECRYPT_FAILED,
  /** A point read disagrees with a scan of the same key. */
  READ_MISMATCH,
  /** The view's collections differ from a recomputation over the log. */
  VIEW_MISMATCH,
  /** The view did not catch up with the log in time. */
  VIEW_STUCK,
  /** The verifier itself could not complete a step (the store threw where it should not). */
  VERIFY_ERROR,
  /** The harness's own records are unreadable. */
  HARNESS_ERROR
}
