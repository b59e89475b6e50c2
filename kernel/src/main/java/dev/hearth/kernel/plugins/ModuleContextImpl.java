package dev.hearth.kernel.plugins;

import dev.hearth.kernel.api.ApiServer;
import dev.hearth.kernel.flags.FlagBook;
import dev.hearth.kernel.flags.ModuleFlags;
import dev.hearth.kernel.metrics.ModuleMeters;
import dev.hearth.kernel.realtime.RealtimeHub;
import dev.hearth.kernel.ui.PageRegistry;
import dev.hearth.module.ModuleContext;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.files.FileRefs;
import dev.hearth.module.flags.Flags;
import dev.hearth.module.metrics.Metrics;
import dev.hearth.module.realtime.Realtime;
import dev.hearth.module.store.Store;
import dev.hearth.module.ui.Pages;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What one running module gets of the node. Lives from the module's start to its stop. */
final class ModuleContextImpl implements ModuleContext {

  private final String moduleId;
  private final Vertx vertx;
  private final Store store;
  private final JsonObject config;
  private final Authorization authorization;
  private final ApiServer api;
  private final RealtimeHub hub;
  private final Realtime realtime;
  private final List<String> served = new CopyOnWriteArrayList<>();
  private final PageRegistry pageRegistry;
  private final Pages pages;
  private final ModuleMeters metrics;
  private final FileRefs files;
  private final Flags flags;

  ModuleContextImpl(String moduleId, Vertx vertx, Store store, JsonObject config, Authorization authorization,
      ApiServer api, RealtimeHub hub, PageRegistry pageRegistry, ClassLoader moduleLoader,
      ModuleMeters metrics, FileRefs files,
      FlagBook flagBook) {
    this.metrics = metrics;
    this.files = files;
    this.flags = flagBook == null ? Flags.defaults()
        : new ModuleFlags(flagBook, moduleId);
    this.api = api;
    this.hub = hub;
    this.realtime = hub.forModule(moduleId, store);
    this.pageRegistry = pageRegistry;
    this.pages = pageRegistry.open(moduleId, moduleLoader);
    this.moduleId = moduleId;
    this.vertx = vertx;
    this.store = store;
    this.config = config;
    this.authorization = authorization;
  }

  @Override
  public String moduleId() {
    return moduleId;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public Store store() {
    return store;
  }

  @Override
  public Authorization authorization() {
    return authorization;
  }

  @Override
  public void serve(ServiceBinding service) {
    try {
      api.add(service, moduleId);
    } catch (IllegalStateException e) {
      throw ModuleException.failedPrecondition("module " + moduleId + ": " + e.getMessage());
    }
    served.add(service.descriptor().getFullName());
  }

  /** Takes down what the module served; called when it stops (or fails to start). */
  void withdraw() {
    served.forEach(api::remove);
    served.clear();
    hub.withdraw(moduleId);
    pageRegistry.withdraw(moduleId, pages);
    metrics.close();
    if (flags instanceof ModuleFlags f) f.withdraw();
  }

  @Override
  public Flags flags() {
    return flags;
  }

  @Override
  public Metrics metrics() {
    return metrics;
  }

  @Override
  public Realtime realtime() {
    return realtime;
  }

  @Override
  public Pages pages() {
    return pages;
  }

  @Override
  public JsonObject config() {
    return config.copy();
  }

  @Override
  public FileRefs files() {
    return files;
  }
}
