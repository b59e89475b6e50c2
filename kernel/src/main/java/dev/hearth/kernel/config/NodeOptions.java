package dev.hearth.kernel.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;

/**
 * What a node needs to start. Values come from, lowest to highest precedence: the defaults here, a
 * JSON config file, environment variables, command-line flags (see {@link #resolve}).
 *
 * <p>The master key file defaults to a path <em>beside</em> the data directory, not inside it: a
 * copy of {@code data/} alone (a stolen backup, a disk image) must be useless without the key.
 */
public final class NodeOptions {

  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final Path DEFAULT_DATA_DIR = Path.of("data");
  /** Module jars the node loads at start and where installed modules are kept. */
  public static final Path DEFAULT_PLUGINS_DIR = Path.of("plugins");
  public static final Path DEFAULT_MASTER_KEY_FILE = Path.of("hearth-master.key");

  /** Flags given on the command line; {@code null} means "not given". */
  public record Flags(Integer port, String host, Path dataDir, Path masterKeyFile, Path config) {
    public static final Flags NONE = new Flags(null, null, null, null, null);
  }

  private int port = DEFAULT_PORT;
  private String host = DEFAULT_HOST;
  private Path dataDir = DEFAULT_DATA_DIR;
  private Path pluginsDir = DEFAULT_PLUGINS_DIR;
  private Path masterKeyFile = DEFAULT_MASTER_KEY_FILE;
  private char[] passphrase;
  private Clock clock = Clock.systemUTC();
  private JsonObject store = new JsonObject();
  private JsonObject identity = new JsonObject();
  private JsonObject realtime = new JsonObject();
  private JsonObject http = new JsonObject();
  private JsonObject modules = new JsonObject();
  private JsonObject webhooks = new JsonObject();
  private JsonObject notifications = new JsonObject();
  private JsonObject files = new JsonObject();
  private JsonObject federation = new JsonObject();
  private JsonObject cluster = new JsonObject();
  private JsonObject backup = new JsonObject();
  private JsonObject telemetry = new JsonObject();
  private JsonObject metrics = new JsonObject();
  private JsonObject moduleConfig = new JsonObject();
  private JsonObject cors = new JsonObject();

  /**
   * Builds the options from a config file (named by {@code --config} or {@code HEARTH_CONFIG}), the
   * environment and the flags.
   *
   * @throws InvalidOptionException naming the option when a value is unusable
   */
  public static NodeOptions resolve(Map<String, String> env, Flags flags) {
    return OptionSources.resolve(env, flags);
  }

  /** HTTP port; 0 picks a free one (see {@link Node#port()} for the one bound). */
  public int getPort() {
    return port;
  }

  public NodeOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public String getHost() {
    return host;
  }

  public NodeOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public Path getDataDir() {
    return dataDir;
  }

  public NodeOptions setDataDir(Path dataDir) {
    this.dataDir = dataDir;
    return this;
  }

  /** The key file used when no passphrase is set; created on first start. */
  public Path getPluginsDir() {
    return pluginsDir;
  }

  public NodeOptions setPluginsDir(Path pluginsDir) {
    this.pluginsDir = pluginsDir;
    return this;
  }

  public Path getMasterKeyFile() {
    return masterKeyFile;
  }

  public NodeOptions setMasterKeyFile(Path masterKeyFile) {
    this.masterKeyFile = masterKeyFile;
    return this;
  }

  /** When set, the master key is derived from it and the key file is not used. Never logged. */
  public char[] getPassphrase() {
    return passphrase == null ? null : passphrase.clone();
  }

  public boolean hasPassphrase() {
    return passphrase != null;
  }

  public NodeOptions setPassphrase(char[] passphrase) {
    this.passphrase = passphrase == null ? null : passphrase.clone();
    return this;
  }

  /**
   * The time the node's expiries are reckoned by (tokens, invites, federation link tokens and
   * forwarded writes): the system's UTC clock. Not a config setting: tests move it to prove an
   * expiry without sleeping.
   */
  public Clock getClock() {
    return clock;
  }

