package dev.hearth.cluster;

import dev.hearth.kernel.spi.InvalidOptionException;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The {@code cluster.snapshots} section (docs/cluster.md, "Snapshots and trimming"): when a store's
 * owner writes a snapshot of the store into the object store bucket {@link Snapshots#BUCKET}, and how
 * much of its replicated stream it keeps below the newest one.
 *
 * @param everyMessages a snapshot once the stream holds this many messages after the newest one; 0: never by count
 * @param everyBytes a snapshot once the frames taken in since the newest one hold this many bytes; 0: never by size
 * @param keepMessages how many messages the stream keeps below the newest snapshot's sequence when it is
 *     trimmed (a replica that far behind goes on from the stream, without a restore)
 */
public record SnapshotOptions(long everyMessages, long everyBytes, long keepMessages) {

  /** The defaults: a snapshot every 10,000 messages or 64 MiB of frames, 1,000 messages kept below it. */
  public static final SnapshotOptions DEFAULTS = new SnapshotOptions(10_000, 64L << 20, 1_000);
  private static final Set<String> KEYS = Set.of("everyMessages", "everyBytes", "keepMessages");

  /** Whether snapshots are written (and streams trimmed) at all. */
  public boolean enabled() {
    return everyMessages > 0 || everyBytes > 0;
  }

  /** Reads {@code cluster.snapshots} (absent: the defaults); errors name the setting. */
  public static SnapshotOptions from(JsonObject cluster) {
    Object v = cluster.getValue("snapshots");
    if (v == null) return DEFAULTS;
    if (!(v instanceof JsonObject json)) {
      throw new InvalidOptionException("cluster.snapshots", "must be an object (everyMessages, everyBytes, keepMessages)");
    }
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new InvalidOptionException("cluster.snapshots", "unknown setting '" + key + "'; known: "
            + KEYS.stream().sorted().toList());
      }
    }
    return new SnapshotOptions(number(json, "everyMessages", DEFAULTS.everyMessages, 0, 100_000_000L),
        number(json, "everyBytes", DEFAULTS.everyBytes, 0, 1L << 40),
        number(json, "keepMessages", DEFAULTS.keepMessages, 0, 100_000_000L));
  }

  private static long number(JsonObject json, String key, long dflt, long min, long max) {
    Object v = json.getValue(key);
    if (v == null) return dflt;
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min || ((Number) v).longValue() > max) {
      throw new InvalidOptionException("cluster.snapshots." + key, "'" + v + "' must be a whole number from " + min
          + " to " + max);
    }
    return ((Number) v).longValue();
  }
}
