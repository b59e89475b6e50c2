package dev.hearth.cluster;

import dev.hearth.kernel.spi.WriteGate;
import dev.hearth.module.ModuleException;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
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
  private volatile long ttlNanos;
  private final String retryAfter;

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
    if (h != null && h.valid(System.nanoTime())) return null;
    return new ModuleException(ModuleException.Code.UNAVAILABLE, "this process does not hold the lease of store '"
        + store + "' now (another process owns it, or none does yet)").detail("retryAfterSeconds", retryAfter);
  }

  /** Whether this process may write {@code store} now. */
  boolean owns(String store) {
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
        if (h == null) log.info("process {} took the lease of store {} (revision {})", processId, store, revision);
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
    if (held.remove(store, h)) log.warn("process {} lost the lease of store {} and stopped writing it: {}", processId, store, why);
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

  private byte[] value() {
    return new JsonObject().put("holder", processId).put("renewedAt", clock.millis()).encode()
        .getBytes(StandardCharsets.UTF_8);
  }
}
