package dev.hearth.kernel.config;

import io.vertx.core.json.JsonObject;

/** Tunables of module installs, from the config file's {@code modules} section; every key is optional. */
public final class ModulesOptions {

  /** The largest module jar InstallModule takes: 64 MiB. */
  public static final long DEFAULT_MAX_ARCHIVE_BYTES = 64L << 20;

  private final long maxArchiveBytes;

  public ModulesOptions() {
    this(new JsonObject());
  }

  public ModulesOptions(JsonObject json) {
    maxArchiveBytes = json.getLong("maxArchiveBytes", DEFAULT_MAX_ARCHIVE_BYTES);
    // Below 1 KiB nothing installs; above 1 GiB a base64 JSON body no longer fits a Java array.
    if (maxArchiveBytes < 1024 || maxArchiveBytes > 1L << 30) {
      throw new IllegalArgumentException("modules: maxArchiveBytes must be between 1024 and 1073741824 (1 GiB), not "
          + maxArchiveBytes);
    }
  }

  public long maxArchiveBytes() {
    return maxArchiveBytes;
  }

  public JsonObject toJson() {
    return new JsonObject().put("maxArchiveBytes", maxArchiveBytes);
  }
}
