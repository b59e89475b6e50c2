package dev.hearth.ops.crash;

import java.util.List;

/**
 * What one writer of one child run recorded in its ack file: each write it began, in order, with
 * what became of it. Only the last one can be {@link Outcome#IN_FLIGHT}.
 */
record RunHistory(int run, int writer, List<Entry> entries) {

  /** What became of a write as far as the writer knew when it was killed. */
  enum Outcome {
    /** The future completed: the write is durable and must survive. */
    ACKED,
    /** The future failed although the write did not throw: nothing of it may be stored. */
    FAILED,
    /** A deliberately throwing transaction failed as it should: nothing of it may be stored. */
    ABORTED,
    /** Submitted, no answer before the kill: it may or may not be durable, but whole if it is. */
    IN_FLIGHT
  }

  /** One write as recorded: its tag, its changes (digests only), and whether it was meant to throw. */
  record Entry(Tag tag, List<Change> changes, boolean abort, Outcome outcome) {}

  RunHistory {
    entries = List.copyOf(entries);
  }

  long acked() {
    return entries.stream().filter(e -> e.outcome() == Outcome.ACKED).count();
  }

  /** The write in flight at the kill, or {@code null}. */
  Entry inFlight() {
    if (entries.isEmpty()) {
      return null;
    }
    Entry last = entries.get(entries.size() - 1);
    return last.outcome() == Outcome.IN_FLIGHT ? last : null;
  }
}
