package dev.hearth.ops.crash;

import java.time.Duration;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Checks a reopened store against the model after a kill: the log (via {@link LogFold}), then every
 * acknowledged write, then the collections against the model and the log, then the view against a
 * recomputation. Every failure goes to {@link Findings}; none is thrown.
 */
final class Verifier {

  private final Observed store;
  private final Model model;
  private final Findings findings;
  private final Set<Long> lost;

  /** @param lost collects the ids of acknowledged writes found missing, across cycles */
  Verifier(Observed store, Model model, Findings findings, Set<Long> lost) {
    this.store = store;
    this.model = model;
    this.findings = findings;
    this.lost = lost;
  }

  /** Adds the runs since the last verification to the model and checks the store; returns the log. */
  Optional<LogFold> verify(List<RunHistory> pending, Duration viewTimeout) {
    LogFold fold;
    try {
      fold = LogFold.read(store, findings);
    } catch (RuntimeException e) {
      findings.add(Kind.VERIFY_ERROR, "reading the change log threw", e);
      pending.stream().sorted(ORDER).forEach(h -> model.apply(h, t -> false, findings));
      return Optional.empty();
    }
    pending.stream().sorted(ORDER).forEach(h -> model.apply(h, fold::contains, findings));
    checkLedgers(fold);
    int firstPendingRun = pending.stream().mapToInt(RunHistory::run).min().orElse(Integer.MAX_VALUE);
    new DataCheck(store, model, findings, lost).run(fold, firstPendingRun);
    checkView(fold, viewTimeout);
    return Optional.of(fold);
  }

  private static final Comparator<RunHistory> ORDER =
      Comparator.comparingInt(RunHistory::run).thenComparingInt(RunHistory::writer);

  /** Every write that must be durable is in the log; nothing else is. */
  private void checkLedgers(LogFold fold) {
    Map<Long, BitSet> unclaimed = new HashMap<>(fold.seen);
    for (Model.Ledger l : model.ledgers()) {
      BitSet seen = Objects.requireNonNullElseGet(unclaimed.remove(Model.key(l.run, l.writer)), BitSet::new);
      BitSet missing = (BitSet) l.expected.clone();
      missing.andNot(seen);
      for (int op = missing.nextSetBit(0); op >= 0; op = missing.nextSetBit(op + 1)) {
        long id = OpId.of(l.run, l.writer, op);
        lost.add(id);
        findings.add(Kind.LOST_ACK, OpId.describe(id) + " must be durable (acknowledged, or found durable"
            + " after an earlier kill) but is not in the change log");
      }
      BitSet extra = (BitSet) seen.clone();
      extra.andNot(l.expected);
      for (int op = extra.nextSetBit(0); op >= 0; op = extra.nextSetBit(op + 1)) {
        String why = l.forbidden.get(op)
            ? "its write failed, threw, or was found not durable after an earlier kill"
            : "it was never submitted";
        findings.add(Kind.UNEXPECTED_WRITE, OpId.describe(OpId.of(l.run, l.writer, op)) + " is in the change log but " + why);
      }
    }
    unclaimed.forEach((k, ops) -> findings.add(Kind.UNEXPECTED_WRITE, "the change log holds " + ops.cardinality()
        + " writes of run " + (k >>> 16) + " writer " + (k & 0xffff) + ", which never began one"));
  }

  private void checkView(LogFold fold, Duration timeout) {
    long at;
    try {
      at = store.awaitView(fold.lastSequence, timeout);
    } catch (TimeoutException e) {
      findings.add(Kind.VIEW_STUCK, "the view did not reach sequence " + fold.lastSequence + " within " + timeout);
      return;
    } catch (RuntimeException e) {
      findings.add(Kind.VERIFY_ERROR, "waiting for the view threw", e);
      return;
    }
    if (at != fold.lastSequence) {
      findings.add(Kind.VIEW_MISMATCH, "the view is at sequence " + at + ", the log at " + fold.lastSequence);
    }
    compareView(CrashView.TOTALS.name(), fold.view.map(CrashView.TOTALS.name()));
    compareView(CrashView.LIVE.name(), fold.view.map(CrashView.LIVE.name()));
  }

  private void compareView(String collection, Map<String, Object> expected) {
    Map<String, Object> left = new HashMap<>(expected);
    try {
      Pages.forEach(store, collection, findings, e -> {
        Object want = left.remove(e.key());
        if (want == null) {
          findings.add(Kind.VIEW_MISMATCH, collection + "/" + e.key() + " = '" + e.value()
              + "' but recomputing the view from the log gives no such key");
        } else if (!want.equals(e.value())) {
          findings.add(Kind.VIEW_MISMATCH, collection + "/" + e.key() + " = '" + e.value()
              + "' but recomputing the view from the log gives '" + want + "'");
        }
      });
    } catch (RuntimeException e) {
      findings.add(Kind.DECRYPT_FAILED, "scanning view collection " + collection + " threw", e);
      return;
    }
    left.forEach((k, v) -> findings.add(Kind.VIEW_MISMATCH, collection + "/" + k
        + " is missing; recomputing the view from the log gives '" + v + "'"));
  }
}
