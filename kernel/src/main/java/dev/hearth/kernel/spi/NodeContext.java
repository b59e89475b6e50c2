package dev.hearth.kernel.spi;

import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.realtime.Realtime;
import dev.hearth.tenancy.v1.Membership;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What a {@link NodeExtension} gets of the node: exactly what runs beside the kernel needs, so
 * the node's classes are not its API. The node hands one to each extension at start.
 */
public interface NodeContext {

  Vertx vertx();

  /** The clock the node reckons expiries by (the system's, unless a test moved it). */
  Clock clock();

  /** The config file's section {@code name} ({@code federation}, {@code cluster}); empty when absent. */
  JsonObject section(String name);

  /** The data directory, for an extension's own files under it. */
  Path dataDir();

  /** The host the node listens on, as configured. */
  String host();

  /** The bound HTTP port. */
  int port();

  /** The stores open now (the kernel's and every running module's). */
  List<ReplicaStore> stores();

  /** The kernel's own store, for an extension's records. */
  ReplicaStore kernelStore();

  /** The node's keysets, wrapped by the master key. */
  Keysets keysets();

  /** Serves a service beside the kernel's on every transport. */
  void serve(ServiceBinding binding);

  /**
   * A method by its full name ({@code package.Service/Method}): a served one, or one of the kernel's
   * internal services that only {@link #dispatchAs} reaches (the file owner's, for a cluster's fronts).
   */
  Optional<RpcMethod> method(String fullName);

  /**
   * Whether the node says ready: its installed modules have started (so their methods are served),
   * every extension's {@link NodeExtension#beforeReady} has completed, and it is not closing.
   * Extensions start before modules, so a method missing while this is false may still come.
   */
  boolean ready();

  /** Runs a call from protobuf bytes for {@code caller} (a linked node's user), never forwarded. */
  Future<byte[]> dispatchAs(String methodFullName, byte[] requestBytes, Caller caller, String clientAddress);

  /**
   * Adds a forwarder of write calls, after those added before: for each write call the guard admitted,
   * the first forwarder that claims it (returns a future) runs it elsewhere; when none does it runs
   * here. Federation adds one (projects owned by a linked node), the cluster one (stores owned by
   * another process).
   */
  void addForwarder(Forwarder forwarder);

  /** Removes a forwarder {@link #addForwarder added} before; nothing when it is not there. */
  void removeForwarder(Forwarder forwarder);

  /**
   * The store a method's writes go to: the module's own for a module's method ({@code chat}), {@code
   * files} for the file service and the file owner's internal one (a cluster front's uploads and
   * downloads), else {@code kernel}.
   */
  String storeOf(String methodFullName);

  /**
   * The caller {@code userId} is now by this node's own identity data (its sys-admin flag as stored
   * here), carrying {@code sessionId} and {@code via}: empty when the account is unknown here or
   * disabled. How a process re-checks a caller another process authenticated.
   */
  Optional<Caller> callerNow(String userId, String sessionId, Caller.Via via);

  /**
   * Sets who decides whether a store may be written now, for every store open now or opened later
   * ({@link WriteGate#OPEN} until then). The cluster extension sets one: only a store's lease holder
   * writes it.
   */
  void writeGate(WriteGate gate);

  /**
   * Sets where every store's group commits are shipped before they are acknowledged, for every
   * store open now or opened later ({@link LogShipper#LOCAL} until then). The cluster extension
   * sets one: each frame goes to the store's replicated stream.
   */
  void logShipper(LogShipper shipper);

  /**
   * Sets how a backup taken here first brings this process's copy of each store up to what its
   * writer acknowledged ({@link ReplicaCatchUp#NONE} until then). The cluster extension sets one, so a
   * backup can be taken on any process of the cluster.
   */
  void replicaCatchUp(ReplicaCatchUp catchUp);

  /** The node's role checks, the same the RPC guard makes. */
  Authorization authorization();

  Optional<String> orgName(String orgId);

  Optional<String> orgOfProject(String projectId);

  Optional<String> projectName(String projectId);

  Optional<String> displayName(String userId);

  /**
   * Redeems a project invite code for a user of a linked node, labelled {@code label}, in a project
   * {@code allowed} accepts. Failed with a ModuleException naming what is wrong.
   */
  Future<Membership> redeemForRemote(String remoteUserId, String label, String code, Predicate<String> allowed);

  /**
   * A gauge on the node's {@code /metrics} with one tag {@code tag}: one series per key of what
   * {@code rows} returns, read at each scrape.
   */
  void gauges(String name, String baseUnit, String description, String tag, Supplier<Map<String, ? extends Number>> rows);

  /**
   * A counter on the node's {@code /metrics} (exported with {@code _total}) with one tag
   * {@code tag}: one series per key of what {@code rows} returns, read at each scrape. The extension
   * keeps the counts; each must only grow, and a key once seen keeps its series.
   */
  void counters(String name, String description, String tag, Supplier<Map<String, ? extends Number>> rows);

  /** The node's tracing ({@link Tracing#OFF} unless configured). */
  Tracing tracing();

  /**
   * The node's realtime fan-out for the extension's topics {@code <name>/...}, routed from the
   * kernel store's change log (so a client that was away resumes them by sequence), e.g.
   * federation's {@code federation/org/<org id>}. One {@link dev.hearth.module.realtime.Realtime#topics}
   * registration per name.
   */
  Realtime realtime(String name);
}
