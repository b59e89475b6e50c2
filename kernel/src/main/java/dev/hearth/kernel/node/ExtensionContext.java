package dev.hearth.kernel.node;

import com.google.protobuf.Message;
import dev.hearth.files.v1.FilesProto;
import dev.hearth.kernel.api.ApiServer;
import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.kernel.files.ProjectFiles;
import dev.hearth.kernel.identity.Identity;
import dev.hearth.kernel.metrics.NodeMetrics;
import dev.hearth.kernel.realtime.RealtimeHub;
import dev.hearth.kernel.spi.Forwarder;
import dev.hearth.kernel.spi.NodeContext;
import dev.hearth.kernel.spi.ReplicaCatchUp;
import dev.hearth.kernel.spi.Tracing;
import dev.hearth.kernel.store.Stores;
import dev.hearth.kernel.tenancy.Tenancy;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.realtime.Realtime;
import dev.hearth.tenancy.v1.Membership;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** The node as its extensions see it: made once the API is up, from the parts already running. */
final class ExtensionContext extends BootExtensionContext implements NodeContext {

  /** The file service's methods write the files store (it is the kernel's, not a module's). */
  private static final String FILE_SERVICE = FilesProto.getDescriptor().findServiceByName("FileService").getFullName() + "/";
  /** So do (or read it, at its owner) the file owner's, which fronts forward (docs/cluster.md#files). */
  private static final String FILE_OWNER_SERVICE = ProjectFiles.OWNER_SERVICE + "/";

  private final int port;
  private final ApiServer api;
  private final Identity identity;
  private final Tenancy tenancy;
  private final NodeMetrics metrics;
  private final Tracing tracing;
  private final RealtimeHub realtime;
  private final BooleanSupplier ready;
  private final List<Forwarder> forwarders = new ArrayList<>();

  ExtensionContext(Vertx vertx, NodeOptions options, int port, Stores stores, ApiServer api, Identity identity, Tenancy tenancy,
      NodeMetrics metrics, Tracing tracing, RealtimeHub realtime, BooleanSupplier ready) {
    super(vertx, options, stores);
    this.ready = ready;
    this.realtime = realtime;
    this.port = port;
    this.api = api;
    this.identity = identity;
    this.tenancy = tenancy;
    this.metrics = metrics;
    this.tracing = tracing;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public void serve(ServiceBinding binding) {
    api.add(binding);
  }

  @Override
  public Optional<RpcMethod> method(String fullName) {
    return api.method(fullName);
  }

  @Override
  public boolean ready() {
    return ready.getAsBoolean();
  }

  @Override
  public Future<byte[]> dispatchAs(String methodFullName, byte[] requestBytes, Caller caller, String clientAddress) {
    return api.dispatchAs(methodFullName, requestBytes, caller, clientAddress);
  }

  @Override
  public synchronized void addForwarder(Forwarder forwarder) {
    forwarders.add(Objects.requireNonNull(forwarder, "forwarder"));
    api.forwarder(chain(List.copyOf(forwarders)));
  }

  @Override
  public synchronized void removeForwarder(Forwarder forwarder) {
    forwarders.remove(forwarder);
    api.forwarder(forwarders.isEmpty() ? null : chain(List.copyOf(forwarders)));
  }

  /** The first forwarder that claims a call runs it. */
  static Forwarder chain(List<Forwarder> chain) {
    if (chain.size() == 1) return chain.get(0);
    return new Forwarder() {
      @Override
      public Future<Message> forward(RpcMethod method, Message request, Caller caller) {
        return forward(method, request, caller, null);
      }

      @Override
      public Future<Message> forward(RpcMethod method, Message request, Caller caller, String clientAddress) {
        for (Forwarder f : chain) {
          Future<Message> claimed = f.forward(method, request, caller, clientAddress);
          if (claimed != null) return claimed;
        }
        return null;
      }
    };
  }

  @Override
  public String storeOf(String methodFullName) {
    String module = api.registry().ownerOf(methodFullName);
    if (module != null) return module;
    return methodFullName.startsWith(FILE_SERVICE) || methodFullName.startsWith(FILE_OWNER_SERVICE)
        ? ProjectFiles.STORE : "kernel";
  }

  @Override
  public Optional<Caller> callerNow(String userId, String sessionId, Caller.Via via) {
    return identity.actingAs(userId).map(c -> new Caller(c.userId(), c.sysAdmin(), sessionId, via));
  }

  @Override
  public void replicaCatchUp(ReplicaCatchUp catchUp) {
    stores.replicaCatchUp(catchUp);
  }

  @Override
  public Authorization authorization() {
    return identity.authorization();
  }

  @Override
  public Optional<String> orgName(String orgId) {
    return identity.orgName(orgId);
  }

  @Override
  public Optional<String> orgOfProject(String projectId) {
    return identity.orgOfProject(projectId);
  }

  @Override
  public Optional<String> projectName(String projectId) {
    return identity.projectName(projectId);
  }

  @Override
  public Optional<String> displayName(String userId) {
    return identity.displayName(userId);
  }

  @Override
  public Future<Membership> redeemForRemote(String remoteUserId, String label, String code, Predicate<String> allowed) {
    return tenancy.redeemForRemote(remoteUserId, label, code, allowed);
  }

  @Override
  public void gauges(String name, String baseUnit, String description, String tag,
      Supplier<Map<String, ? extends Number>> rows) {
    MultiGauge gauge = MultiGauge.builder(name).baseUnit(baseUnit).description(description)
        .register(metrics.registry());
    metrics.onScrape(() -> gauge.register(rows.get().entrySet().stream()
        .map(e -> MultiGauge.Row.of(Tags.of(tag, e.getKey()), e.getValue())).toList(), true));
  }

  @Override
  public void counters(String name, String description, String tag, Supplier<Map<String, ? extends Number>> rows) {
    Map<String, Double> counts = new ConcurrentHashMap<>();
    metrics.onScrape(() -> rows.get().forEach((key, value) -> {
      if (counts.put(key, value.doubleValue()) == null) {
        FunctionCounter.builder(name, counts, c -> c.getOrDefault(key, 0.0)).description(description).tags(tag, key)
            .register(metrics.registry());
      }
    }));
  }

  @Override
  public Tracing tracing() {
    return tracing;
  }

  @Override
  public Realtime realtime(String name) {
    return realtime.forModule(name, stores.store("kernel"));
  }
}
