package dev.hearth.kernel.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Tunables of module installs, from the config file's {@code modules} section; every key is optional.
 *
 * @param maxArchiveBytes the largest module jar InstallModule takes
 */
public record ModulesOptions(long maxArchiveBytes) {

  /** The largest module jar InstallModule takes: 64 MiB. */
  public static final long DEFAULT_MAX_ARCHIVE_BYTES = 64L << 20;

  static final Set<String> KEYS = Set.of("maxArchiveBytes");

  public ModulesOptions {
    // Below 1 KiB nothing installs; above 1 GiB a base64 JSON body no longer fits a Java array.
    if (maxArchiveBytes < 1024 || maxArchiveBytes > 1L << 30) {
      throw new IllegalArgumentException("modules: maxArchiveBytes must be between 1024 and 1073741824 (1 GiB), not "
          + maxArchiveBytes);
    }
  }

  public static ModulesOptions defaults() {
    return from(new JsonObject());
  }

  /** Reads the section; an unknown key is refused by name. */
  public static ModulesOptions from(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) throw new IllegalArgumentException("unknown modules tunable '" + key + "'; known: " + KEYS);
    }
    return new ModulesOptions(json.getLong("maxArchiveBytes", DEFAULT_MAX_ARCHIVE_BYTES));
  }

  public JsonObject toJson() {
    return new JsonObject().put("maxArchiveBytes", maxArchiveBytes);
  }
}
