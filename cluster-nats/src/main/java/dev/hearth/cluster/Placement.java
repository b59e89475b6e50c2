package dev.hearth.cluster;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where things run: each process keeps an entry in the {@code hearth-cluster-processes} bucket (its id,
 * roles, the stores it holds, the last sequence of each store it has open, its API address), written
 * every round. The bucket's max age drops the entry of a process that stopped writing it.
 */
final class Placement {

  static final String BUCKET = "hearth-cluster-processes";
  private static final Logger log = LoggerFactory.getLogger(Placement.class);

  private final ClusterOptions options;
  private final String processId;
  private final Clock clock;
  private final Supplier<String> apiUrl;
  private final Supplier<Map<String, Long>> storeSequences;

  /**
   * @param apiUrl where it serves its API, {@code http://host:port}
   * @param storeSequences the stores it has open, each with its change log's last sequence
   */
  Placement(ClusterOptions options, String processId, Clock clock, String apiUrl, Supplier<Map<String, Long>> storeSequences) {
    this(options, processId, clock, () -> apiUrl, storeSequences);
  }

  /** @param apiUrl where it serves its API, once it does (the port is bound after the cluster is joined) */
  Placement(ClusterOptions options, String processId, Clock clock, Supplier<String> apiUrl,
      Supplier<Map<String, Long>> storeSequences) {
    this.options = options;
    this.processId = processId;
    this.clock = clock;
    this.apiUrl = apiUrl;
    this.storeSequences = storeSequences;
  }

  /** Writes this process's entry without replica lags (members that follow no log). */
  void heartbeat(KeyValue kv, Map<String, Long> owned) {
    heartbeat(kv, owned, Map.of());
  }

  /**
   * Writes this process's entry; a failure is logged and tried again next round.
   *
   * @param replicaLag per store it follows, the log stream's messages it has not applied yet
   */
  void heartbeat(KeyValue kv, Map<String, Long> owned, Map<String, Long> replicaLag) {
    // The time first: the sequences are then as of heartbeatAt or later, so a reader who knows a
    // write was acknowledged before heartbeatAt finds it counted (never the other way round).
    long at = clock.millis();
    JsonObject stores = new JsonObject();
    storeSequences.get().forEach(stores::put);
    JsonObject entry = new JsonObject().put("processId", processId).put("front", options.front())
        .put("owns", new JsonArray(options.owns())).put("owned", new JsonArray(owned.keySet().stream().toList()))
        .put("heartbeatAt", at).put("apiUrl", apiUrl.get()).put("stores", stores);
    if (!replicaLag.isEmpty()) {
      JsonObject lag = new JsonObject();
      replicaLag.forEach(lag::put);
      entry.put("replicaLag", lag);
    }
    try {
      kv.put(processId, entry.encode().getBytes(StandardCharsets.UTF_8));
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      log.debug("heartbeat of process {} not written: {}", processId, e.getMessage());
    }
  }

  /** Removes this process's entry (a clean stop). */
  void remove(KeyValue kv) {
    try {
      kv.delete(processId);
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      log.debug("entry of process {} not removed (it expires on its own): {}", processId, e.getMessage());
    }
  }
}
