package dev.hearth.kernel.config;

import dev.hearth.kernel.spi.InvalidOptionException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Layers the sources of {@link NodeOptions}: defaults &lt; config file &lt; environment &lt; flags.
 * Each value remembers where it came from, so an error names the flag, variable or config key the
 * user has to fix, and a bad value that a higher source overrides is never reported.
 */
final class OptionSources {

  static final Set<String> FILE_KEYS = Set.of("port", "host", "dataDir", "pluginsDir", "masterKeyFile", "store", "identity",
      "realtime", "http", "modules", "federation", "cluster", "backup", "webhooks", "notifications", "files", "telemetry", "metrics", "moduleConfig", "cors");

  private final NodeOptions options = new NodeOptions();
  private final Map<String, String> origin = new HashMap<>();

  static NodeOptions resolve(Map<String, String> env, NodeOptions.Flags flags) {
    OptionSources s = new OptionSources();
    if (flags.config() != null) {
      s.file(flags.config(), "--config");
    } else if (present(env, "HEARTH_CONFIG")) {
      s.file(s.path(env.get("HEARTH_CONFIG"), "HEARTH_CONFIG"), "HEARTH_CONFIG");
    }
    s.env(env);
    s.flags(flags);
    s.check();
    return s.options;
  }

  private void file(Path file, String via) {
    String label = "config file " + file + " (" + via + ")";
    JsonObject json;
    try {
      json = new JsonObject(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new InvalidOptionException(via, "config file " + file + " does not exist");
    } catch (IOException e) {
      throw new InvalidOptionException(via, "cannot read config file " + file + ": " + e.getMessage());
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidOptionException(via, "config file " + file + " is not a JSON object");
    }
    for (String key : json.fieldNames()) {
      if (!FILE_KEYS.contains(key)) {
        throw new InvalidOptionException(label, "unknown key '" + key + "'; known keys: " + FILE_KEYS);
      }
    }
    Object port = json.getValue("port");
    if (port != null) {
      if (!(port instanceof Integer || port instanceof Long)) {
        throw new InvalidOptionException(label + " port", "'" + port + "' is not a port number (0-65535)");
      }
      set("port", label + " port", () -> options.setPort(((Number) port).intValue()));
    }
    String host = string(json, "host", label);
    if (host != null) set("host", label + " host", () -> options.setHost(host));
    String data = string(json, "dataDir", label);
    if (data != null) set("dataDir", label + " dataDir", () -> options.setDataDir(path(data, label + " dataDir")));
    String plugins = string(json, "pluginsDir", label);
    if (plugins != null) {
      set("pluginsDir", label + " pluginsDir", () -> options.setPluginsDir(path(plugins, label + " pluginsDir")));
    }
    String key = string(json, "masterKeyFile", label);
    if (key != null) {
      set("masterKeyFile", label + " masterKeyFile", () -> options.setMasterKeyFile(path(key, label + " masterKeyFile")));
    }
    Object store = json.getValue("store");
    if (store != null) {
      if (!(store instanceof JsonObject)) {
        throw new InvalidOptionException(label + " store", "must be a JSON object of store tunables");
      }
      set("store", label + " store", () -> options.setStore((JsonObject) store));
    }
    Object identity = json.getValue("identity");
    if (identity != null) {
      if (!(identity instanceof JsonObject)) {
        throw new InvalidOptionException(label + " identity", "must be a JSON object of identity tunables");
      }
      set("identity", label + " identity", () -> options.setIdentity((JsonObject) identity));
    }
    Object realtime = json.getValue("realtime");
    if (realtime != null) {
      if (!(realtime instanceof JsonObject)) {
        throw new InvalidOptionException(label + " realtime", "must be a JSON object of realtime tunables");
      }
      set("realtime", label + " realtime", () -> options.setRealtime((JsonObject) realtime));
    }
    Object http = json.getValue("http");
    if (http != null) {
      if (!(http instanceof JsonObject)) {
        throw new InvalidOptionException(label + " http", "must be a JSON object of HTTP connection limits");
      }
      set("http", label + " http", () -> options.setHttp((JsonObject) http));
    }
    Object backup = json.getValue("backup");
    if (backup != null) {
      if (!(backup instanceof JsonObject)) {
        throw new InvalidOptionException(label + " backup", "must be a JSON object of backup settings");
      }
      set("backup", label + " backup", () -> options.setBackup((JsonObject) backup));
    }
    Object federation = json.getValue("federation");
    if (federation != null) {
      if (!(federation instanceof JsonObject)) {
        throw new InvalidOptionException(label + " federation", "must be a JSON object of federation settings");
      }
      set("federation", label + " federation", () -> options.setFederation((JsonObject) federation));
    }
    Object cluster = json.getValue("cluster");
    if (cluster != null) {
      if (!(cluster instanceof JsonObject)) {
        throw new InvalidOptionException(label + " cluster", "must be a JSON object of cluster settings");
      }
      set("cluster", label + " cluster", () -> options.setCluster((JsonObject) cluster));
    }
    Object webhooks = json.getValue("webhooks");
    if (webhooks != null) {
      if (!(webhooks instanceof JsonObject)) {
        throw new InvalidOptionException(label + " webhooks", "must be a JSON object of webhook settings");
      }
      set("webhooks", label + " webhooks", () -> options.setWebhooks((JsonObject) webhooks));
    }
    Object notifications = json.getValue("notifications");
    if (notifications != null) {
      if (!(notifications instanceof JsonObject)) {
        throw new InvalidOptionException(label + " notifications", "must be a JSON object of notification settings");
      }
      set("notifications", label + " notifications", () -> options.setNotifications((JsonObject) notifications));
    }
    for (String section : new String[] {"telemetry", "metrics"}) {
      Object value = json.getValue(section);
      if (value == null) continue;
      if (!(value instanceof JsonObject)) {
        throw new InvalidOptionException(label + " " + section, "must be a JSON object of " + section + " settings");
      }
      if (section.equals("telemetry")) set("telemetry", label + " telemetry", () -> options.setTelemetry((JsonObject) value));
      else set("metrics", label + " metrics", () -> options.setMetrics((JsonObject) value));
    }
    Object cors = json.getValue("cors");
    if (cors != null) {
      if (!(cors instanceof JsonObject)) {
        throw new InvalidOptionException(label + " cors", "must be a JSON object such as {\"allowedOrigins\": [...]}");
      }
      set("cors", label + " cors", () -> options.setCors((JsonObject) cors));
    }
    Object modules = json.getValue("modules");
    if (modules != null) {
      if (!(modules instanceof JsonObject)) {
        throw new InvalidOptionException(label + " modules", "must be a JSON object of module tunables");
      }
      set("modules", label + " modules", () -> options.setModules((JsonObject) modules));
    }
    Object files = json.getValue("files");
    if (files != null) {
      if (!(files instanceof JsonObject)) {
        throw new InvalidOptionException(label + " files", "must be a JSON object of file tunables");
      }
      set("files", label + " files", () -> options.setFiles((JsonObject) files));
    }
    Object moduleConfig = json.getValue("moduleConfig");
    if (moduleConfig != null) {
      if (!(moduleConfig instanceof JsonObject sections)) {
        throw new InvalidOptionException(label + " moduleConfig", "must be a JSON object of module id to settings");
      }
      for (String id : sections.fieldNames()) {
        if (!(sections.getValue(id) instanceof JsonObject)) {
          throw new InvalidOptionException(label + " moduleConfig." + id, "must be a JSON object (that module's settings)");
        }
      }
      set("moduleConfig", label + " moduleConfig", () -> options.setModuleConfig(sections));
    }
  }

  private void env(Map<String, String> env) {
    if (present(env, "HEARTH_PORT")) {
      int port = parsePort(env.get("HEARTH_PORT"), "HEARTH_PORT");
      set("port", "HEARTH_PORT", () -> options.setPort(port));
    }
    if (present(env, "HEARTH_HOST")) set("host", "HEARTH_HOST", () -> options.setHost(env.get("HEARTH_HOST").trim()));
    if (present(env, "HEARTH_NATS_URL")) {
      // Read by the federation extension, which checks the whole section when it starts.
      set("federation", "HEARTH_NATS_URL", () -> options.setFederation(options.getFederation()
          .put("natsUrl", env.get("HEARTH_NATS_URL").trim())));
    }
    // Read by the cluster extension, which checks the whole section when it starts.
    if (present(env, "HEARTH_CLUSTER_NATS_URLS")) {
      set("cluster", "HEARTH_CLUSTER_NATS_URLS", () -> options.setCluster(options.getCluster()
          .put("natsUrls", env.get("HEARTH_CLUSTER_NATS_URLS").trim())));
    }
    if (present(env, "HEARTH_CLUSTER_PROCESS_ID")) {
      set("cluster", "HEARTH_CLUSTER_PROCESS_ID", () -> options.setCluster(options.getCluster()
          .put("processId", env.get("HEARTH_CLUSTER_PROCESS_ID").trim())));
    }
    if (present(env, "HEARTH_OTLP_ENDPOINT")) {
      set("telemetry", "HEARTH_OTLP_ENDPOINT", () -> options.setTelemetry(options.getTelemetry()
          .put("otlpEndpoint", env.get("HEARTH_OTLP_ENDPOINT").trim())));
    }
    if (present(env, "HEARTH_SMTP_PASSWORD")) {
      // The SMTP password out of the config file; it applies to the smtp section the file gives.
      JsonObject n = options.getNotifications();
      JsonObject email = n.getValue("email") instanceof JsonObject e ? e : null;
      JsonObject smtp = email != null && email.getValue("smtp") instanceof JsonObject s ? s : null;
      if (smtp != null) {
        smtp.put("password", env.get("HEARTH_SMTP_PASSWORD"));
        set("notifications", "HEARTH_SMTP_PASSWORD", () -> options.setNotifications(n));
      }
    }
    if (present(env, "HEARTH_PLUGINS")) {
      set("pluginsDir", "HEARTH_PLUGINS", () -> options.setPluginsDir(path(env.get("HEARTH_PLUGINS"), "HEARTH_PLUGINS")));
    }
    if (present(env, "HEARTH_DATA")) {
      set("dataDir", "HEARTH_DATA", () -> options.setDataDir(path(env.get("HEARTH_DATA"), "HEARTH_DATA")));
    }
    if (present(env, "HEARTH_MASTER_KEY_FILE")) {
      set("masterKeyFile", "HEARTH_MASTER_KEY_FILE",
          () -> options.setMasterKeyFile(path(env.get("HEARTH_MASTER_KEY_FILE"), "HEARTH_MASTER_KEY_FILE")));
    }
    String pass = env.get("HEARTH_MASTER_PASSPHRASE");
    if (pass != null) {
      if (pass.isEmpty()) {
        throw new InvalidOptionException("HEARTH_MASTER_PASSPHRASE", "is set but empty; unset it to use the key file");
      }
      options.setPassphrase(pass.toCharArray());
    }
  }

  private void flags(NodeOptions.Flags f) {
    if (f.port() != null) set("port", "--port", () -> options.setPort(f.port()));
    if (f.host() != null) set("host", "--host", () -> options.setHost(f.host().trim()));
    if (f.dataDir() != null) set("dataDir", "--data", () -> options.setDataDir(f.dataDir()));
    if (f.masterKeyFile() != null) set("masterKeyFile", "--master-key-file", () -> options.setMasterKeyFile(f.masterKeyFile()));
  }

  /** Checks the winning values; errors name the source each came from. */
  private void check() {
    if (options.getPort() < 0 || options.getPort() > 65535) {
      throw new InvalidOptionException(from("port"), options.getPort() + " is not a port number (0-65535)");
    }
    if (options.getHost().isBlank()) throw new InvalidOptionException(from("host"), "must not be empty");
    Path data = options.getDataDir();
    if (Files.exists(data) && !Files.isDirectory(data)) {
      throw new InvalidOptionException(from("dataDir"), data + " exists and is not a directory");
    }
    if (!options.hasPassphrase() && Files.isDirectory(options.getMasterKeyFile())) {
      throw new InvalidOptionException(from("masterKeyFile"), options.getMasterKeyFile() + " is a directory, not a key file");
    }
    checkStore(options.getStore(), from("store"));
    checkIdentity(options.getIdentity(), from("identity"));
    checkRealtime(options.getRealtime(), from("realtime"));
    checkHttp(options.getHttp(), from("http"));
    try {
      options.backupOptions();
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(from("backup"), e.getMessage());
    }
    checkModules(options.getModules(), from("modules"));
    try {
      options.webhooksOptions();
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(from("webhooks"), e.getMessage());
    }
    try {
      options.notificationsOptions();
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(from("notifications"), e.getMessage());
    }
    try {
      options.corsOptions();
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(from("cors"), e.getMessage());
    }
    try {
      options.filesOptions();
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(from("files"), e.getMessage());
    }
    checkTelemetry(options.getTelemetry(), from("telemetry"));
    checkMetrics(options.getMetrics(), from("metrics"));
  }

  private static void checkTelemetry(JsonObject telemetry, String source) {
    JsonObject defaults = TelemetryOptions.defaults().toJson();
    for (String key : telemetry.fieldNames()) {
      if (!defaults.containsKey(key)) {
        throw new InvalidOptionException(source, "unknown telemetry setting '" + key + "'; known: " + defaults.fieldNames());
      }
      Object v = telemetry.getValue(key);
      boolean text = key.equals("otlpEndpoint") || key.equals("serviceName");
      if (text ? !(v instanceof String) : !(v instanceof Number)) {
        throw new InvalidOptionException(source, "telemetry setting '" + key + "' must be " + (text ? "a string" : "a number"));
      }
    }
    try {
      TelemetryOptions.from(telemetry);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(source, e.getMessage());
    }
  }

  private static void checkMetrics(JsonObject metrics, String source) {
    for (String key : metrics.fieldNames()) {
      if (!key.equals("enabled")) throw new InvalidOptionException(source, "unknown metrics setting '" + key + "'; known: [enabled]");
      if (!(metrics.getValue(key) instanceof Boolean)) {
        throw new InvalidOptionException(source, "metrics setting 'enabled' must be true or false");
      }
    }
  }

  private static void checkRealtime(JsonObject realtime, String source) {
    JsonObject defaults = RealtimeOptions.defaults().toJson();
    for (String key : realtime.fieldNames()) {
      if (!defaults.containsKey(key)) {
        throw new InvalidOptionException(source, "unknown realtime tunable '" + key + "'; known: " + defaults.fieldNames());
      }
      if (!(realtime.getValue(key) instanceof Integer)) {
        throw new InvalidOptionException(source, "realtime tunable '" + key + "' must be a whole number");
      }
    }
    try {
      RealtimeOptions.from(realtime);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(source, e.getMessage());
    }
  }

  private static void checkHttp(JsonObject http, String source) {
    JsonObject defaults = HttpOptions.defaults().toJson();
    for (String key : http.fieldNames()) {
      if (!defaults.containsKey(key)) {
        throw new InvalidOptionException(source, "unknown http setting '" + key + "'; known: " + defaults.fieldNames());
      }
      if (!(http.getValue(key) instanceof Integer)) {
        throw new InvalidOptionException(source, "http setting '" + key + "' must be a whole number");
      }
    }
    try {
      HttpOptions.from(http);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(source, e.getMessage());
    }
  }

  private static void checkModules(JsonObject modules, String source) {
    JsonObject defaults = ModulesOptions.defaults().toJson();
    for (String key : modules.fieldNames()) {
      if (!defaults.containsKey(key)) {
        throw new InvalidOptionException(source, "unknown modules tunable '" + key + "'; known: " + defaults.fieldNames());
      }
      if (!(modules.getValue(key) instanceof Integer || modules.getValue(key) instanceof Long)) {
        throw new InvalidOptionException(source, "modules tunable '" + key + "' must be a whole number");
      }
    }
    try {
      ModulesOptions.from(modules);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(source, e.getMessage());
    }
  }

  private static void checkIdentity(JsonObject identity, String source) {
    for (String key : identity.fieldNames()) {
      // Every key IdentityOptions reads: the numbers, and sso (an object, docs/identity.md).
      if (!IdentityOptions.KEYS.contains(key)) {
        throw new InvalidOptionException(source, "unknown identity tunable '" + key + "'; known: "
            + new TreeSet<>(IdentityOptions.KEYS));
      }
      if (!key.equals("sso") && !(identity.getValue(key) instanceof Number)) {
        throw new InvalidOptionException(source, "identity tunable '" + key + "' must be a number");
      }
    }
    try {
      IdentityOptions.from(identity);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(source, e.getMessage());
    }
  }

  /** StoreOptions reads typed values and would fail with a ClassCastException; say which key instead. */
  private static void checkStore(JsonObject store, String source) {
    JsonObject defaults = StoreOptions.defaults().toJson();
    for (String key : store.fieldNames()) {
      Object given = store.getValue(key);
      Object known = defaults.getValue(key);
      if (known == null) {
        throw new InvalidOptionException(source, "unknown store tunable '" + key + "'; known: " + defaults.fieldNames());
      }
      boolean sameKind = known instanceof Boolean ? given instanceof Boolean
          : (given instanceof Integer || given instanceof Long);
      if (!sameKind || (given instanceof Number && ((Number) given).longValue() < 0)) {
        throw new InvalidOptionException(source, key + ": '" + given + "' must be "
            + (known instanceof Boolean ? "true or false" : "a whole number >= 0"));
      }
    }
  }

  private void set(String field, String source, Runnable apply) {
    apply.run();
    origin.put(field, source);
  }

  private String from(String field) {
    return origin.getOrDefault(field, "default " + field);
  }

  private static boolean present(Map<String, String> env, String name) {
    String v = env.get(name);
    return v != null && !v.isBlank(); // an empty variable (common in compose files) means "not set"
  }

  private static int parsePort(String value, String source) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new InvalidOptionException(source, "'" + value + "' is not a port number (0-65535)");
    }
  }

  private Path path(String value, String source) {
    try {
      return Path.of(value.trim());
    } catch (InvalidPathException e) {
      throw new InvalidOptionException(source, "'" + value + "' is not a valid path");
    }
  }

  private static String string(JsonObject json, String key, String label) {
    Object v = json.getValue(key);
    if (v == null) return null;
    if (!(v instanceof String) || ((String) v).isBlank()) {
      throw new InvalidOptionException(label + " " + key, "must be a non-empty string");
    }
    return (String) v;
  }
}
