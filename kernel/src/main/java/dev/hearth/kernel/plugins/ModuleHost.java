package dev.hearth.kernel.plugins;

import dev.hearth.kernel.api.ApiServer;
import dev.hearth.kernel.flags.FlagBook;
import dev.hearth.kernel.metrics.ModuleMeters;
import dev.hearth.kernel.metrics.ModuleState;
import dev.hearth.kernel.metrics.NodeMetrics;
import dev.hearth.kernel.realtime.RealtimeHub;
import dev.hearth.kernel.store.Stores;
import dev.hearth.kernel.ui.PageRegistry;
import dev.hearth.module.Module;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.files.FileRefs;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.CollectionSpec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs modules packaged as PF4J plugin jars: load, start, stop, unload, without restarting the
 * node. A started module gets a {@link ModuleContextImpl} with its own store; stopping it closes
 * the store, and unloading it closes its class loader, after which nothing of the node holds a
 * class of the module (checked by a 100-cycle test), so upgrades do not leak.
 *
 * <p>Load and unload read and close jars: call them on a worker. Start and stop return futures.
 */
public final class ModuleHost implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ModuleHost.class);
  private static final Pattern MODULE_ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  /** The id prefix of hosted (user) modules; plugins may not use it. */
  public static final String HOSTED_PREFIX = "um-";
  /**
   * Ids a module may not take: {@code kernel} names the node's own store (a module of that id would
   * be handed it), {@code hearth} the node's own pages, {@code ui} its page announcements.
   */
  static final Set<String> RESERVED = Set.of("kernel", "hearth", "ui", "files");

  private final Vertx vertx;
  private final ModulePluginManager plugins;
  private final Stores stores;
  private final Function<String, Authorization> authorization;
  private final Function<String, JsonObject> config;
  private final ApiServer api;
  private final RealtimeHub realtime;
  private final PageRegistry pages;
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private final Map<String, String> failures = new ConcurrentHashMap<>();
  private final Path pluginsDir;
  private final NodeMetrics metrics;
  private final FileRefs files;
  private final FlagBook flags;

  private record Running(Module module, ModuleContextImpl context) {}

  /**
   * @param authorization the authorization a module's context gets, by module id
   * @param files the project files modules see through {@code ModuleContext.files()}
   * @param metrics where modules' own meters go ({@code ModuleContext.metrics()}); null: they record nothing
   * @param flags where modules' flags are declared and read ({@code ModuleContext.flags()}); null: defaults only
   */
  public ModuleHost(Vertx vertx, Path pluginsDir, Stores stores, Function<String, Authorization> authorization,
      Function<String, JsonObject> config, ApiServer api, RealtimeHub realtime, PageRegistry pages,
      FileRefs files, NodeMetrics metrics,
      FlagBook flags) {
    this.files = Objects.requireNonNull(files, "files");
    this.metrics = metrics;
    this.flags = flags;
    this.api = api;
    this.realtime = realtime;
    this.pages = pages;
    this.vertx = vertx;
    this.pluginsDir = pluginsDir;
    this.plugins = new ModulePluginManager(pluginsDir);
    this.stores = stores;
    this.authorization = authorization;
    this.config = config;
  }

  private Future<?> last = Future.succeededFuture();

  /**
   * Runs lifecycle operations (of plugins and user modules alike) one after another: an install
   * racing a stop of the same module would otherwise unload a class loader under a starting module,
   * or start an upgraded user module beside the old one. A throw becomes a failed future.
   */
  public synchronized <T> Future<T> oneAtATime(Supplier<Future<T>> operation) {
    Future<T> next = last.transform(ignored -> {
      try {
        return operation.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    });
    last = next;
    return next;
  }

  /**
   * Runs blocking {@code work} while store {@code storeName} is closed: the module using it (if one
   * runs) is stopped first and started again afterwards, even when the work failed, so a restore of
   * one module's store leaves the rest of the node serving. In the lifecycle queue.
   */
  public <T> Future<T> withStoreClosed(String storeName, Callable<T> work) {
    if (RESERVED.contains(storeName)) {
      return Future.failedFuture(ModuleException.failedPrecondition("store " + storeName
          + " belongs to the node itself; restore it with the node stopped"));
    }
    return oneAtATime(() -> {
      String key = running.entrySet().stream().filter(e -> e.getValue().module().id().equals(storeName))
          .map(Map.Entry::getKey).findFirst().orElse(null);
      Module module = key == null ? null : running.get(key).module();
      // A store whose files are damaged or gone may fail to close cleanly: that is why it is being
      // restored, so go on (the module is out of the running set either way).
      Future<Void> stopped = key == null ? Future.succeededFuture() : stop(key).recover(err -> {
        log.warn("module {} did not stop cleanly before its store is replaced: {}", key, err.getMessage());
        return Future.succeededFuture();
      });
      Future<T> done = stopped.compose(v -> vertx.<T>executeBlocking(() -> {
        try {
          stores.closeStore(storeName);
        } catch (RuntimeException e) {
          log.warn("store {} did not close cleanly before it is replaced: {}", storeName, e.getMessage());
        }
        return work.call();
      }, false));
      if (key == null) return done;
      return done.transform(result -> {
        Future<Void> again = key.startsWith(HOSTED_PREFIX) ? startHosted(module) : start(key);
        return again.transform(s -> {
          if (s.failed()) {
            log.warn("module {} did not start again after its store was replaced: {}", key, s.cause().getMessage());
          }
          return result.succeeded() ? Future.succeededFuture(result.result()) : Future.<T>failedFuture(result.cause());
        });
      });
    });
  }

  private ModuleMeters meters(String moduleId) {
    var m = metrics;
    return m == null ? ModuleMeters.detached(moduleId) : m.forModule(moduleId);
  }

  /** Every installed module (plugins) and running user module, with whether it is started: the module gauges. */
  public List<ModuleState> states() {
    List<ModuleState> out = new ArrayList<>();
    for (PluginWrapper p : plugins.getPlugins()) {
      out.add(new ModuleState(p.getPluginId(), "plugin", running.containsKey(p.getPluginId())));
    }
    for (String id : hosted()) out.add(new ModuleState(id, "user", true));
    return out;
  }

  /** Loads a module jar; returns its plugin id. Blocking. */
  public String load(Path jar) {
    try {
      return plugins.loadPlugin(jar);
    } catch (RuntimeException e) {
      throw ModuleException.invalidArgument("cannot load module " + jar.getFileName() + ": " + e.getMessage());
    }
  }

  /** Starts a loaded module: its plugin, then its {@link Module} with a fresh context. */
  public Future<Void> start(String pluginId) {
    if (!isLoaded(pluginId)) return Future.failedFuture(ModuleException.notFound("no module " + pluginId + " is installed"));
    if (running.containsKey(pluginId)) return Future.failedFuture(ModuleException.failedPrecondition(pluginId + " is already started"));
    // On a worker: PF4J loads the module's classes here (seconds on a loaded machine), which must not
    // hold an event loop. One at a time: PF4J's plugin manager is not thread-safe.
    return vertx.<Module>executeBlocking(() -> {
      synchronized (plugins) {
        PluginState state = plugins.startPlugin(pluginId);
        if (state != PluginState.STARTED) {
          throw ModuleException.failedPrecondition("module " + pluginId + " did not start: " + state);
        }
        List<Module> found = plugins.getExtensions(Module.class, pluginId);
        if (found.size() != 1) {
          plugins.stopPlugin(pluginId);
          throw ModuleException.invalidArgument("module " + pluginId + " must declare exactly one "
              + Module.class.getName() + " in META-INF/extensions.idx, found " + found.size());
        }
        Module module = found.get(0);
        if (!MODULE_ID.matcher(module.id()).matches() || module.id().startsWith(HOSTED_PREFIX) || RESERVED.contains(module.id())) {
          plugins.stopPlugin(pluginId);
          throw ModuleException.invalidArgument("module id '" + module.id() + "' must match " + MODULE_ID
              + ", not start with " + HOSTED_PREFIX + " (user modules' ids) and not be one of " + RESERVED + " (the node's)");
        }
        preload(pluginId);
        return module;
      }
    }, false).compose(module -> launch(pluginId, module));
  }

  /**
   * Loads (without initializing) every class of the module's jar, here on a worker: the module's
   * {@code start} runs on an event loop, and loading its classes there held the loop for seconds on a
   * loaded machine. Best effort: a class that cannot be loaded now fails later where it is used.
   */
  private void preload(String pluginId) {
    var wrapper = plugins.getPlugin(pluginId);
    if (wrapper == null) return;
    ClassLoader loader = wrapper.getPluginClassLoader();
    Path jar = wrapper.getPluginPath();
    if (loader == null || jar == null || !Files.isRegularFile(jar)) return;
    try (JarFile file = new JarFile(jar.toFile())) {
      var entries = file.entries();
      while (entries.hasMoreElements()) {
        String name = entries.nextElement().getName();
        if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) continue;
        try {
          Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
        } catch (Throwable ignored) {
          // loaded (and failing) later, where it is used
        }
      }
    } catch (IOException e) {
      log.debug("could not preload the classes of {}: {}", pluginId, e.toString());
    }
  }

  /**
   * Starts a module that lives in the node's own class loader rather than in a plugin jar (a user
   * module, whose id starts with {@code um-}): the same context, store, migration and withdrawal as
   * a plugin's. {@link #stop} stops it.
   */
  public Future<Void> startHosted(Module module) {
    if (!module.id().startsWith(HOSTED_PREFIX) || !MODULE_ID.matcher(module.id()).matches()) {
      return Future.failedFuture(ModuleException.invalidArgument("a hosted module's id must start with " + HOSTED_PREFIX));
    }
    if (running.containsKey(module.id())) {
      return Future.failedFuture(ModuleException.failedPrecondition(module.id() + " is already started"));
    }
    return launch(module.id(), module);
  }

  private Future<Void> launch(String key, Module module) {
    return vertx.executeBlocking(() -> new ModuleContextImpl(module.id(), vertx, stores.store(module.id()),
            config.apply(module.id()), authorization.apply(module.id()), api, realtime, pages, module.getClass().getClassLoader(),
            meters(module.id()), files, flags), false)
        .compose(context -> migrate(module, context).compose(v -> onContext(() -> module.start(context)))
            .onSuccess(v -> {
              failures.remove(key);
              running.put(key, new Running(module, context));
              pages.announce(module.id());
              log.info("module {} started ({})", module.id(), version(key));
            })
            .recover(err -> {
              log.warn("module {} failed to start: {}", module.id(), err.getMessage());
              failures.put(key, String.valueOf(err.getMessage()));
              context.withdraw();
              return vertx.executeBlocking(() -> {
                stores.closeStore(module.id());
                if (plugins.getPlugin(key) != null) plugins.stopPlugin(key);
                return null;
              }, false).transform(x -> Future.failedFuture(err));
            }));
  }

  /**
   * Runs the module's migration when its declared schema version is above the one its store
   * records, then records the new version in the same store (the {@code kernel.schema} collection).
   * A process that may not write the store (a cluster's standby, whose follower is applying the
   * owner's log) never migrates: the owner's migration and its record of the version arrive as log
   * frames, so the module runs on what it has.
   */
  private Future<Void> migrate(Module module, ModuleContextImpl context) {
    int wanted = module.schemaVersion();
    if (wanted < 1) return Future.failedFuture(ModuleException.invalidArgument("module " + module.id()
        + " declares schema version " + wanted + "; versions start at 1"));
    var schema = context.store().collection(CollectionSpec.of("kernel.schema",
        Codec.utf8()));
    // The sequence before the version: the version read then sees at least those events, so a store
    // that has the version record from its first write is never taken for one that predates versioning.
    long last = context.store().lastSequence();
    Optional<Integer> stored = schema.get("version").map(Integer::parseInt);
    // A store with data but no recorded version predates versioning: schema 0. An empty one starts current.
    int recorded = stored.orElse(last > 0 ? 0 : wanted);
    if (recorded > wanted) {
      return Future.failedFuture(ModuleException.failedPrecondition("module " + module.id() + " knows schema " + wanted
          + " but its stored data is at schema " + recorded + "; install a version that knows schema " + recorded));
    }
    ModuleException standby = stores.store(module.id()).writeRefusal();
    if (standby != null) {
      if (!stored.equals(Optional.of(wanted))) {
        log.info("module {}: its store's schema (at {} here so far) is migrated and recorded by the store's owner ({})",
            module.id(), recorded, standby.getMessage());
      }
      return Future.succeededFuture();
    }
    Future<Void> migrated = recorded < wanted ? onContext(() -> module.migrate(context, recorded)) : Future.succeededFuture();
    return migrated.compose(v -> stored.equals(Optional.of(wanted)) ? Future.<Void>succeededFuture()
        : context.store().write("kernel", tx -> {
          tx.put(schema, "version", Integer.toString(wanted));
          return null;
        }).<Void>mapEmpty().onSuccess(x -> {
          if (recorded != wanted) log.info("module {} migrated its store from schema {} to {}", module.id(), recorded, wanted);
        }).recover(e -> standby(module, recorded == wanted, e)));
  }

  /**
   * A process that became a standby between the check and the write (its gate refuses with
   * UNAVAILABLE): with nothing migrated, the module runs and the owner's record of the version
   * reaches this store with its log.
   */
  private static Future<Void> standby(Module module, boolean nothingMigrated, Throwable e) {
    if (nothingMigrated && e instanceof ModuleException m && m.code() == ModuleException.Code.UNAVAILABLE) {
      log.info("module {}: its store's schema version is recorded by the store's owner ({})", module.id(), m.getMessage());
      return Future.succeededFuture();
    }
    return Future.failedFuture(e);
  }

  /** Stops a running module: its own stop, then its store is closed and its plugin stopped. */
  public Future<Void> stop(String pluginId) {
    Running r = running.remove(pluginId);
    if (r == null) return Future.failedFuture(ModuleException.failedPrecondition(pluginId + " is not running"));
    Module module = r.module();
    r.context().withdraw(); // no new calls reach a module that is stopping
    return onContext(module::stop)
        .transform(result -> vertx.<Void>executeBlocking(() -> {
          stores.closeStore(module.id());
          if (plugins.getPlugin(pluginId) != null) plugins.stopPlugin(pluginId);
          log.info("module {} stopped", module.id());
          if (result.failed()) throw new ModuleException(ModuleException.Code.INTERNAL, "module " + module.id()
              + " failed while stopping; its store is closed anyway", result.cause());
          return null;
        }, false));
  }

  /** Unloads a stopped module and closes its class loader. Blocking. */
  public void unload(String pluginId) {
    if (running.containsKey(pluginId)) throw ModuleException.failedPrecondition("stop " + pluginId + " before unloading it");
    if (!plugins.unloadPlugin(pluginId)) throw ModuleException.notFound("no module " + pluginId + " is loaded");
    failures.remove(pluginId);
  }

  /** The loaded modules: plugin id, version, state (STARTED, STOPPED, FAILED) and the last start error. */
  public List<JsonObject> list() {
    return plugins.getPlugins().stream().map(p -> info(p.getPluginId())).toList();
  }

  /** One loaded module as in {@link #list}; NOT_FOUND when it is not loaded. */
  public JsonObject info(String pluginId) {
    PluginWrapper p = plugins.getPlugin(pluginId);
    if (p == null) throw ModuleException.notFound("no module " + pluginId + " is installed");
    String error = failures.get(pluginId);
    return new JsonObject().put("pluginId", pluginId).put("version", p.getDescriptor().getVersion())
        .put("state", running.containsKey(pluginId) ? "STARTED" : error != null ? "FAILED" : "STOPPED")
        .put("error", error == null ? "" : error);
  }

  /** The running hosted modules (user modules), by id. */
  public List<String> hosted() {
    return running.keySet().stream().filter(id -> plugins.getPlugin(id) == null).sorted().toList();
  }

  public boolean isLoaded(String pluginId) {
    return plugins.getPlugin(pluginId) != null;
  }

  public boolean isRunning(String pluginId) {
    return running.containsKey(pluginId);
  }

  /** The jar a loaded module came from. */
  public Path pathOf(String pluginId) {
    PluginWrapper p = plugins.getPlugin(pluginId);
    if (p == null) throw ModuleException.notFound("no module " + pluginId + " is installed");
    return p.getPluginPath();
  }

  /** Where installed module jars are kept and loaded from at start. */
  public Path pluginsDir() {
    return pluginsDir;
  }

  private String version(String pluginId) {
    PluginWrapper p = plugins.getPlugin(pluginId);
    return p == null ? "hosted" : p.getDescriptor().getVersion();
  }

  /** Runs a module's start or stop on an event loop, as the SDK promises; a throw becomes a failed future. */
  private Future<Void> onContext(Supplier<Future<Void>> call) {
    Promise<Void> promise = Promise.promise();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      try {
        call.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  /** Stops every running module (the node is shutting down). Blocking. */
  @Override
  public void close() {
    for (String id : List.copyOf(running.keySet())) {
      try {
        stop(id).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("module {} did not stop cleanly: {}", id, e.getMessage());
      }
    }
  }
}
