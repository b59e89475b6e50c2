package dev.hearth.kernel.store;

import static dev.hearth.kernel.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.change.View;
import dev.hearth.module.change.ViewHandle;
import dev.hearth.module.change.ViewTx;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViewTest {

  @TempDir Path tmp;

  static final CollectionSpec<String> NOTES = CollectionSpec.of("notes", Codec.utf8());
  static final CollectionSpec<String> COUNTS = CollectionSpec.of("view.counts.by-actor", Codec.utf8());

  /** Counts puts per actor; version decides whether it is rebuilt. */
  static final class CountView implements View {
    final int version;
    Collection<String> counts;

    CountView(int version) {
      this.version = version;
    }

    @Override
    public String name() {
      return "counts";
    }

    @Override
    public int version() {
      return version;
    }

    @Override
    public List<CollectionSpec<?>> collections() {
      return List.of(COUNTS);
    }

    @Override
    public void apply(ChangeEvent e, ViewTx tx) {
      if (e.op() == ChangeEvent.Op.PUT && e.collection().equals("notes")) {
        long n = tx.get(counts, e.actor()).map(Long::parseLong).orElse(0L) + (version == 1 ? 1 : 10);
        tx.put(counts, e.actor(), Long.toString(n));
      }
    }
  }

  private static ViewHandle register(HearthStore s, CountView v) {
    v.counts = s.collection(COUNTS);
    return s.registerView(v);
  }

  private static void write(HearthStore s, String actor, int n) {
    Collection<String> c = s.collection(NOTES);
    for (int i = 0; i < n; i++) {
      String k = actor + i + "-" + System.nanoTime();
      await(s.write(actor, tx -> {
        tx.put(c, k, "x");
        return null;
      }));
    }
  }

  @Test
  void view_foldsEveryEventOnce_acrossReopen_andCatchesUpOnEventsItMissed() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      write(s, "ann", 5); // before the view exists: caught up from the log
      ViewHandle h = register(s, new CountView(1));
      write(s, "ann", 3);
      write(s, "bob", 2);
      await(h.awaitSequence(s.lastSequence()));
      assertThat(s.collection(COUNTS).get("ann")).contains("8");
      assertThat(s.collection(COUNTS).get("bob")).contains("2");

      s = f.reopen();
      write(s, "bob", 4); // while the view is not registered
      ViewHandle again = register(s, new CountView(1));
      await(again.awaitSequence(s.lastSequence()));
      assertThat(s.collection(COUNTS).get("ann")).contains("8");
      assertThat(s.collection(COUNTS).get("bob")).contains("6");
    }
  }

  /** Records which events arrived together. */
  static final class BatchView implements View {
    final List<List<Long>> calls = new ArrayList<>();

    @Override
    public String name() {
      return "batches";
    }

    @Override
    public List<CollectionSpec<?>> collections() {
      return List.of();
    }

    @Override
    public void apply(ChangeEvent e, ViewTx tx) {
      calls.add(List.of(e.sequence()));
    }

    @Override
    public void applyAll(List<ChangeEvent> events, ViewTx tx) {
      calls.add(events.stream().map(ChangeEvent::sequence).toList());
    }
  }

  @Test
  void applyAll_getsTheEventsOfOneTransactionTogether_andTheLogItCatchesUpOnInOneCall() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      write(s, "ann", 3); // before the view exists: one stretch of the log
      BatchView v = new BatchView();
      ViewHandle h = s.registerView(v);
      await(h.awaitSequence(s.lastSequence()));
      Collection<String> c = s.collection(NOTES);
      await(s.write("bob", tx -> {
        tx.put(c, "a", "x");
        tx.put(c, "b", "x");
        tx.put(c, "c", "x");
        return null;
      }));
      await(h.awaitSequence(s.lastSequence()));
      assertThat(v.calls).containsExactly(List.of(1L, 2L, 3L), List.of(4L, 5L, 6L));
    }
  }

  @Test
  void newViewVersion_rebuildsTheViewFromTheLog() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      ViewHandle h = register(s, new CountView(1));
      write(s, "ann", 3);
      await(h.awaitSequence(s.lastSequence()));
      assertThat(s.collection(COUNTS).get("ann")).contains("3");
      s = f.reopen();
      ViewHandle v2 = register(s, new CountView(2));
      await(v2.awaitSequence(s.lastSequence()));
      assertThat(s.collection(COUNTS).get("ann")).contains("30");
    }
  }
}
