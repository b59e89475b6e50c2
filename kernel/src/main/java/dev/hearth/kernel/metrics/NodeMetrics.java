package dev.hearth.kernel.metrics;

import dev.hearth.kernel.api.rpc.CallObserver;
import dev.hearth.kernel.realtime.RealtimeHub;
import dev.hearth.kernel.store.CommitListener;
import dev.hearth.kernel.store.Stores;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's meters, one registry per node (tests run several nodes in one JVM), written out in
 * Prometheus text format by {@link #scrape}. Instrumented parts get a plain hook ({@link
 * CallObserver}, {@link CommitListener}) or are read at scrape time (stores, realtime, modules), so
 * Micrometer stays in this package. docs/operations.md lists every meter.
 */
public final class NodeMetrics implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NodeMetrics.class);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final RpcMetrics calls = new RpcMetrics(registry);
  private final StoreMetrics stores = new StoreMetrics(registry);
  /** Gauges over sets that change while the node runs (stores, views, modules), re-read before each scrape. */
  private final List<Runnable> refreshers = new CopyOnWriteArrayList<>();

  public NodeMetrics() {
    this(true);
  }

  /** @param jvm whether to bind the JVM and process meters (a node with metrics off binds none) */
  public NodeMetrics(boolean jvm) {
    if (!jvm) return;
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry); // a module upgrade that leaks its class loader shows here
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Counts and times every RPC the dispatcher runs; give it to {@code ApiServer.observer}. */
  public CallObserver calls() {
    return calls;
  }

  /** Counts and times every group commit; give it to {@link Stores#commitListener}. */
  public CommitListener commits() {
    return stores;
  }

  /** Sequence, disk size and view lag of every open store, read at each scrape. */
  public void watchStores(Stores open) {
    refreshers.add(() -> stores.refresh(open.opened()));
  }

  /** WebSocket connections, frames and subscriptions of the realtime hub. */
  public void watchRealtime(RealtimeHub hub) {
    RealtimeMetrics.bind(registry, hub);
  }

  /** One {@code hearth_module_up} gauge per module in {@code modules}, read at each scrape. */
  public void watchModules(Supplier<List<ModuleState>> modules) {
    ModuleStateMetrics states = new ModuleStateMetrics(registry);
    refreshers.add(() -> states.refresh(modules.get()));
  }

  /**
   * Runs {@code refresh} before each scrape: for gauges over sets that change (a node extension's
   * links, say) kept as Micrometer {@code MultiGauge}s in {@link #registry()}. It must be quick.
   */
  public void onScrape(Runnable refresh) {
    refreshers.add(refresh);
  }

  /** The meters of a starting module; closing them (when it stops) removes them. */
  public ModuleMeters forModule(String moduleId) {
    return new ModuleMeters(registry, moduleId);
  }

  /**
   * Every meter in Prometheus text format (0.0.4). Blocking: sizes store directories. One scrape at a
   * time: the refreshes re-register gauges, and two at once could leave a stale row behind.
   */
  public synchronized String scrape() {
    for (Runnable r : refreshers) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.warn("metrics: a gauge refresh failed: {}", e.toString()); // the rest still scrape
      }
    }
    return registry.scrape();
  }

  /** The registry, for tests and for parts of the node that add meters of their own. */
  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    gc.close(); // unregisters its GC notification listeners
    registry.close();
  }
}
