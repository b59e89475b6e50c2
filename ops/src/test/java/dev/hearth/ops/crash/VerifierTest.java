package dev.hearth.ops.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.module.change.ChangeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each check of the verifier fires on a store doctored to fail it, and stays quiet on a sound one. */
class VerifierTest {

  private final FakeStore store = new FakeStore();
  private final Histories histories = new Histories(store);
  private final Model model = new Model();
  private final Set<Long> lost = new HashSet<>();

  private Findings verify() {
    Findings f = new Findings();
    new Verifier(store, model, f, lost).verify(new ArrayList<>(histories.runs), Duration.ofSeconds(1));
    histories.runs.clear();
    return f;
  }

  private void writeSomeRuns() {
    for (int w = 0; w < 3; w++) {
      histories.run(1, w, 60, w % 2 == 0);
    }
  }

  @Test
  void sound_store_passes_and_in_flight_writes_are_decided_by_the_log() {
    writeSomeRuns();
    Findings f = verify();
    assertThat(f.details()).isEmpty();
    assertThat(model.inFlight()).isEqualTo(3);
    for (int w = 0; w < 3; w++) {
      histories.run(2, w, 40, w == 1);
    }
    assertThat(verify().details()).isEmpty();
    assertThat(lost).isEmpty();
    assertThat(model.ackedWrites()).isGreaterThan(250);
  }

  @Test
  void acknowledged_write_missing_everywhere_is_a_lost_ack() {
    writeSomeRuns();
    WriteOp victim = histories.acked.get(10);
    List<ChangeEvent> kept = new ArrayList<>();
    for (ChangeEvent e : store.log) {
      if (!e.actor().equals(victim.tag().actor())) {
        kept.add(renumber(e, kept.size() + 1));
      }
    }
    store.log.clear();
    store.log.addAll(kept);
    rebuildDataAndViewFromLog();

    Findings f = verify();
    assertThat(f.count(Kind.LOST_ACK)).isGreaterThanOrEqualTo(1);
    assertThat(lost).contains(victim.tag().id());
  }

  @Test
  void acknowledged_write_missing_from_the_data_only_is_a_lost_ack_and_a_log_mismatch() {
    writeSomeRuns();
    Change victim = null;
    WriteOp owner = null;
    for (WriteOp op : histories.acked) {
      for (Change c : op.changes()) {
        if (!c.isDelete() && c.value().equals(store.collection(c.collection()).get(c.key()))) {
          victim = c;
          owner = op;
        }
      }
    }
    store.collection(victim.collection()).remove(victim.key());

    Findings f = verify();
    assertThat(f.count(Kind.LOST_ACK)).isEqualTo(1);
    assertThat(f.count(Kind.LOG_MISMATCH)).isEqualTo(1);
    assertThat(lost).containsExactly(owner.tag().id());
  }

  @Test
  void older_value_where_an_acknowledged_put_should_be_is_a_lost_ack() {
    writeSomeRuns();
    Map<String, List<Change>> puts = new HashMap<>();
    Map<Change, WriteOp> owners = new HashMap<>();
    for (WriteOp op : histories.acked) {
      for (Change c : op.changes()) {
        if (!c.isDelete()) {
          puts.computeIfAbsent(c.path(), k -> new ArrayList<>()).add(c);
          owners.put(c, op);
        }
      }
    }
    List<Change> twice = puts.values().stream()
        .filter(l -> l.size() >= 2)
        .filter(l -> l.get(l.size() - 1).value().equals(store.collection(l.get(0).collection()).get(l.get(0).key())))
        .findFirst().orElseThrow();
    Change older = twice.get(twice.size() - 2);
    store.collection(older.collection()).put(older.key(), older.value());

    Findings f = verify();
    assertThat(f.count(Kind.LOST_ACK)).isEqualTo(1);
    assertThat(lost).containsExactly(owners.get(twice.get(twice.size() - 1)).tag().id());
  }

