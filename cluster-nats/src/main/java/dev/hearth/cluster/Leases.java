package dev.hearth.cluster;

import dev.hearth.kernel.spi.WriteGate;
import dev.hearth.module.ModuleException;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per store: this process's leases in the {@code hearth-cluster-leases} bucket, and the
 * {@link WriteGate} that lets it write a store only while it can prove the lease is its own.
 *
 * <p>A lease is the bucket's key named like the store, holding {@code {holder, renewedAt}}. It is
 * taken with {@code create} (only when the key is absent) and renewed with {@code update} on the
 * revision last written (compare-and-set), so a holder that lost it cannot renew it. The bucket's
 * max age (its TTL) removes a key nobody renewed; only then can another process create it.
 *
 * <p>Fencing: before sending a take or renewal the holder reads its monotonic clock ({@code sent});
 * once the server acknowledged it, the store may be written until {@code sent + ttl - margin}. The
 * server stored the renewal no earlier than {@code sent}, so the key cannot expire before
 * {@code sent + ttl}: the holder stops writing at least {@code margin} before anyone else can take
 * the store (docs/cluster.md states the timing assumptions). Nothing is needed on the clock's side
 * but a comparison: a process paused (SIGSTOP, a long GC) past its deadline refuses every write
 * the moment it runs again, before its renewal thread has even woken.
 *
 * <p>Thread-safety: {@link #tick} runs on one thread; {@link #refusal} on any (the stores' writers).
 */
final class Leases implements WriteGate {

  static final String BUCKET = "hearth-cluster-leases";
  private static final Logger log = LoggerFactory.getLogger(Leases.class);

  /** A lease this process holds: the revision it last wrote, and until when it may write. */
  private record Held(long revision, long deadlineNanos) {
    boolean valid(long now) {
      return now - deadlineNanos < 0;
    }
  }

  private final ClusterOptions options;
  private final String processId;
  private final Clock clock;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  /** Stores being moved away ({@link Moves}): to whom, and until when the fence holds without a hand-over. */
  private final Map<String, Fence> fences = new ConcurrentHashMap<>();
  private volatile long ttlNanos;
  private final String retryAfter;
  /** Per store, how often this process took its lease (a take, or a hand-over adopted) and lost it: for metrics. */
  private final Map<String, LongAdder> taken = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> lost = new ConcurrentHashMap<>();

  Leases(ClusterOptions options, String processId, Clock clock) {
    this.options = options;
    this.processId = processId;
    this.clock = clock;
    this.ttlNanos = options.leaseTtl().toNanos();
    this.retryAfter = Long.toString(Math.max(1, (options.leaseTtl().toMillis() + 999) / 1000));
  }

  /**
   * The bucket's TTL decides when a key expires, whoever made the bucket: the holder's deadline is
   * reckoned from it (never from this process's own setting, should they differ).
   */
  void bucketTtl(Duration ttl) {
    if (!ttl.equals(options.leaseTtl())) {
      log.warn("bucket {} expires leases after {} ms, not leaseTtlMillis {}: using the bucket's", BUCKET,
          ttl.toMillis(), options.leaseTtl().toMillis());
    }
    this.ttlNanos = ttl.toNanos();
  }

  /** A planned move of a store in progress: its writes are refused until {@code untilNanos} or the hand-over. */
  private record Fence(String to, long untilNanos) {
    boolean valid(long now) {
      return now - untilNanos < 0;
    }
  }

  @Override
  public ModuleException refusal(String store) {
    if (!options.mayOwn(store)) {
      // A local kernel store (cluster.kernel: local) is each process's own.
      if (store.equals(ClusterOptions.KERNEL) && !options.sharedKernel()) return null;
      return new ModuleException(ModuleException.Code.UNAVAILABLE, "store '" + store + "' is not owned by this"
          + " process (cluster.owns); calls that write it are forwarded to its owner")
          .detail("retryAfterSeconds", retryAfter);
    }
    Held h = held.get(store);
    Fence f = fences.get(store);
    if (h != null && f != null && f.valid(System.nanoTime())) {
      return new ModuleException(ModuleException.Code.UNAVAILABLE, "store '" + store + "' is moving to process "
          + f.to() + " (hearth cluster move); retry shortly").detail("retryAfterSeconds", "1");
    }
    if (h != null && h.valid(System.nanoTime())) return null;
    return new ModuleException(ModuleException.Code.UNAVAILABLE, "this process does not hold the lease of store '"
        + store + "' now (another process owns it, or none does yet)").detail("retryAfterSeconds", retryAfter);
  }

  /** Whether this process may write {@code store} now (it holds the lease, and no move has fenced it). */
  boolean owns(String store) {
    Held h = held.get(store);
    long now = System.nanoTime();
    Fence f = fences.get(store);
    return h != null && h.valid(now) && (f == null || !f.valid(now));
  }

  /** Whether this process holds the lease of {@code store} now, fenced by a move or not. */
  boolean holds(String store) {
    Held h = held.get(store);
    return h != null && h.valid(System.nanoTime());
  }

  /** The stores it holds now, with the revision of each lease. */
  Map<String, Long> owned() {
    long now = System.nanoTime();
    Map<String, Long> out = new TreeMap<>();
    held.forEach((store, h) -> {
      if (h.valid(now)) out.put(store, h.revision());
    });
    return out;
  }

  /** Per store it holds, the seconds left before it must stop writing unless renewed (for metrics). */
  Map<String, Double> remainingSeconds() {
    long now = System.nanoTime();
    Map<String, Double> out = new TreeMap<>();
    held.forEach((store, h) -> {
      if (h.valid(now)) out.put(store, (h.deadlineNanos() - now) / 1e9);
    });
    return out;
  }

  /** Per store, how many times this process took its lease since it started. */
  Map<String, Long> takenCounts() {
    Map<String, Long> out = new TreeMap<>();
    taken.forEach((store, n) -> out.put(store, n.sum()));
    return out;
  }

  /** Per store, how many times this process lost (or stopped proving) its lease since it started; a hand-over is not counted. */
  Map<String, Long> lostCounts() {
    Map<String, Long> out = new TreeMap<>();
    lost.forEach((store, n) -> out.put(store, n.sum()));
    return out;
  }

  /**
   * One round: renews each lease held and tries to take each free store of {@code candidates}.
   * Blocking (one key-value request per store, bounded by the connection's request timeout).
   */
  void tick(KeyValue kv, Collection<String> candidates) {
    for (String store : candidates) {
      Held h = held.get(store);
      long sent = System.nanoTime();
      try {
        long revision = h == null ? kv.create(store, value()) : kv.update(store, value(), h.revision());
        held.put(store, new Held(revision, sent + ttlNanos - options.margin().toNanos()));
        if (h == null) {
          taken.computeIfAbsent(store, k -> new LongAdder()).increment();
          log.info("process {} took the lease of store {} (revision {})", processId, store, revision);
        }
      } catch (JetStreamApiException e) {
        // The key is not at our revision (or, for a take, exists): another process holds the store.
        if (h != null) lose(store, h, "another process holds it now (" + e.getApiErrorCode() + ")");
      } catch (IOException | RuntimeException e) {
        // NATS did not answer: keep writing until the deadline, which refusal() enforces on its own.
        if (h != null && !h.valid(System.nanoTime())) lose(store, h, "not renewed before its deadline: " + e.getMessage());
      }
    }
    long now = System.nanoTime();
    held.forEach((store, h) -> {
      if (!h.valid(now)) lose(store, h, "its deadline passed");
    });
  }

  private void lose(String store, Held h, String why) {
    if (held.remove(store, h)) {
      fences.remove(store);
      lost.computeIfAbsent(store, k -> new LongAdder()).increment();
      log.warn("process {} lost the lease of store {} and stopped writing it: {}", processId, store, why);
    }
  }

  /**
   * Gives up every lease on a clean stop: writes stop first, then each key still at our revision is
   * deleted so a standby need not wait for the TTL.
   */
  void release(KeyValue kv) {
    List<Map.Entry<String, Held>> mine = List.copyOf(held.entrySet());
    held.clear();
    for (Map.Entry<String, Held> e : mine) {
      try {
        kv.delete(e.getKey(), e.getValue().revision());
        log.info("process {} released the lease of store {}", processId, e.getKey());
      } catch (IOException | JetStreamApiException | RuntimeException ex) {
        log.warn("could not release the lease of store {} (it expires on its own): {}", e.getKey(), ex.getMessage());
      }
    }
  }

  /**
   * Stops writing {@code store} for a move to {@code to} (the lease is kept and renewed) until
   * {@code timeout} has passed or {@link #handOver}/{@link #unfence}; false when it does not hold it.
   */
  boolean fence(String store, String to, Duration timeout) {
    if (!holds(store)) return false;
    fences.put(store, new Fence(to, System.nanoTime() + timeout.toNanos()));
    log.info("process {} stopped writing store {}: it is moving to process {}", processId, store, to);
    return true;
  }

  /** Takes writes again after a move that did not happen. */
  void unfence(String store) {
    if (fences.remove(store) != null) log.info("process {} writes store {} again: the move did not happen", processId, store);
  }

  /**
   * Hands a fenced store's lease to {@code to} by compare-and-set on the revision this process last
   * wrote: the key then names {@code to} as holder, and this process stops being the holder at
   * once. Call on the rounds' thread. Returns the new revision.
   *
   * @throws ModuleException FAILED_PRECONDITION when this process does not hold it fenced for
   *     {@code to}; UNAVAILABLE when the bucket refused or did not answer
   */
  long handOver(KeyValue kv, String store, String to) {
    Held h = held.get(store);
    Fence f = fences.get(store);
    if (h == null || !h.valid(System.nanoTime()) || f == null || !f.to().equals(to)) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "process " + processId
          + " does not hold store '" + store + "' stopped for a move to " + to + " (any more)");
    }
    byte[] value = new JsonObject().put("holder", to).put("renewedAt", clock.millis()).put("movedFrom", processId)
        .encode().getBytes(StandardCharsets.UTF_8);
    try {
      long revision = kv.update(store, value, h.revision());
      held.remove(store, h);
      fences.remove(store);
      log.info("process {} handed the lease of store {} to process {} (revision {})", processId, store, to, revision);
      return revision;
    } catch (JetStreamApiException | IOException | RuntimeException e) {
      // Unknown whether it was stored: the fence stays (no writes) until it times out or the next renewal tells.
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "the lease of store '" + store
          + "' was not handed over: " + e.getMessage()).detail("retryAfterSeconds", retryAfter);
    }
  }

  /**
   * Takes a lease another process handed to this one at {@code revision}: renews it by compare-and-set
   * (so the deadline is reckoned, as for any renewal, from before this request). Call on the rounds'
   * thread. Returns the new revision.
   */
  long adopt(KeyValue kv, String store, long revision) {
    long sent = System.nanoTime();
    try {
      KeyValueEntry e = kv.get(store);
      String holder = e == null || e.getValue() == null ? null
          : new JsonObject(new String(e.getValue(), StandardCharsets.UTF_8)).getString("holder");
      if (e == null || e.getRevision() != revision || !processId.equals(holder)) {
        throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "the lease of store '" + store
            + "' is not the one handed to process " + processId + " at revision " + revision + " (any more)");
      }
      long renewed = kv.update(store, value(), revision);
      held.put(store, new Held(renewed, sent + ttlNanos - options.margin().toNanos()));
      taken.computeIfAbsent(store, k -> new LongAdder()).increment();
      log.info("process {} took over the lease of store {} handed to it (revision {})", processId, store, renewed);
      return renewed;
    } catch (JetStreamApiException | IOException e) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "process " + processId + " could not take the lease of"
          + " store '" + store + "' handed to it: " + e.getMessage()).detail("retryAfterSeconds", retryAfter);
    }
  }

  private byte[] value() {
    return new JsonObject().put("holder", processId).put("renewedAt", clock.millis()).encode()
        .getBytes(StandardCharsets.UTF_8);
  }
}
