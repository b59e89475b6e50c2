package dev.hearth.ops.bench.federation;

import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.change.Subscription;
import dev.hearth.module.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Watches the chat store on both nodes, in process: on the owner (a) every new chat message of the
 * shared project, with the owner's commit time ({@link ChangeEvent#timeMicros()}) and the phase the
 * bench was in when it saw it; on the replica (b) every message applied from the owner (actor
 * {@code fed:<owner>}), with the time b's subscriber got it (the replica write is durable and visible
 * to b's own subscribers then) and b's own commit stamp. {@link #lags} joins them by key.
 *
 * <p>Each node's store delivers its events on a subscription thread of its own, in order; this class
 * only records, the joins are made after a phase.
 */
final class ReplicationWatch implements AutoCloseable {

  static final String MESSAGES = "messages";

  /** What the owner wrote: the phase and its commit time (µs since the epoch). */
  record Written(String phase, long ownerMicros) {}

  /** What the replica applied: when b's subscriber got it and b's store stamp (µs since the epoch). */
  record Applied(long receivedMicros, long replicaMicros) {}

  private final String project;
  private final String replicaActor;
  private volatile String phase = "setup";
  private final Map<String, Written> written = new ConcurrentHashMap<>();
  private final Map<String, Applied> applied = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> writtenByPhase = new ConcurrentHashMap<>();
  /** Messages seen on both nodes, by the owner's phase: counted once per key, whichever side saw it last. */
  private final Map<String, Boolean> joined = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> appliedByPhase = new ConcurrentHashMap<>();
  private final AtomicLong appliedCount = new AtomicLong();
  private final AtomicLong replicaEvents = new AtomicLong();
  private final Subscription onOwner;
  private final Subscription onReplica;

  ReplicationWatch(Store owner, Store replica, String project, String ownerNodeId) {
    this.project = project;
    this.replicaActor = "fed:" + ownerNodeId;
    this.onOwner = owner.subscribe(owner.lastSequence(), this::onOwnerEvent);
    this.onReplica = replica.subscribe(replica.lastSequence(), this::onReplicaEvent);
  }

  /** Tags the owner's messages seen from now on. */
  void phase(String name) {
    this.phase = name;
  }

  private void onOwnerEvent(ChangeEvent e) {
    if (!isMessage(e) || !project.equals(e.scope())) return;
    String p = phase;
    Written w = new Written(p, e.timeMicros());
    written.put(e.key(), w);
    writtenByPhase.computeIfAbsent(p, k -> new AtomicLong()).incrementAndGet();
    if (applied.containsKey(e.key())) joined(e.key(), w);
  }

  private void onReplicaEvent(ChangeEvent e) {
    long now = nowMicros();
    if (!replicaActor.equals(e.actor())) return;
    replicaEvents.incrementAndGet();
    if (!isMessage(e)) return;
    if (applied.putIfAbsent(e.key(), new Applied(now, e.timeMicros())) == null) appliedCount.incrementAndGet();
    Written w = written.get(e.key());
    if (w != null) joined(e.key(), w);
  }

  /**
   * Counts a message seen on both nodes once. Each side records its own map first and then looks at
   * the other's, so at least one of the two threads finds both; the put-if-absent keeps it to one.
   */
  private void joined(String key, Written w) {
    if (joined.putIfAbsent(key, Boolean.TRUE) == null) {
      appliedByPhase.computeIfAbsent(w.phase(), k -> new AtomicLong()).incrementAndGet();
    }
  }

  private static boolean isMessage(ChangeEvent e) {
    return e.op() == ChangeEvent.Op.PUT && MESSAGES.equals(e.collection());
  }

  /** The owner's new messages seen in {@code phase} so far. */
  long written(String phase) {
    AtomicLong n = writtenByPhase.get(phase);
    return n == null ? 0 : n.get();
  }

  /** Distinct messages the replica applied so far (all phases). */
  long applied() {
    return appliedCount.get();
  }

  /** Every event the replica applied from the owner (messages and anything else). */
  long replicaEvents() {
    return replicaEvents.get();
  }

  /**
   * How many of {@code phase}'s messages the replica holds. A counter, not a scan of every message
   * written: the catch-up polls it every 250 ms, and scanning 100,000 keys each time took ~14% of the
   * bench process's CPU samples while b was catching up (JFR, 2026-12-07), CPU b's replica did not get.
   */
  long appliedOf(String phase) {
    AtomicLong n = appliedByPhase.get(phase);
    return n == null ? 0 : n.get();
  }

  /** One phase joined: lag per message (µs) and the replica's receipt times, sorted. */
  record Joined(long written, long applied, Histogram lagMicros, Histogram stampLagMicros, long[] receivedMicros,
      long[] ownerMicros) {}

  Joined join(String phase) {
    Histogram lag = new Histogram(3_600_000_000L, 3);
    Histogram stamp = new Histogram(3_600_000_000L, 3);
    List<long[]> pairs = new ArrayList<>();
    long n = 0;
    for (var e : written.entrySet()) {
      if (!e.getValue().phase().equals(phase)) continue;
      n++;
      Applied a = applied.get(e.getKey());
      if (a == null) continue;
      long owner = e.getValue().ownerMicros();
      lag.recordValue(clamp(a.receivedMicros() - owner));
      stamp.recordValue(clamp(a.replicaMicros() - owner));
      pairs.add(new long[] {a.receivedMicros(), owner});
    }
    pairs.sort((x, y) -> Long.compare(x[0], y[0]));
    long[] received = new long[pairs.size()];
    long[] owner = new long[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      received[i] = pairs.get(i)[0];
      owner[i] = pairs.get(i)[1];
    }
    return new Joined(n, pairs.size(), lag, stamp, received, owner);
  }

  private static long clamp(long micros) {
    // Both stamps come from this machine's clock; the owner's has millisecond resolution, so a
    // replica can look up to 1 ms "early". Such lags are recorded as 1 µs.
    return Math.max(1, Math.min(3_600_000_000L, micros));
  }

  static long nowMicros() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  @Override
  public void close() {
    onOwner.close();
    onReplica.close();
  }
}
