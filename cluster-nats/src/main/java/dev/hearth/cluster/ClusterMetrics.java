package dev.hearth.cluster;

import com.google.protobuf.Message;
import dev.hearth.kernel.spi.Forwarder;
import dev.hearth.kernel.spi.NodeContext;
import dev.hearth.kernel.spi.ReplicaStore;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Caller;
import io.vertx.core.Future;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cluster's meters on each process's {@code /metrics}, read at each scrape (docs/operations.md,
 * "Cluster"): which stores this process owns, how far its copies lag their streams, its leases, and
 * the write calls it forwarded to other processes. Labels are store names and this process's id:
 * few values, no user or project ids.
 */
final class ClusterMetrics {

  private final Map<String, LongAdder> forwarded = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();

  /** Registers the meters of {@code member} on the node. */
  static ClusterMetrics bind(NodeContext node, ClusterMember member) {
    ClusterMetrics m = new ClusterMetrics();
    node.gauges("hearth.cluster.process.info", null, "1 on a process of a cluster; the label is its process id",
        "process", () -> Map.of(member.processId, 1));
    node.gauges("hearth.cluster.store.owned", null,
        "1 for each store whose lease this process holds, 0 for every other store it has open or may own", "store",
        () -> owned(node, member));
    node.gauges("hearth.cluster.replica.lag", "events",
        "Messages of the store's replicated log this process's copy has not applied, as last measured", "store",
        member.replication::replicaLag);
    node.gauges("hearth.cluster.lease.remaining", "seconds",
        "Per store this process holds: time left before it must stop writing unless the lease is renewed", "store",
        member.leases::remainingSeconds);
    node.counters("hearth.cluster.lease.taken", "Times this process took the store's lease since it started", "store",
        member.leases::takenCounts);
    node.counters("hearth.cluster.lease.lost", "Times this process lost the store's lease (or could not prove it in time)",
        "store", member.leases::lostCounts);
    node.counters("hearth.cluster.forward.calls", "Write calls this process forwarded to the store's owner", "store",
        () -> sums(m.forwarded));
    node.counters("hearth.cluster.forward.failures",
        "Forwarded write calls that ended UNAVAILABLE (no owner, no answer in time, or the owner no longer wrote the store)",
        "store", () -> sums(m.failed));
    return m;
  }

  private static Map<String, Integer> owned(NodeContext node, ClusterMember member) {
    Map<String, Integer> out = new TreeMap<>();
    for (ReplicaStore s : node.stores()) out.put(s.name(), 0);
    member.options.owns().stream().filter(s -> !s.equals("*")).forEach(s -> out.put(s, 0));
    member.leases.owned().keySet().forEach(s -> out.put(s, 1));
    return out;
  }

  private static Map<String, Long> sums(Map<String, LongAdder> counts) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((store, n) -> out.put(store, n.sum()));
    return out;
  }

  /** {@code forwarding}, counting the calls it forwards and those that end UNAVAILABLE, per store. */
  Forwarder counting(Forwarding forwarding, NodeContext node) {
    return new Forwarder() {
      @Override
      public Future<Message> forward(RpcMethod method, Message request, Caller caller) {
        return forward(method, request, caller, null);
      }

      @Override
      public Future<Message> forward(RpcMethod method, Message request, Caller caller, String clientAddress) {
        Future<Message> answer = forwarding.forward(method, request, caller, clientAddress);
        if (answer == null) return null;
        String store = node.storeOf(method.fullName());
        forwarded.computeIfAbsent(store, k -> new LongAdder()).increment();
        return answer.onFailure(err -> {
          if (err instanceof ModuleException e && e.code() == ModuleException.Code.UNAVAILABLE) {
            failed.computeIfAbsent(store, k -> new LongAdder()).increment();
          }
        });
      }
    };
  }
}
