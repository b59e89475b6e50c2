package dev.hearth.kernel.metrics;

import dev.hearth.kernel.store.CommitListener;
import dev.hearth.kernel.store.HearthStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per store ({@code store} label: {@code kernel}, a module id, {@code um-<id>}): commits, change
 * events and group-commit time as they happen; last sequence, bytes on disk and each view's lag
 * read at scrape time.
 */
final class StoreMetrics implements CommitListener {

  private record PerStore(Counter commits, Counter events, Timer duration) {}

  private final MeterRegistry registry;
  private final Map<String, PerStore> perStore = new ConcurrentHashMap<>();
  private final MultiGauge lastSequence;
  private final MultiGauge diskBytes;
  private final MultiGauge viewLag;

  StoreMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.lastSequence = MultiGauge.builder("hearth.store.last.sequence")
        .description("Sequence of the newest durable change event in the store's change log").register(registry);
    this.diskBytes = MultiGauge.builder("hearth.store.disk").baseUnit("bytes")
        .description("Bytes of the store's files: MapDB state, change-log segments (preallocated), damaged copies")
        .register(registry);
    this.viewLag = MultiGauge.builder("hearth.store.view.lag").baseUnit("events")
        .description("Change events of the store a view has not folded in yet (last sequence minus the view's)")
        .register(registry);
  }

  @Override
  public void committed(String store, int transactions, int events, long nanos) {
    PerStore m = perStore.computeIfAbsent(store, s -> new PerStore(
        Counter.builder("hearth.store.commits").description("Write transactions made durable in the store's change log")
            .tag("store", s).register(registry),
        Counter.builder("hearth.store.events").description("Change events appended to the store's change log")
            .tag("store", s).register(registry),
        Timer.builder("hearth.store.commit.duration")
            .description("One group commit: running its transactions, appending them to the change log, one fsync")
            .tag("store", s).serviceLevelObjectives(Buckets.LATENCY).register(registry)));
    m.commits().increment(transactions);
    m.events().increment(events);
    m.duration().record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Blocking: sizes each store's directory. A closed store (a stopped module's) loses its gauges. */
  void refresh(List<HearthStore> open) {
    List<MultiGauge.Row<?>> seq = new ArrayList<>();
    List<MultiGauge.Row<?>> disk = new ArrayList<>();
    List<MultiGauge.Row<?>> lag = new ArrayList<>();
    for (HearthStore s : open) {
      long last = s.lastSequence();
      seq.add(MultiGauge.Row.of(Tags.of("store", s.name()), last));
      disk.add(MultiGauge.Row.of(Tags.of("store", s.name()), s.diskBytes()));
      s.viewSequences().forEach((view, at) ->
          lag.add(MultiGauge.Row.of(Tags.of("store", s.name(), "view", view), Math.max(0, last - at))));
    }
    lastSequence.register(seq, true);
    diskBytes.register(disk, true);
    viewLag.register(lag, true);
  }
}
