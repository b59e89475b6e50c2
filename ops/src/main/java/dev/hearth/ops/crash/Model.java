package dev.hearth.ops.crash;

import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What the store must hold, built from the ack files of every run so far: for each key the last
 * write that must have reached it, and for each writer of each run which of its operations must be
 * in the log ({@code expected}) and which must never be ({@code forbidden}).
 *
 * <p>A write in flight at a kill is allowed either way; the log decides (it is there whole, or not
 * at all), and from then on that decision is as binding as an acknowledgement.
 */
final class Model {

  /** The state a key must be in: its value's digest ({@code null}: deleted) and the write that set it. */
  record KeyState(String digest, long order, long opId) {}

  /** One writer of one run. */
  static final class Ledger {
    final int run;
    final int writer;
    final BitSet expected = new BitSet();
    final BitSet forbidden = new BitSet();
    int lastOp;

    Ledger(int run, int writer) {
      this.run = run;
      this.writer = writer;
    }
  }

  private final Map<String, KeyState> keys = new HashMap<>();
  private final Map<Long, Ledger> ledgers = new TreeMap<>();
  private long ackedWrites;
  private long inFlight;
  private long inFlightDurable;

  /**
   * Adds one writer's history of one run, deciding its write in flight with {@code inLog}.
   * Histories of one writer must be applied in run order.
   */
  void apply(RunHistory history, Predicate<Tag> inLog, Findings findings) {
    Ledger ledger = ledgers.computeIfAbsent(key(history.run(), history.writer()),
        k -> new Ledger(history.run(), history.writer()));
    for (RunHistory.Entry e : history.entries()) {
      int op = e.tag().op();
      ledger.lastOp = Math.max(ledger.lastOp, op);
      switch (e.outcome()) {
        case ACKED -> {
          ackedWrites++;
          if (e.abort()) {
            findings.add(Kind.ABORT_COMMITTED, e.tag() + " threw inside its transaction but was acknowledged");
          }
          ledger.expected.set(op);
          applyChanges(e);
        }
        case FAILED -> {
          findings.add(Kind.WRITE_FAILED, e.tag() + " failed although it did not throw (see the child's log)");
          ledger.forbidden.set(op);
        }
        case ABORTED -> ledger.forbidden.set(op);
        case IN_FLIGHT -> {
          inFlight++;
          if (!e.abort() && inLog.test(e.tag())) {
            inFlightDurable++;
            ledger.expected.set(op);
            applyChanges(e);
          } else {
            ledger.forbidden.set(op);
          }
        }
      }
    }
  }

  private void applyChanges(RunHistory.Entry e) {
    long order = Tag.order(e.tag().run(), e.tag().op());
    for (Change c : e.changes()) {
      keys.put(c.path(), new KeyState(c.digest(), order, e.tag().id()));
    }
  }

  /** Every key ever written, with the state it must be in (deleted keys included). */
  Map<String, KeyState> keys() {
    return keys;
  }

  Collection<Ledger> ledgers() {
    return ledgers.values();
  }

  /** The ledger of one writer of one run, or {@code null} when it never began a write. */
  Ledger ledger(int run, int writer) {
    return ledgers.get(key(run, writer));
  }

  long ackedWrites() {
    return ackedWrites;
  }

  long inFlight() {
    return inFlight;
  }

  long inFlightDurable() {
    return inFlightDurable;
  }

  static long key(int run, int writer) {
    return ((long) run << 16) | writer;
  }
}
