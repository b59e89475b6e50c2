package dev.hearth.kernel.config;

import io.vertx.core.json.JsonObject;

/**
 * Tunables of the realtime endpoint, from the config file's {@code realtime} section; every key is
 * optional.
 *
 * @param maxPendingBytes bytes written to one client and not yet taken by its socket; past it the
 *     client is cut off with its resume points, so a slow client cannot grow the node's memory
 * @param maxSubscriptions topics one connection may follow at once
 * @param maxReplayEvents how far behind the newest event a resume may start; further back, the
 *     client must reload through the API and subscribe from "now"
 * @param authTimeoutSeconds how long a new WebSocket may stay without authenticating
 * @param maxFrameBytes largest frame a client may send
 * @param recheckSeconds how often a connection re-checks its credentials and each topic's
 *     authorization (a revoked session or a removal from a private channel takes effect by then)
 */
public record RealtimeOptions(int maxPendingBytes, int maxSubscriptions, int maxReplayEvents,
    int authTimeoutSeconds, int maxFrameBytes, int recheckSeconds) {

  public RealtimeOptions {
    if (maxPendingBytes < 4096 || maxSubscriptions < 1 || maxReplayEvents < 1 || authTimeoutSeconds < 1
        || maxFrameBytes < 1024 || recheckSeconds < 1) {
      throw new IllegalArgumentException("realtime: limits must be positive (maxPendingBytes >= 4096, "
          + "maxFrameBytes >= 1024)");
    }
  }

  public static RealtimeOptions defaults() {
    return from(new JsonObject());
  }

  public JsonObject toJson() {
    return new JsonObject().put("maxPendingBytes", maxPendingBytes).put("maxSubscriptions", maxSubscriptions)
        .put("maxReplayEvents", maxReplayEvents).put("authTimeoutSeconds", authTimeoutSeconds)
        .put("maxFrameBytes", maxFrameBytes).put("recheckSeconds", recheckSeconds);
  }

  public static RealtimeOptions from(JsonObject json) {
    return new RealtimeOptions(
        json.getInteger("maxPendingBytes", 1 << 20),
        json.getInteger("maxSubscriptions", 200),
        json.getInteger("maxReplayEvents", 200_000),
        json.getInteger("authTimeoutSeconds", 10),
        json.getInteger("maxFrameBytes", 64 * 1024),
        json.getInteger("recheckSeconds", 30));
  }
}
