package dev.hearth.kernel.store;

import io.vertx.core.json.JsonObject;

/**
 * What opening a store had to do.
 *
 * @param rebuilt MapDB could not be trusted (did not open, or failed during replay) and the store
 *     was rebuilt from its change log
 * @param reason why it was rebuilt, or null
 * @param replayedEvents log events applied after MapDB's last checkpoint
 * @param truncatedBytes bytes of a torn log tail that were cut
 * @param millis how long opening took
 */
public record RecoveryReport(boolean rebuilt, String reason, long replayedEvents, long truncatedBytes, long millis) {

  public JsonObject toJson() {
    return new JsonObject().put("rebuilt", rebuilt).put("reason", reason).put("replayedEvents", replayedEvents)
        .put("truncatedBytes", truncatedBytes).put("millis", millis);
  }
}
