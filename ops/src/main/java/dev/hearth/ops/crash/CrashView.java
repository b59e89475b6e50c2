package dev.hearth.ops.crash;

import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.change.View;
import dev.hearth.module.change.ViewTx;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The view the harness keeps under crashes: per data collection, how many puts and deletes it saw,
 * how many keys are live and the sum of their amounts; plus a mirror of each live key's amount,
 * which it needs to know whether a put adds a key and what a delete takes away.
 *
 * <p>Counting puts and deletes catches an event applied twice or skipped; the live count and sum
 * catch a view that drifted from the data. The verifier recomputes the same fold over the whole
 * log in memory ({@link MemoryViewTx}) and compares.
 */
final class CrashView implements View {

  static final String NAME = "crash";
  static final CollectionSpec<String> TOTALS = CollectionSpec.of("view.crash.totals", Codec.utf8());
  static final CollectionSpec<String> LIVE = CollectionSpec.of("view.crash.live", Codec.utf8());

  private final Collection<String> totals;
  private final Collection<String> live;

  CrashView(Collection<String> totals, Collection<String> live) {
    this.totals = totals;
    this.live = live;
  }

  /** The view over a real store's collections. */
  static CrashView on(Store store) {
    return new CrashView(store.collection(TOTALS), store.collection(LIVE));
  }

  /** The same view over name-only collections, for folding into a {@link MemoryViewTx}. */
  static CrashView detached() {
    return new CrashView(new NamedCollection<>(TOTALS.name()), new NamedCollection<>(LIVE.name()));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<CollectionSpec<?>> collections() {
    return List.of(TOTALS, LIVE);
  }

  @Override
  public void apply(ChangeEvent event, ViewTx tx) {
    if (!Workload.COLLECTIONS.contains(event.collection())) {
      return;
    }
    String liveKey = event.collection() + "/" + event.key();
    Totals t = Totals.parse(tx.get(totals, event.collection()).orElse(null));
    Optional<String> previous = tx.get(live, liveKey);
    if (previous.isPresent()) {
      t.live--;
      t.sum -= Long.parseLong(previous.get());
    }
    if (event.op() == ChangeEvent.Op.PUT) {
      t.puts++;
      Long amount = Payload.amountOrNull(new String(event.value(), StandardCharsets.UTF_8));
      if (amount == null) {
        t.bad++;
        tx.delete(live, liveKey);
      } else {
        t.live++;
        t.sum += amount;
        tx.put(live, liveKey, Long.toString(amount));
      }
    } else {
      t.deletes++;
      tx.delete(live, liveKey);
    }
    tx.put(totals, event.collection(), t.toString());
  }

  /** One collection's counters, stored as {@code puts=..;deletes=..;live=..;sum=..;bad=..}. */
  static final class Totals {
    long puts;
    long deletes;
    long live;
    long sum;
    long bad;

    static Totals parse(String text) {
      Totals t = new Totals();
      if (text == null) {
        return t;
      }
      for (String kv : text.split(";")) {
        String[] p = kv.split("=", 2);
        long v = Long.parseLong(p[1]);
        switch (p[0]) {
          case "puts" -> t.puts = v;
          case "deletes" -> t.deletes = v;
          case "live" -> t.live = v;
          case "sum" -> t.sum = v;
          case "bad" -> t.bad = v;
          default -> throw new IllegalArgumentException("unknown counter " + p[0]);
        }
      }
      return t;
    }

    @Override
    public String toString() {
      return "puts=" + puts + ";deletes=" + deletes + ";live=" + live + ";sum=" + sum + ";bad=" + bad;
    }
  }
}
