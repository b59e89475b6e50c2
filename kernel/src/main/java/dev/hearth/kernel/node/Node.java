package dev.hearth.kernel.node;

import dev.hearth.kernel.access.AdminAuth;
import dev.hearth.kernel.access.CallGuard;
import dev.hearth.kernel.access.ModuleSwitches;
import dev.hearth.kernel.access.NodeGuard;
import dev.hearth.kernel.access.RequestLimits;
import dev.hearth.kernel.admin.AdminApi;
import dev.hearth.kernel.api.ApiServer;
import dev.hearth.kernel.api.ConnectionLimits;
import dev.hearth.kernel.api.HealthRoutes;
import dev.hearth.kernel.api.KeysAdminRoutes;
import dev.hearth.kernel.api.MetricsRoutes;
import dev.hearth.kernel.api.SsoCallbackRoute;
import dev.hearth.kernel.api.SysAdminRoutes;
import dev.hearth.kernel.api.rpc.CallObserver;
import dev.hearth.kernel.api.rpc.Dispatcher;
import dev.hearth.kernel.api.rpc.RpcRegistry;
import dev.hearth.kernel.backup.BackupRoutes;
import dev.hearth.kernel.backup.BackupSchedule;
import dev.hearth.kernel.backup.BackupsApi;
import dev.hearth.kernel.bots.ChatCalls;
import dev.hearth.kernel.bots.IncomingHookRoute;
import dev.hearth.kernel.bots.SlashCommandsApi;
import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.kernel.config.RunFiles;
import dev.hearth.kernel.errors.ApiErrors;
import dev.hearth.kernel.files.ProjectFiles;
import dev.hearth.kernel.flags.FlagBook;
import dev.hearth.kernel.flags.FlagsApi;
import dev.hearth.kernel.flags.KernelFlags;
import dev.hearth.kernel.i18n.NodeLocalizer;
import dev.hearth.kernel.identity.Deletions;
import dev.hearth.kernel.identity.Identity;
import dev.hearth.kernel.metrics.NodeMetrics;
import dev.hearth.kernel.notifications.Notifications;
import dev.hearth.kernel.plugins.ModuleHost;
import dev.hearth.kernel.plugins.ModulesApi;
import dev.hearth.kernel.realtime.GrpcRealtime;
import dev.hearth.kernel.realtime.RealtimeHub;
import dev.hearth.kernel.realtime.WsEndpoint;
import dev.hearth.kernel.seed.SeedSetsApi;
import dev.hearth.kernel.settings.SettingsApi;
import dev.hearth.kernel.settings.UserSettingsBook;
import dev.hearth.kernel.spi.KeyShare;
import dev.hearth.kernel.spi.NodeExtension;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.kernel.store.Stores;
import dev.hearth.kernel.telemetry.Telemetry;
import dev.hearth.kernel.tenancy.Tenancy;
import dev.hearth.kernel.ui.KernelPages;
import dev.hearth.kernel.ui.PageRegistry;
import dev.hearth.kernel.ui.PageTopics;
import dev.hearth.kernel.ui.PagesApi;
import dev.hearth.kernel.ui.WebShellRoutes;
import dev.hearth.kernel.usermodules.UserModulesApi;
import dev.hearth.kernel.webhooks.CommandCaller;
import dev.hearth.kernel.webhooks.WebhooksApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Hearth node: its stores and its HTTP endpoint. {@link #start} opens the stores (with
 * recovery) before the port opens, so a node that answers {@code /ready} has its data; {@link
 * #close} goes the other way: not ready, no more HTTP, stores closed with a final checkpoint, run
 * files removed.
 */
public final class Node {

  private static final Logger log = LoggerFactory.getLogger(Node.class);
  /** The most one extension's stop may take before the node goes on closing without it. */
  private static final long STOP_EXTENSION_SECONDS = 15;

  private final Vertx vertx;
  private final NodeOptions options;
  private final RunFiles runFiles;
  private final String adminToken = newToken();
  private volatile Stores stores;
  private final NodeMetrics metrics;
  /** Off (no SDK at all) unless telemetry.otlpEndpoint is set. */
  private final Telemetry telemetry;
  private volatile Identity identity;
  private volatile Tenancy tenancy;
  private volatile FlagBook flags;
  private volatile ApiServer api;
  private volatile ModuleHost modules;
  private volatile RealtimeHub realtime;
  private volatile UserModulesApi userModules;
  private volatile ModulesApi modulesApi;
  private volatile WebhooksApi webhooks;
  private volatile Notifications notifications;
  private UserSettingsBook userSettings;
  private volatile ProjectFiles files;
  private volatile HttpServer server;
  /** Every instance of the HTTP server ({@code http.eventLoops}), {@link #server} the first. */
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private volatile ConnectionLimits connectionLimits;
  private volatile Deletions deletions;
  private final List<NodeExtension> extensions = new CopyOnWriteArrayList<>();
  /** The extensions on the class path, found once: the one that shares the keysets is the one that joins. */
  private final List<NodeExtension> found = new ArrayList<>();
  /** Where the keysets are shared (a cluster's), closed last; {@link KeyShare#NONE} on a single node. */
  private volatile KeyShare keyShare = KeyShare.NONE;
  /** Set while a backup runs, on demand or scheduled: one at a time. */
  private final AtomicBoolean backupRunning = new AtomicBoolean();
  private BackupSchedule backupSchedule;
  private volatile boolean ready;
  /** What the extensions were started with, handed to them again before the node says ready. */
  private volatile ExtensionContext extensionContext;
  private Future<Void> closing;

  private Node(Vertx vertx, NodeOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.runFiles = new RunFiles(options.getDataDir());
    // With metrics off nothing is bound (no JVM binders either), so the node pays nothing for them.
    this.metrics = new NodeMetrics(options.metricsEnabled());
    this.telemetry = options.telemetryOptions().enabled()
        ? Telemetry.start(options.telemetryOptions(), instanceName())
        : Telemetry.off();
  }

  /** The trace resource's service.instance.id: this host and process. */
  private static String instanceName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    return host + "/" + ProcessHandle.current().pid();
  }

  /**
   * Starts a node: master key, stores (on a worker: opening recovers from the change log), the
   * kernel store, the HTTP server, extensions and modules, then the run files; it says ready once
   * every extension's {@link NodeExtension#beforeReady} has completed. On failure whatever was
   * opened is closed.
   */
  public static Future<Node> start(Vertx vertx, NodeOptions options) {
    Node node = new Node(vertx, options);
    return vertx.<Void>executeBlocking(() -> {
          node.keyShare = node.shareKeys(); // before the master key: a passphrase's salt may be the cluster's
          node.stores = StoreBoot.open(options, node.keyShare);
          if (options.metricsEnabled()) {
            node.stores.commitListener(node.metrics.commits()); // before identity: its writes count too
            node.metrics.watchStores(node.stores);
          }
          node.stores.writeTracer(node.telemetry.writes());
          node.stores.store("kernel"); // open before extensions join: a cluster follows it from there
          return null;
        })
        // Extensions join before identity writes anything (a cluster's kernel store is another process's).
        .compose(v -> node.joinExtensions())
        .compose(v -> vertx.<Void>executeBlocking(() -> {
          node.identity = Identity.start(vertx, node.stores.store("kernel"), node.stores.vault(),
              options.identityOptions(), node::readyStores, options.getClock());
          node.tenancy = new Tenancy(vertx, node.identity, options.identityOptions().sso());
          node.files = new ProjectFiles(vertx,
              node.stores.store(ProjectFiles.STORE), node.stores.vault(),
              options.getDataDir(), options.filesOptions(), node.identity::orgOfProject, name -> switch (name) {
                case "cluster" -> options.getCluster();
                case "federation" -> options.getFederation();
                default -> new JsonObject();
              });
          if (!node.identity.hasSysAdmin()) {
            log.warn("this node has no sys-admin yet; make one with: hearth admin create-sysadmin --email <you>");
          }
          return null;
        }))
        .compose(v -> node.listen())
        .compose(v -> node.startWebhooks())
        .compose(v -> node.startNotifications())
        .compose(v -> node.startExtensions())
        // Installed modules start before the node says ready; one that fails is logged and left FAILED.
        .compose(v -> node.modulesApi.startInstalled())
        .compose(v -> node.userModules.startInstalled())
        .compose(v -> vertx.<Void>executeBlocking(() -> {
          runFilesWrite(node);
          return null;
        }))
        // Last, with every store open: an extension may hold readiness (a cluster process's copies catch up).
        .compose(v -> node.extensionsBeforeReady())
        .map(v -> {
          node.startBackupSchedule();
          node.ready = true;
          return node;
        })
        .recover(err -> node.close().transform(x -> Future.failedFuture(err)));
  }

  /**
   * Builds the API (routes, services, realtime, the module host) on a worker, then binds the port on
   * the event loop: building loads and initializes hundreds of classes, which on a loaded machine took
   * seconds, and an event loop must not be held that long (Vert.x warns of a blocked thread).
   */
  private Future<Void> listen() {
    // Port 0 is "any free port": Vert.x gives each instance listening on 0 a port of its own, and
    // shares one random port between the instances that listen on -1.
    int port = options.getPort() == 0 ? -1 : options.getPort();
    return vertx.<HttpServerOptions>executeBlocking(this::assemble, false)
        .compose(serverOptions -> bind(serverOptions, port)
            .recover(err -> Future.failedFuture(new IllegalStateException(
                "cannot listen on " + options.getHost() + ":" + options.getPort() + ": " + err.getMessage(), err)))
            .compose(first -> {
              server = first;
              servers.add(first);
              // More instances on the same port, each on its own event loop: Vert.x hands each new
              // connection to one of them in turn, so HTTP and WebSocket work use every core.
              List<Future<HttpServer>> more = new ArrayList<>();
              for (int i = 1; i < options.httpOptions().eventLoops(); i++) more.add(bind(serverOptions, port));
              return Future.all(more).map(all -> {
                more.forEach(f -> servers.add(f.result()));
                return null;
              });
            }));
  }

  /**
   * One HTTP server instance with the node's handlers, bound to a new event-loop context (its own
   * loop). Made and told to listen on a worker of that context: the server classes load there, not on
   * the loop, and the server still serves its connections on the loop.
   */
  private Future<HttpServer> bind(HttpServerOptions serverOptions, int port) {
    ContextInternal loop = ((VertxInternal) vertx).createEventLoopContext();
    return loop.<Future<HttpServer>>executeBlocking(() -> {
      HttpServer http = vertx.createHttpServer(serverOptions);
      connectionLimits.installOn(http, api::handle);
      WsEndpoint.mount(http, vertx, realtime, identity::authenticate, connectionLimits::upgraded);
      return http.listen(port, options.getHost());
    }, false).compose(f -> f);
  }

  /** Everything {@link #listen} serves, and the options of the HTTP servers that serve it. Blocking. */
  private HttpServerOptions assemble() {
    Router router = Router.router(vertx);
    ApiErrors.install(router);
    HealthRoutes.mount(router, this::readyStores);
    SsoCallbackRoute.mount(router, identity);
    boolean metered = options.metricsEnabled();
    if (metered) MetricsRoutes.mount(router, vertx, metrics);
    WebShellRoutes.mount(router, vertx); // the web shell at /, host configs
    router.get("/.well-known/jwks.json").handler(ctx ->
        ctx.response().putHeader("content-type", "application/jwk-set+json").end(identity.jwks()));
    router.route("/admin/*").handler(new AdminAuth(adminToken));
    KeysAdminRoutes.mount(router, vertx, this::readyStores);
    SysAdminRoutes.mount(router, identity);
    HearthStore kernel = stores.store("kernel");
    RpcRegistry registry = new RpcRegistry();
    ModuleSwitches switches = new ModuleSwitches(kernel, identity::orgOfProject, registry::ownerOf,
        UserModulesApi.homes(kernel));
    CallGuard guard = new NodeGuard(identity.guard(), switches);
    long maxArchive = options.modulesOptions().maxArchiveBytes();
    RequestLimits limits = new RequestLimits(options.identityOptions().maxRequestBytes())
        .set(ModulesApi.INSTALL, maxArchive, "modules.maxArchiveBytes");
    userSettings = new UserSettingsBook(stores.store("kernel"));
    Dispatcher dispatcher = new Dispatcher(guard, metered ? metrics.calls() : CallObserver.NONE, telemetry.calls(),
        new NodeLocalizer(userSettings::language, identity::defaultLanguage));
    api = new ApiServer(vertx, router, registry, dispatcher, limits, options.corsOptions(), () -> ready);
    ChatCalls chatCalls = new ChatCalls(registry, dispatcher);
    IncomingHookRoute.mount(router, identity, chatCalls, options.identityOptions().incomingHookPostsPerMinute());
    flags = new FlagBook(stores.store("kernel"), identity::orgOfProject);
    KernelFlags.declare(flags, identity);
    realtime = new RealtimeHub(vertx, options.realtimeOptions(), stores::replica);
    if (metered) metrics.watchRealtime(realtime);
    SlashCommandsApi slashCommands = new SlashCommandsApi(kernel, identity, chatCalls, new CommandCaller(vertx,
        options.webhooksOptions().allowPrivateAddresses(), CommandCaller.TIMEOUT_MILLIS, options.webhooksOptions().shellHooksDir()),
        options.getClock());
    api.add(identity.binding(files.avatars(), tenancy.inviteCodes(), tenancy.orgSignIns()));
    tenancy.bindings(files.avatars(), chatCalls::addMember, slashCommands::projectDeleted).forEach(api::add);
    api.add(AdminApi.of(identity, tenancy, realtime::authenticatedConnections).binding());
    api.addStream(GrpcRealtime.descriptor(), GrpcRealtime.METHOD,
        new GrpcRealtime(vertx, realtime, identity::authenticate)::serve);
    files.serve(api, realtime.forModule("files", stores.store(ProjectFiles.STORE)),
        identity.authorization());
    PageRegistry pages = new PageRegistry();
    PageTopics.announce(pages, realtime.forModule("ui", stores.store("kernel")));
    KernelPages.register(pages);
    modules = new ModuleHost(vertx, options.getPluginsDir(), stores, id -> switches.forModule(identity.authorization(), id),
        options::moduleConfig, api, realtime, pages, files.refs(), metered ? metrics : null, flags);
    if (metered) metrics.watchModules(modules::states);
    BackupRoutes.mount(router, vertx, stores, modules, backupRunning);
    modulesApi = new ModulesApi(vertx, modules, switches, maxArchive);
    api.add(modulesApi.binding());
    userModules = new UserModulesApi(modules, stores.store("kernel"), identity.authorization(),
        identity::projectAdminsInstallUserModules, identity::audit);
    api.add(userModules.binding());
    api.add(new SeedSetsApi(stores.store("kernel")).binding());
    api.add(slashCommands.binding());
    api.add(new FlagsApi(flags, switches, this::moduleIds, identity::audit, pages::announce).binding());
    api.add(new SettingsApi(userSettings, identity::defaultLanguage,
        () -> api.registry().method("hearth.federation.v1.FedService/ListLinks").isPresent(),
        () -> api.registry().method("hearth.cluster.v1.ClusterService/Status").isPresent()).binding());
    api.add(new BackupsApi(vertx, stores, options.backupOptions(), backupRunning, identity::audit)
        .binding());
    api.add(new PagesApi(pages, identity.authorization(), switches::enabledForProject, stores.store("kernel"),
        identity::audit).binding());
    HttpServerOptions serverOptions = ConnectionLimits.serverOptions(new HttpServerOptions(),
        options.httpOptions())
        // The realtime protocol's own limit (maxFrameBytes) is enforced per message by WsConnection, with
        // an error frame and close 1009; the WebSocket layer refuses a single frame past four times that
        // from its header, with a close 1009 (FrameViolations).
        .setMaxWebSocketFrameSize(Math.max(realtime.options().maxFrameBytes() * 4, 256 * 1024))
        .setMaxWebSocketMessageSize(Math.max(realtime.options().maxFrameBytes() * 4, 256 * 1024))
        // HTTP/2's default 64 KiB stream window makes a gRPC upload wait for a window update every
        // 64 KiB; 1 MiB per stream (4 MiB per connection) keeps a stream busy. Flow control still
        // bounds what a client may send ahead of what the node has read.
        .setInitialSettings(new Http2Settings().setInitialWindowSize(1 << 20))
        .setHttp2ConnectionWindowSize(4 << 20);
    connectionLimits = ConnectionLimits.create(vertx, options.httpOptions());
    // Before the port opens, so no deletion goes by unseen.
    deletions = new Deletions(kernel, List.of(new Deletions.Kept(userSettings::has, userSettings::delete),
        Notifications.keptOfUsers(kernel)));
    return serverOptions;
  }

  private void startBackupSchedule() {
    var backup = options.backupOptions();
    if (backup.scheduled()) {
      backupSchedule = new BackupSchedule(vertx, backup, stores.dataDir(),
          BackupRoutes.durable(stores), backupRunning, identity::writesKernelHere, name -> stores.replicaCatchUp().await(name));
      backupSchedule.start();
    }
  }

  /** Webhooks follow modules' change logs, so they start before any module does (and miss none). */
  private Future<Void> startWebhooks() {
    return WebhooksApi.start(vertx, stores.store("kernel"), options.webhooksOptions(),
        identity, realtime).map(w -> {
          webhooks = w;
          api.add(w.binding());
          return null;
        });
  }

  /** Notifications follow modules' change logs too, so they also start before any module does. */
  private Future<Void> startNotifications() {
    return Notifications.start(vertx, stores.store("kernel"), options.notificationsOptions(), identity, realtime,
        userSettings, flags, options.webhooksOptions().allowPrivateAddresses(), options.getClock()).map(n -> {
          notifications = n;
          api.add(n.binding());
          return null;
        });
  }

  /** The node's notifications (docs/notifications.md), for tests and tools. */
  Notifications notifications() {
    return notifications;
  }

  /** The modules flags can name as {@code module.<id>}: loaded plugins and running user modules. */
  private List<String> moduleIds() {
    List<String> ids = new ArrayList<>(modules.list().stream().map(m -> m.getString("pluginId")).toList());
    ids.addAll(modules.hosted());
    return ids;
  }

  /**
   * Finds the extensions on the class path and lets each join, one after the other, with the stores
   * open and before identity starts ({@link NodeExtension#join}). A joined extension is stopped on close.
   */
  private Future<Void> joinExtensions() {
    BootExtensionContext boot = new BootExtensionContext(vertx, options, stores);
    Future<Void> chain = Future.succeededFuture();
    for (NodeExtension e : found) {
      chain = chain.compose(v -> {
        extensions.add(e);
        return e.join(boot);
      });
    }
    return chain;
  }

  /** Finds the extensions on the class path and asks them, in turn, where the keysets are shared. Blocking. */
  private KeyShare shareKeys() {
    ServiceLoader.load(NodeExtension.class, Node.class.getClassLoader()).forEach(found::add);
    for (NodeExtension e : found) {
      KeyShare share = e.keyShare(options.getDataDir().toAbsolutePath(), name -> BootExtensionContext.section(options, name));
      if (share != null) {
        log.info("keysets shared through {} (extension {})", share.describe(), e.name());
        return share;
      }
    }
    return KeyShare.NONE;
  }

  /** Starts the extensions that joined, one after the other. */
  private Future<Void> startExtensions() {
    ExtensionContext context = new ExtensionContext(vertx, options, port(), stores, api, identity, tenancy, metrics, telemetry, realtime,
        this::isReady);
    extensionContext = context;
    Future<Void> chain = Future.succeededFuture();
    for (NodeExtension e : List.copyOf(extensions)) {
      chain = chain.compose(v -> e.start(context).onSuccess(x -> log.info("extension {} started", e.name())));
    }
    return chain;
  }

  /**
   * Lets each started extension, one after the other, hold the node's readiness until what it keeps
   * is current ({@link NodeExtension#beforeReady}: a cluster process's copies of the stores others write).
   */
  private Future<Void> extensionsBeforeReady() {
    ExtensionContext context = extensionContext;
    Future<Void> chain = Future.succeededFuture();
    for (NodeExtension e : List.copyOf(extensions)) chain = chain.compose(v -> e.beforeReady(context));
    return chain;
  }

  private static void runFilesWrite(Node node) {
    long pid = ProcessHandle.current().pid();
    node.runFiles.write(new RunFiles.Info(pid, node.options.getHost(), node.port()), node.adminToken);
  }

  /** The port the HTTP server is bound to (the real one when the options asked for 0). */
  public int port() {
    HttpServer s = server;
    return s == null ? -1 : s.actualPort();
  }

  // The getters below are package-private: a node's public face is its life cycle (start, port,
  // isReady, beginShutdown, close). NodeInternals hands the parts to the test kit and the ops tools.

  /** The node's stores (the kernel's and each module's), for tools and tests. */
  Stores stores() {
    return stores;
  }

  NodeOptions options() {
    return options;
  }

  RunFiles runFiles() {
    return runFiles;
  }

  /** The API server, to add services to (modules do, through their context). */
  ApiServer api() {
    return api;
  }

  /** The running extension of type {@code type}, if it was found and started. */
  <T extends NodeExtension> Optional<T> extension(Class<T> type) {
    return extensions.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /** Identity: accounts, sessions, JWT, the guard. */
  Identity identity() {
    return identity;
  }

  /** Tenancy: orgs, projects, memberships and invites (federation redeems invites through it). */
  Tenancy tenancy() {
    return tenancy;
  }

  /** The module host: loads, starts and stops module jars while the node runs. */
  ModuleHost modules() {
    return modules;
  }

  /** The node's meters, served on {@code /metrics} (when metrics are enabled; otherwise they stay empty). */
  NodeMetrics metrics() {
    return metrics;
  }

  /** Whether {@code /ready} says READY: stores open and not shutting down. */
  public boolean isReady() {
    return ready;
  }

  /** The open stores while ready, {@code null} otherwise (the routes answer 503 then). */
  private List<HearthStore> readyStores() {
    Stores s = stores;
    return ready && s != null ? s.opened() : null;
  }

  /**
   * Stops being ready at once, so load balancers drain the node; {@link #close} does this first.
   * Split out so a supervisor can wait between the two.
   */
  public void beginShutdown() {
    ready = false;
  }

  /** Closes the node; idempotent. Completes once the stores are closed and the run files gone. */
  public synchronized Future<Void> close() {
    if (closing != null) return closing;
    beginShutdown();
    if (backupSchedule != null) backupSchedule.close();
    if (connectionLimits != null) connectionLimits.close();
    HttpServer s = server;
    // Calls in flight are answered first (a cluster's front waits for the owner's answer over the
    // extension's connection), bounded by the longest drain an extension asks for; then extensions stop.
    long drainMillis = extensions.stream().mapToLong(e -> e.drain().toMillis()).max().orElse(0);
    Future<Void> http = Future.join(servers.stream().map(sv -> sv.shutdown(drainMillis, TimeUnit.MILLISECONDS)).toList())
        .mapEmpty();
    Future<Void> ext = http.transform(x -> Future.succeededFuture());
    for (NodeExtension e : extensions) {
      // On a worker: an extension's stop may block (the cluster drains the calls it serves, then releases its leases).
      ext = ext.transform(x -> vertx.<Void>executeBlocking(() -> {
        e.stop().toCompletionStage().toCompletableFuture().get(STOP_EXTENSION_SECONDS, TimeUnit.SECONDS);
        return null;
      }, false).recover(err -> {
        log.warn("extension {} did not stop cleanly: {}", e.name(), err.toString());
        return Future.succeededFuture();
      }));
    }
    var hooks = webhooks;
    if (hooks != null) ext = ext.transform(x -> hooks.close().otherwise((Void) null));
    var notes = notifications;
    if (notes != null) ext = ext.transform(x -> notes.close().otherwise((Void) null));
    Future<Void> before = ext;
    closing = http.transform(x -> before)
        .transform(x -> vertx.<Void>executeBlocking(() -> {
          ModuleHost m = modules;
          if (m != null) m.close(); // modules stop before the stores they use close
          Deletions d = deletions;
          if (d != null) d.close();
          Identity id = identity;
          if (id != null) id.close();
          ProjectFiles f = files;
          if (f != null) f.close();
          Stores st = stores;
          if (st != null) {
            st.close(); // final checkpoint: the next start needs no replay
            log.info("stores closed");
          }
          // Only a node that listened wrote run files: one that lost the lock must not delete the owner's.
          if (s != null) runFiles.delete();
          keyShare.close();
          metrics.close();
          telemetry.close(); // last: the spans of the final writes are sent
          return null;
        }));
    return closing;
  }

  private static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