  public NodeOptions setClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Store tunables as given in the config file's {@code store} section. */
  public JsonObject getStore() {
    return store.copy();
  }

  public NodeOptions setStore(JsonObject store) {
    this.store = store == null ? new JsonObject() : store.copy();
    return this;
  }

  /** Identity tunables as given in the config file's {@code identity} section. */
  public JsonObject getIdentity() {
    return identity.copy();
  }

  public NodeOptions setIdentity(JsonObject identity) {
    this.identity = identity == null ? new JsonObject() : identity.copy();
    return this;
  }

  /** Realtime tunables as given in the config file's {@code realtime} section. */
  public JsonObject getRealtime() {
    return realtime.copy();
  }

  public NodeOptions setRealtime(JsonObject realtime) {
    this.realtime = realtime == null ? new JsonObject() : realtime.copy();
    return this;
  }

  /** HTTP connection limits as given in the config file's {@code http} section. */
  public JsonObject getHttp() {
    return http.copy();
  }

  public NodeOptions setHttp(JsonObject http) {
    this.http = http == null ? new JsonObject() : http.copy();
    return this;
  }

  public HttpOptions httpOptions() {
    return HttpOptions.from(http);
  }

  public RealtimeOptions realtimeOptions() {
    return RealtimeOptions.from(realtime);
  }

  /**
   * The config file's {@code federation} section (and {@code HEARTH_NATS_URL} as its {@code natsUrl}),
   * for the federation extension, which validates it; empty when federation is not configured.
   */
  public JsonObject getFederation() {
    return federation.copy();
  }

  public NodeOptions setFederation(JsonObject federation) {
    this.federation = federation == null ? new JsonObject() : federation.copy();
    return this;
  }

  /**
   * The config file's {@code cluster} section (and {@code HEARTH_CLUSTER_NATS_URLS},
   * {@code HEARTH_CLUSTER_PROCESS_ID}), for the cluster extension, which validates it; empty when
   * this process is a single node (docs/cluster.md).
   */
  public JsonObject getCluster() {
    return cluster.copy();
  }

  public NodeOptions setCluster(JsonObject cluster) {
    this.cluster = cluster == null ? new JsonObject() : cluster.copy();
    return this;
  }

  /** The config file's {@code backup} section: scheduled backups (none when it is empty). */
  public JsonObject getBackup() {
    return backup.copy();
  }

  public NodeOptions setBackup(JsonObject backup) {
    this.backup = backup == null ? new JsonObject() : backup.copy();
    return this;
  }

  /** @throws IllegalArgumentException naming the bad key */
  public BackupOptions backupOptions() {
    return BackupOptions.from(backup);
  }

  /** Webhook settings as given in the config file's {@code webhooks} section (docs/webhooks.md). */
  public JsonObject getWebhooks() {
    return webhooks.copy();
  }

  public NodeOptions setWebhooks(JsonObject webhooks) {
    this.webhooks = webhooks == null ? new JsonObject() : webhooks.copy();
    return this;
  }

  public WebhooksOptions webhooksOptions() {
    return WebhooksOptions.from(webhooks);
  }

  /** The config file's {@code notifications} section (docs/notifications.md); holds the SMTP password. */
  public JsonObject getNotifications() {
    return notifications.copy();
  }

  public NodeOptions setNotifications(JsonObject notifications) {
    this.notifications = notifications == null ? new JsonObject() : notifications.copy();
    return this;
  }

  public NotificationsOptions notificationsOptions() {
    return NotificationsOptions.from(notifications);
  }

  /** The config file's {@code telemetry} section (and {@code HEARTH_OTLP_ENDPOINT} as its {@code otlpEndpoint}). */
  public JsonObject getTelemetry() {
    return telemetry.copy();
  }

