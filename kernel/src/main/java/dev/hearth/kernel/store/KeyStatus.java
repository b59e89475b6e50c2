package dev.hearth.kernel.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Which keys of a store protect how many stored records.
 *
 * @param store the store's name
 * @param primaryKeyId the key that encrypts new records
 * @param recordsByKeyId key id to the number of stored values encrypted under it (every key of the
 *     keyset appears, with 0 when it protects nothing any more)
 * @param reencrypting whether the background job is still moving records to the primary key
 */
public record KeyStatus(String store, int primaryKeyId, Map<Integer, Long> recordsByKeyId, boolean reencrypting) {

  public KeyStatus {
    recordsByKeyId = Map.copyOf(recordsByKeyId);
  }

  public JsonObject toJson() {
    JsonArray keys = new JsonArray();
    recordsByKeyId.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> keys.add(
        new JsonObject().put("keyId", Integer.toUnsignedString(e.getKey()))
            .put("primary", e.getKey() == primaryKeyId).put("records", e.getValue())));
    return new JsonObject().put("store", store)
        .put("primaryKeyId", Integer.toUnsignedString(primaryKeyId))
        .put("reencrypting", reencrypting).put("keys", keys);
  }
}
