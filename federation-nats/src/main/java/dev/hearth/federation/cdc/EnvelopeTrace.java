package dev.hearth.federation.cdc;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a CDC envelope's time goes, for benchmarks: the moment each envelope passed each {@link
 * Stage}, from the owner's commit of its first event to the replica's acknowledgement, in µs since
 * the epoch. Off unless the system property {@value #PROPERTY} is {@code true} or {@link #enable()}
 * was called (the federation bench's {@code --trace}); when off, a mark is one volatile read. Both
 * nodes must run in one process (as in {@code hearth bench federation}) for an envelope's row to hold
 * both sides. Not an API: the stages follow the code.
 */
public final class EnvelopeTrace {

  public static final String PROPERTY = "hearth.federation.trace";
  /** Envelopes kept at most; later ones are not traced. */
  private static final int MAX_ROWS = 1_000_000;

  /** In the order an envelope passes them. */
  public enum Stage {
    /** The owner's commit stamp of its first event. */
    COMMITTED,
    /** The owner's publisher got that event from the change log. */
    LOGGED,
    /** Sealed (encrypted and signed), about to be published. */
    SEALED,
    /** JetStream acknowledged the publish. */
    ACKED,
    /** The replica's reader got it from its pull. */
    ARRIVED,
    /** Handed to the replicator (with whatever else had arrived). */
    HANDED,
    /** Its checks (signature, key, header) are done. */
    CHECKED,
    /** Its replica transaction is committed. */
    APPLIED,
    /** Acknowledged to the owner's stream. */
    SETTLED
  }

  private static volatile boolean on = Boolean.getBoolean(PROPERTY);
  private static final Map<String, long[]> rows = new ConcurrentHashMap<>();

  private EnvelopeTrace() {}

  /** Starts tracing in this process. */
  public static void enable() {
    on = true;
  }

  public static boolean on() {
    return on;
  }

  /** An envelope's key: the message id's first part ({@code <origin>.<store>.<first seq>}). */
  public static String key(String origin, String store, long firstSeq) {
    return origin + "." + store + "." + firstSeq;
  }

  /** Marks {@code stage} now; only the first mark of a stage counts (a redelivery keeps the first arrival). */
  public static void mark(String key, Stage stage) {
    if (on) mark(key, stage, nowMicros());
  }

  public static void mark(String key, Stage stage, long micros) {
    if (!on || key == null) return;
    long[] row = rows.get(key);
    if (row == null) {
      if (rows.size() >= MAX_ROWS) return;
      row = rows.computeIfAbsent(key, k -> new long[Stage.values().length]);
    }
    synchronized (row) {
      if (row[stage.ordinal()] == 0) row[stage.ordinal()] = micros;
    }
  }

  /** A copy of every row: per envelope key, the µs of each stage by ordinal (0: not reached). */
  public static Map<String, long[]> rows() {
    Map<String, long[]> out = new HashMap<>();
    rows.forEach((k, row) -> {
      synchronized (row) {
        out.put(k, row.clone());
      }
    });
    return out;
  }

  public static long nowMicros() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }
}