  public NodeOptions setTelemetry(JsonObject telemetry) {
    this.telemetry = telemetry == null ? new JsonObject() : telemetry.copy();
    return this;
  }

  public TelemetryOptions telemetryOptions() {
    return TelemetryOptions.from(telemetry);
  }

  /** The config file's {@code metrics} section: {@code {"enabled": false}} turns {@code /metrics} and every meter off. */
  public JsonObject getMetrics() {
    return metrics.copy();
  }

  public NodeOptions setMetrics(JsonObject metrics) {
    this.metrics = metrics == null ? new JsonObject() : metrics.copy();
    return this;
  }

  /** Whether the node keeps meters and serves {@code /metrics}; true unless {@code metrics.enabled} is false. */
  public boolean metricsEnabled() {
    return metrics.getBoolean("enabled", true);
  }

  /** Module install tunables as given in the config file's {@code modules} section. */
  public JsonObject getModules() {
    return modules.copy();
  }

  public NodeOptions setModules(JsonObject modules) {
    this.modules = modules == null ? new JsonObject() : modules.copy();
    return this;
  }

  /** Project-file tunables as given in the config file's {@code files} section. */
  public JsonObject getFiles() {
    return files.copy();
  }

  public NodeOptions setFiles(JsonObject files) {
    this.files = files == null ? new JsonObject() : files.copy();
    return this;
  }

  public FilesOptions filesOptions() {
    return FilesOptions.from(files);
  }

  /**
   * The config file's {@code moduleConfig} section: module id to that module's own settings, which
   * the module reads through {@code ModuleContext.config()} and checks itself (the kernel cannot
   * know a module's keys). May hold secrets (an SFU's API secret), so {@link #toJson} shows only
   * which modules are configured.
   */
  public JsonObject getModuleConfig() {
    return moduleConfig.copy();
  }

  public NodeOptions setModuleConfig(JsonObject moduleConfig) {
    this.moduleConfig = moduleConfig == null ? new JsonObject() : moduleConfig.copy();
    return this;
  }

  /** One module's section of {@link #getModuleConfig}; an empty object when it has none. */
  public JsonObject moduleConfig(String moduleId) {
    JsonObject c = moduleConfig.getJsonObject(moduleId);
    return c == null ? new JsonObject() : c.copy();
  }

  /** The config file's {@code cors} section: browser origins allowed to call the API (none by default). */
  public JsonObject getCors() {
    return cors.copy();
  }

  public NodeOptions setCors(JsonObject cors) {
    this.cors = cors == null ? new JsonObject() : cors.copy();
    return this;
  }

  public CorsOptions corsOptions() {
    return CorsOptions.from(cors);
  }

  public ModulesOptions modulesOptions() {
    return ModulesOptions.from(modules);
  }

  public IdentityOptions identityOptions() {
    return IdentityOptions.from(identity);
  }

  public StoreOptions storeOptions() {
    return StoreOptions.from(store);
  }

  /** The effective configuration, for the start-up log line; the passphrase shows only as set or not. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("port", port)
        .put("host", host)
        .put("dataDir", dataDir.toAbsolutePath().toString())
        .put("pluginsDir", pluginsDir.toAbsolutePath().toString())
        .put("masterKey", passphrase != null ? "passphrase" : masterKeyFile.toAbsolutePath().toString())
        .put("store", store.copy())
        .put("identity", identity.copy())
        .put("realtime", realtime.copy()).put("http", http.copy())
        .put("modules", modules.copy()).put("federation", federation.copy())
        .put("cluster", cluster.copy())
        .put("backup", backup.copy()).put("webhooks", webhooks.copy()).put("files", files.copy())
        .put("notifications", NotificationsOptions.redacted(notifications))
        .put("telemetry", telemetry.copy()).put("metrics", metrics.copy()).put("cors", cors.copy())
        .put("moduleConfig", new JsonArray(new ArrayList<>(moduleConfig.fieldNames())));
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