  @Test
  void gap_in_the_sequence_is_reported() {
    writeSomeRuns();
    store.log.remove(store.log.size() / 2);
    Findings f = verify();
    assertThat(f.count(Kind.LOG_GAP)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void last_sequence_beyond_the_log_is_a_gap() {
    writeSomeRuns();
    store.lastSequenceOverride = store.lastSequence() + 3;
    assertThat(verify().count(Kind.LOG_GAP)).isEqualTo(1);
  }

  @Test
  void half_a_transaction_is_torn() {
    writeSomeRuns();
    Workload w = new Workload(7, 9, 1, 5);
    WriteOp multi;
    do {
      multi = w.next();
    } while (multi.changes().size() < 2 || multi.abort());
    store.commit(multi, 1);
    histories.runs.add(new RunHistory(1, 9, List.of(
        new RunHistory.Entry(multi.tag(), multi.changes(), false, RunHistory.Outcome.IN_FLIGHT))));
    Findings f = verify();
    assertThat(f.count(Kind.TORN_TX)).isEqualTo(1);
  }

  @Test
  void aborted_transaction_in_the_store_is_an_unexpected_write() {
    Workload w = new Workload(3, 4, 1, 5);
    List<RunHistory.Entry> entries = new ArrayList<>();
    boolean sawAbort = false;
    while (!sawAbort) {
      WriteOp op = w.next();
      store.commit(op); // the engine (wrongly) keeps the aborted transaction too
      sawAbort = op.abort();
      entries.add(new RunHistory.Entry(op.tag(), op.changes(), op.abort(),
          op.abort() ? RunHistory.Outcome.ABORTED : RunHistory.Outcome.ACKED));
    }
    histories.runs.add(new RunHistory(1, 4, entries));
    Findings f = verify();
    assertThat(f.count(Kind.UNEXPECTED_WRITE)).isEqualTo(1);
  }

  @Test
  void in_flight_write_found_durable_once_must_stay_durable() {
    writeSomeRuns();
    String actor = histories.runs.stream()
        .map(RunHistory::inFlight)
        .filter(e -> !e.abort() && e.tag().writer() != 1)
        .findFirst().orElseThrow().tag().actor();
    assertThat(verify().details()).isEmpty();
    assertThat(model.inFlightDurable()).isGreaterThanOrEqualTo(1);

    store.log.removeIf(e -> e.actor().equals(actor));
    List<ChangeEvent> renumbered = new ArrayList<>();
    for (ChangeEvent e : store.log) {
      renumbered.add(renumber(e, renumbered.size() + 1));
    }
    store.log.clear();
    store.log.addAll(renumbered);
    rebuildDataAndViewFromLog();
    Findings f = verify();
    assertThat(f.count(Kind.LOST_ACK)).isGreaterThanOrEqualTo(1);
    assertThat(lost).contains(Tag.parse(actor).id());
  }

  @Test
  void damaged_value_is_reported() {
    writeSomeRuns();
    var alpha = store.collection(Workload.ALPHA);
    String key = alpha.firstKey();
    alpha.put(key, alpha.get(key).replace("pad=", "pad=X"));
    assertThat(verify().count(Kind.PAYLOAD_CORRUPT)).isEqualTo(1);
  }

  @Test
  void value_under_another_key_is_reported() {
    writeSomeRuns();
    var events = store.collection(Workload.EVENTS);
    String a = events.firstKey();
    String b = events.higherKey(a);
    events.put(b, events.get(a));
    assertThat(verify().count(Kind.PAYLOAD_CORRUPT)).isEqualTo(1);
  }

  @Test
  void key_nobody_wrote_is_reported() {
    writeSomeRuns();
    String key = "w1-9999";
    store.collection(Workload.ALPHA).put(key, Payload.make(1, 1, 9999, Workload.ALPHA, key, 1, "x"));
    Findings f = verify();
    assertThat(f.count(Kind.STATE_MISMATCH)).isEqualTo(1);
    assertThat(f.count(Kind.LOG_MISMATCH)).isEqualTo(1);
  }

  @Test
  void unreadable_values_are_reported_as_such_not_as_lost() {
    writeSomeRuns();
    store.unreadableCollection = Workload.BETA;
    Findings f = verify();
    assertThat(f.count(Kind.DECRYPT_FAILED)).isGreaterThan(1);
    assertThat(f.count(Kind.LOST_ACK)).isZero();
    assertThat(lost).isEmpty();
  }

  @Test
  void collection_that_cannot_be_scanned_is_checked_key_by_key() {
    writeSomeRuns();
    store.unscannableCollection = Workload.ALPHA;
    var alpha = store.collection(Workload.ALPHA);
    String key = alpha.firstKey();
    alpha.put(key, alpha.get(key).replace("pad=", "pad=X"));
    Findings f = verify();
    assertThat(f.count(Kind.DECRYPT_FAILED)).isEqualTo(1);
    assertThat(f.count(Kind.PAYLOAD_CORRUPT)).isEqualTo(1);
    assertThat(f.count(Kind.LOST_ACK)).isZero();
  }

  @Test
  void writes_of_one_writer_out_of_order_are_reported() {
    writeSomeRuns();
    // Swap two single-event writes of writer 2 in the log.
    int i = -1;
    int j = -1;
    for (int k = 0; k < store.log.size(); k++) {
      Tag t = Tag.parse(store.log.get(k).actor());
      if (t.writer() == 2 && t.events() == 1) {
        if (i < 0) {
          i = k;
        } else {
          j = k;
          break;
        }
      }
    }
    ChangeEvent a = store.log.get(i);
    ChangeEvent b = store.log.get(j);
    store.log.set(i, renumber(b, a.sequence()));
    store.log.set(j, renumber(a, b.sequence()));
    assertThat(verify().count(Kind.ORDER)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void view_that_differs_from_a_rebuild_is_reported() {
    writeSomeRuns();
    store.view.map(CrashView.TOTALS.name()).put(Workload.ALPHA, "puts=1;deletes=0;live=1;sum=1;bad=0");
    assertThat(verify().count(Kind.VIEW_MISMATCH)).isEqualTo(1);
  }

  @Test
  void view_behind_the_log_is_reported() {
    writeSomeRuns();
    store.viewSequence -= 1;
    assertThat(verify().count(Kind.VIEW_MISMATCH)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void acknowledged_write_that_was_meant_to_throw_is_an_abort_committed() {
    writeSomeRuns();
    Workload w = new Workload(5, 6, 1, 5);
    WriteOp abort;
    do {
      abort = w.next();
    } while (!abort.abort());
    histories.runs.add(new RunHistory(1, 6, List.of(
        new RunHistory.Entry(abort.tag(), abort.changes(), true, RunHistory.Outcome.ACKED))));
    Findings f = verify();
    assertThat(f.count(Kind.ABORT_COMMITTED)).isEqualTo(1);
  }

  @Test
  void write_whose_future_failed_is_reported_as_write_failed() {
    writeSomeRuns();
    WriteOp failed = new Workload(5, 7, 1, 5).next();
    histories.runs.add(new RunHistory(1, 7, List.of(
        new RunHistory.Entry(failed.tag(), failed.changes(), false, RunHistory.Outcome.FAILED))));
    Findings f = verify();
    assertThat(f.count(Kind.WRITE_FAILED)).isEqualTo(1);
    assertThat(f.count(Kind.UNEXPECTED_WRITE)).isZero();
  }

  @Test
  void event_in_an_unknown_collection_or_of_another_store_is_log_corruption() {
    writeSomeRuns();
    ChangeEvent last = store.log.get(store.log.size() - 1);
    store.log.add(new ChangeEvent(last.sequence() + 1, LiveStore.STORE, "gamma", "k", ChangeEvent.Op.PUT,
        "v".getBytes(StandardCharsets.UTF_8), last.actor(), 0));
    store.log.add(new ChangeEvent(last.sequence() + 2, "other", "gamma", "k", ChangeEvent.Op.PUT,
        "v".getBytes(StandardCharsets.UTF_8), last.actor(), 0));
    assertThat(verify().count(Kind.LOG_CORRUPT)).isEqualTo(3);
  }

  @Test
  void point_read_that_disagrees_with_a_scan_is_a_read_mismatch() {
    writeSomeRuns();
    var alpha = store.collection(Workload.ALPHA);
    String a = alpha.firstKey();
    store.pointReads.put(Workload.ALPHA + "/" + a, null);
    Findings f = verify();
    assertThat(f.count(Kind.READ_MISMATCH)).isEqualTo(1);
    assertThat(f.details()).anySatisfy(d -> assertThat(d.toString()).contains(a));
  }

  @Test
  void view_that_never_catches_up_is_stuck() {
    writeSomeRuns();
    store.viewNeverCatchesUp = true;
    Findings f = verify();
    assertThat(f.count(Kind.VIEW_STUCK)).isEqualTo(1);
    assertThat(f.count(Kind.VIEW_MISMATCH)).isZero();
  }

  @Test
  void store_that_throws_where_it_should_not_is_a_verify_error() {
    writeSomeRuns();
    store.readLogFailure = new IllegalStateException("simulated: log unreadable");
    assertThat(verify().count(Kind.VERIFY_ERROR)).isEqualTo(1);

    store.readLogFailure = null;
    store.awaitViewFailure = new IllegalStateException("simulated: view registry gone");
    assertThat(verify().count(Kind.VERIFY_ERROR)).isEqualTo(1);
  }

  private void rebuildDataAndViewFromLog() {
    List<ChangeEvent> events = new ArrayList<>(store.log);
    store.data.clear();
    store.view.map(CrashView.TOTALS.name()).clear();
    store.view.map(CrashView.LIVE.name()).clear();
    CrashView fold = CrashView.detached();
    for (ChangeEvent e : events) {
      if (e.op() == ChangeEvent.Op.DELETE) {
        store.collection(e.collection()).remove(e.key());
      } else {
        store.collection(e.collection()).put(e.key(), new String(e.value(), StandardCharsets.UTF_8));
      }
      fold.apply(e, store.view);
    }
    store.viewSequence = events.isEmpty() ? 0 : events.get(events.size() - 1).sequence();
  }

  private static ChangeEvent renumber(ChangeEvent e, long sequence) {
    return new ChangeEvent(sequence, e.store(), e.collection(), e.key(), e.op(), e.value(), e.actor(), e.timeMicros());
  }
}
