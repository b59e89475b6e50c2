package dev.hearth.kernel.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Set;

/**
 * Tunables of webhook delivery, from the config file's {@code webhooks} section; every key is
 * optional.
 *
 * @param allowPrivateAddresses whether webhooks may target loopback, private, link-local and other
 *     internal addresses; off by default, so an org-admin cannot make the node call its own network
 *     (SSRF). Checked at creation for literal addresses and at every attempt against what the host
 *     name resolves to, and the request goes to the address that was checked.
 * @param minBackoffMillis the first retry's delay; each further retry doubles it, with jitter
 * @param maxBackoffMillis the longest delay between two attempts
 * @param disableAfterFailures failed attempts in a row after which a webhook may be disabled
 * @param disableAfterSeconds ...and for how long it must have been failing: both must hold
 * @param requestTimeoutMillis how long one attempt may take (connect, send, answer)
 * @param shellHooksDir the directory shell hooks' executables must be in; {@code null} (the
 *     default) turns shell hooks off
 */
public record WebhooksOptions(boolean allowPrivateAddresses, long minBackoffMillis, long maxBackoffMillis,
    int disableAfterFailures, long disableAfterSeconds, long requestTimeoutMillis, Path shellHooksDir) {

  static final Set<String> KEYS = Set.of("allowPrivateAddresses", "minBackoffMillis", "maxBackoffMillis",
      "disableAfterFailures", "disableAfterSeconds", "requestTimeoutMillis", "shellHooks");

  public WebhooksOptions {
    if (minBackoffMillis < 10 || maxBackoffMillis < minBackoffMillis) {
      throw new IllegalArgumentException("webhooks: minBackoffMillis must be at least 10 and maxBackoffMillis at least "
          + "minBackoffMillis (" + minBackoffMillis + ", " + maxBackoffMillis + ")");
    }
    if (disableAfterFailures < 1 || disableAfterSeconds < 0 || requestTimeoutMillis < 100) {
      throw new IllegalArgumentException("webhooks: disableAfterFailures must be at least 1, disableAfterSeconds at "
          + "least 0 and requestTimeoutMillis at least 100");
    }
  }

  public static WebhooksOptions defaults() {
    return from(new JsonObject());
  }

  /**
   * Reads the section; unknown keys and values of the wrong type are refused with a message that
   * names them.
   */
  public static WebhooksOptions from(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown webhooks setting '" + key + "'; known: " + KEYS);
      }
    }
    Path dir = null;
    Object shell = json.getValue("shellHooks");
    if (shell != null) {
      if (!(shell instanceof JsonObject s) || !s.fieldNames().stream().allMatch("dir"::equals)) {
        throw new IllegalArgumentException("webhooks.shellHooks must be {\"dir\": \"<directory of allowed executables>\"}");
      }
      String d = s.getString("dir");
      if (d != null && !d.isBlank()) dir = Path.of(d).toAbsolutePath().normalize();
    }
    try {
      return new WebhooksOptions(json.getBoolean("allowPrivateAddresses", false),
          json.getLong("minBackoffMillis", 1_000L), json.getLong("maxBackoffMillis", 300_000L),
          json.getInteger("disableAfterFailures", 20), json.getLong("disableAfterSeconds", 86_400L),
          json.getLong("requestTimeoutMillis", 10_000L), dir);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("webhooks: allowPrivateAddresses is true or false, the others whole numbers");
    }
  }
}
