package dev.hearth.ops.crash;

import java.util.ArrayList;
import java.util.List;

/** Builds what a child run would have recorded, while committing its writes to a {@link FakeStore}. */
final class Histories {

  private final FakeStore store;
  final List<RunHistory> runs = new ArrayList<>();
  final List<WriteOp> acked = new ArrayList<>();

  Histories(FakeStore store) {
    this.store = store;
  }

  /**
   * One writer of one run: {@code writes} operations, acknowledged (or aborted, as the workload
   * wants), the last one left in flight and committed when {@code inFlightDurable}.
   */
  RunHistory run(int run, int writer, int writes, boolean inFlightDurable) {
    Workload workload = new Workload(42, writer, run, 5);
    List<RunHistory.Entry> entries = new ArrayList<>();
    for (int i = 0; i < writes; i++) {
      WriteOp op = workload.next();
      boolean last = i == writes - 1;
      RunHistory.Outcome outcome;
      if (last) {
        outcome = RunHistory.Outcome.IN_FLIGHT;
        if (inFlightDurable && !op.abort()) {
          store.commit(op);
        }
      } else if (op.abort()) {
        outcome = RunHistory.Outcome.ABORTED;
      } else {
        outcome = RunHistory.Outcome.ACKED;
        store.commit(op);
        acked.add(op);
      }
      entries.add(new RunHistory.Entry(op.tag(), op.changes(), op.abort(), outcome));
    }
    RunHistory h = new RunHistory(run, writer, entries);
    runs.add(h);
    return h;
  }
}
