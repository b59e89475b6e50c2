package dev.hearth.cluster;

import com.google.protobuf.util.Timestamps;
import dev.hearth.cluster.v1.ClusterProcess;
import dev.hearth.cluster.v1.ClusterProto;
import dev.hearth.cluster.v1.ClusterStatus;
import dev.hearth.cluster.v1.MoveRequest;
import dev.hearth.cluster.v1.MoveResult;
import dev.hearth.cluster.v1.StatusRequest;
import dev.hearth.cluster.v1.StoreLease;
import dev.hearth.cluster.v1.StoreState;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.ServiceBinding;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code hearth.cluster.v1.ClusterService}: placement as the buckets hold it. Sys-admins only (the
 * method's access rule); the guard checks that before this runs.
 */
final class ClusterApi {

  private final Vertx vertx;
  private final ClusterMember member;
  private final Moves moves;

  ClusterApi(Vertx vertx, ClusterMember member, Moves moves) {
    this.vertx = vertx;
    this.member = member;
    this.moves = moves;
  }

  ServiceBinding binding() {
    return ServiceBinding.of(ClusterProto.getDescriptor().findServiceByName("ClusterService"))
        .unary("Status", StatusRequest.getDefaultInstance(), this::status)
        .unary("Move", MoveRequest.getDefaultInstance(), this::move)
        .build();
  }

  private Future<MoveResult> move(Call call, MoveRequest request) {
    return vertx.executeBlocking(() -> moves.move(request.getStore().strip(), request.getTo().strip()), false);
  }

  private Future<ClusterStatus> status(Call call, StatusRequest request) {
    return vertx.executeBlocking(() -> {
      KeyValue leases = member.leaseBucket();
      KeyValue processes = member.processBucket();
      if (leases == null || processes == null) {
        throw new ModuleException(ModuleException.Code.UNAVAILABLE, "this process has not reached NATS yet")
            .detail("retryAfterSeconds", "1");
      }
      ClusterStatus.Builder out = ClusterStatus.newBuilder().setProcessId(member.processId).setReplicas(member.replicas());
      // The leases first: each process's stores owned are then the lease table's, read in this same call.
      for (String store : keys(leases)) {
        KeyValueEntry e = leases.get(store);
        if (e == null || e.getValue() == null) continue;
        JsonObject v = new JsonObject(new String(e.getValue(), StandardCharsets.UTF_8));
        out.addLeases(StoreLease.newBuilder().setStore(store).setHolder(v.getString("holder", ""))
            .setRevision(e.getRevision()).setRenewedAt(Timestamps.fromMillis(v.getLong("renewedAt", 0L))));
      }
      for (JsonObject p : entries(processes)) out.addProcesses(process(p, out.getLeasesList()));
      return out.build();
    }, false).recover(err -> Future.failedFuture(err instanceof IOException
        // NATS did not answer in time (a loaded server, a leader election): a client retries, it is no bug here.
        ? new ModuleException(ModuleException.Code.UNAVAILABLE, "the cluster's buckets did not answer the status read in"
            + " time (" + err.getMessage() + ")").detail("retryAfterSeconds", "1")
        : err));
  }

  /**
   * A process as its placement entry describes it, except the stores it owns: those whose lease
   * names it now. An entry is written once a round, so after a move (or a take-over) its own
   * {@code owned} lags the lease table by up to a round; the table is what decides who writes.
   */
  static ClusterProcess process(JsonObject p, List<StoreLease> leases) {
    String id = p.getString("processId", "");
    ClusterProcess.Builder b = ClusterProcess.newBuilder().setProcessId(id)
        .setFront(p.getBoolean("front", false)).setApiUrl(p.getString("apiUrl", ""))
        .setHeartbeatAt(Timestamps.fromMillis(p.getLong("heartbeatAt", 0L)));
    p.getJsonArray("owns", new JsonArray()).forEach(o -> b.addOwns((String) o));
    leases.stream().filter(l -> l.getHolder().equals(id)).forEach(l -> b.addOwned(l.getStore()));
    JsonObject stores = p.getJsonObject("stores", new JsonObject());
    JsonObject lag = p.getJsonObject("replicaLag", new JsonObject());
    stores.fieldNames().stream().sorted().forEach(s -> {
      StoreState.Builder state = StoreState.newBuilder().setName(s).setLastSequence(stores.getLong(s));
      if (lag.containsKey(s)) state.setReplicaLag(lag.getLong(s));
      b.addStores(state);
    });
    return b.build();
  }

  /**
   * The bucket's keys, each once, sorted: jnats lists them with a consumer that also delivers a key
   * written again while it reads (a heartbeat every round), so a busy key can come twice (seen in CI).
   */
  private static List<String> keys(KeyValue kv) throws Exception {
    return kv.keys().stream().distinct().sorted().toList();
  }

  private static List<JsonObject> entries(KeyValue kv) throws Exception {
    List<JsonObject> out = new ArrayList<>();
    for (String key : keys(kv)) {
      KeyValueEntry e = kv.get(key);
      if (e != null && e.getValue() != null) out.add(new JsonObject(new String(e.getValue(), StandardCharsets.UTF_8)));
    }
    return out;
  }
}
