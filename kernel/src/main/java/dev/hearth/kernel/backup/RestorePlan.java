package dev.hearth.kernel.backup;

import dev.hearth.module.ModuleException;
import java.time.Instant;

/**
 * What to restore.
 *
 * @param backupId the backup to restore (with its chain); null for the newest
 * @param store only this store (its module's data), into an existing data directory; null for the
 *     whole node, into an empty one
 * @param toSequence stop after this sequence of {@code store} (needs {@code store}); 0 for the end
 *     of the backup
 * @param toTime stop after the last change made at or before this time, in every restored store;
 *     null for the end of the backup
 */
public record RestorePlan(String backupId, String store, long toSequence, Instant toTime) {

  public RestorePlan {
    if (toSequence < 0) {
      throw ModuleException.invalidArgument("--to-sequence must be positive, was " + toSequence);
    }
    if (toSequence > 0 && store == null) {
      throw ModuleException.invalidArgument(
          "--to-sequence needs --store: sequences are counted per store (use --to-time for the whole node)");
    }
    if (toSequence > 0 && toTime != null) {
      throw ModuleException.invalidArgument("give --to-sequence or --to-time, not both");
    }
  }

  boolean pointInTime() {
    return toSequence > 0 || toTime != null;
  }
}
