package dev.hearth.federation;

import dev.hearth.kernel.spi.InvalidOptionException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;

/**
 * The config file's {@code federation} section. Federation is on when {@code natsUrl} is set (also
 * {@code HEARTH_NATS_URL}); everything else has a default.
 *
 * @param natsUrl this node's own NATS server (JetStream on), e.g. {@code nats://127.0.0.1:4222}
 * @param nodeId this node's id among linked nodes, a NATS subject token; default: made once and kept in
 *     {@code <data>/federation/node-id}
 * @param jsDomain the JetStream domain of this node's NATS server ({@code jetstream { domain: … }});
 *     linked nodes reach this node's streams through it. Default: the node id
 * @param publicUrl the URL other nodes' admins reach this node's API on, put into link tokens;
 *     default {@code http://<host>:<port>} of this node
 * @param publishWindow unacknowledged publishes per store
 * @param forwardTimeout how long a remote user's write waits for the owner's answer before it answers
 *     UNAVAILABLE (the write stays queued and happens when the owner is back)
 * @param requestExpiry how long a queued write stays valid: this node stamps each write it forwards
 *     with its clock + this, and the owner refuses (FAILED_PRECONDITION) one it reads after the stamp
 * @param gapTimeout how long a replica waits for a missing event before it asks for a snapshot
 * @param autoAcceptShares accept every project a linked org offers without an admin's AcceptShare
 * @param cdcRetention how long this node's change-event stream keeps events for linked nodes; a node
 *     away longer catches up with a snapshot
 * @param cdcMaxMessages at most this many events in that stream (oldest dropped first), 0 = no limit
 */
public record FederationOptions(String natsUrl, String nodeId, String jsDomain, String publicUrl, int publishWindow,
    Duration forwardTimeout, Duration requestExpiry, Duration gapTimeout, boolean autoAcceptShares,
    Duration cdcRetention, long cdcMaxMessages) {

  private static final Set<String> KEYS = Set.of("natsUrl", "nodeId", "jsDomain", "publicUrl", "publishWindow",
      "forwardTimeoutSeconds", "requestExpiryHours", "gapTimeoutSeconds", "autoAcceptShares",
      "cdcRetentionHours", "cdcMaxMessages");
  private static final String TOKEN = "[A-Za-z0-9_-]{1,64}";

  /** Reads the section; errors name the setting. */
  public static FederationOptions from(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new InvalidOptionException("federation", "unknown setting '" + key + "'; known: " + KEYS);
      }
    }
    String nodeId = string(json, "nodeId");
    if (nodeId != null && !nodeId.matches(TOKEN)) {
      throw new InvalidOptionException("federation.nodeId", "'" + nodeId + "' must match " + TOKEN);
    }
    String domain = string(json, "jsDomain");
    if (domain != null && !domain.matches(TOKEN)) {
      throw new InvalidOptionException("federation.jsDomain", "'" + domain + "' must match " + TOKEN);
    }
    return new FederationOptions(string(json, "natsUrl"), nodeId, domain, string(json, "publicUrl"),
        number(json, "publishWindow", 1024, 1, 65536),
        Duration.ofSeconds(number(json, "forwardTimeoutSeconds", 5, 1, 300)),
        Duration.ofHours(number(json, "requestExpiryHours", 24, 1, 24 * 30)),
        Duration.ofSeconds(number(json, "gapTimeoutSeconds", 10, 1, 3600)),
        Boolean.TRUE.equals(json.getValue("autoAcceptShares")),
        Duration.ofHours(number(json, "cdcRetentionHours", 24 * 7, 1, 24 * 365)),
        number(json, "cdcMaxMessages", 0, 0, Integer.MAX_VALUE));
  }

  /** Whether federation is configured at all. */
  public boolean enabled() {
    return natsUrl != null && !natsUrl.isBlank();
  }

  private static String string(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (v == null) return null;
    if (!(v instanceof String s)) throw new InvalidOptionException("federation." + key, "must be a string");
    return s.isBlank() ? null : s.trim();
  }

  private static int number(JsonObject json, String key, int dflt, int min, int max) {
    Object v = json.getValue(key);
    if (v == null) return dflt;
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min || ((Number) v).longValue() > max) {
      throw new InvalidOptionException("federation." + key, "must be a whole number from " + min + " to " + max);
    }
    return ((Number) v).intValue();
  }
}
