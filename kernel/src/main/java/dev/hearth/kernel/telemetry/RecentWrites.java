package dev.hearth.kernel.telemetry;

import io.opentelemetry.api.trace.SpanContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The span of each recent traced write, by store and change-event sequence: the CDC publisher
 * reads events from the change log, long after the call returned, and this is how its publish span
 * finds the write it belongs to. Bounded per store (the oldest go first): a publish that lags far
 * behind simply starts no span.
 */
final class RecentWrites {

  /** Per store; a publisher normally trails its store by a few events. */
  static final int MAX_PER_STORE = 8192;
  /** Sequences recorded per write (a huge transaction needs only its first few to be found). */
  static final int MAX_PER_WRITE = 64;

  private final Map<String, ConcurrentSkipListMap<Long, SpanContext>> byStore = new ConcurrentHashMap<>();

  void put(String store, long firstSeq, long lastSeq, SpanContext span) {
    ConcurrentSkipListMap<Long, SpanContext> m = byStore.computeIfAbsent(store, s -> new ConcurrentSkipListMap<>());
    for (long seq = firstSeq; seq <= lastSeq && seq < firstSeq + MAX_PER_WRITE; seq++) m.put(seq, span);
    while (m.size() > MAX_PER_STORE) m.pollFirstEntry();
  }

  /** The span of the first of {@code seqs} that a traced write made; {@code null} if none. */
  SpanContext find(String store, List<Long> seqs) {
    ConcurrentSkipListMap<Long, SpanContext> m = byStore.get(store);
    if (m == null) return null;
    for (Long seq : seqs) {
      SpanContext sc = m.get(seq);
      if (sc != null) return sc;
    }
    return null;
  }
}
