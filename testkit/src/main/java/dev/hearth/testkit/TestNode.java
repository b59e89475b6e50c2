package dev.hearth.testkit;

import static dev.hearth.testkit.Await.await;

import dev.hearth.kernel.node.Node;
import dev.hearth.kernel.node.NodeInternals;
import dev.hearth.kernel.api.ApiServer;
import dev.hearth.kernel.config.IdentityOptions;
import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.kernel.identity.Identity;
import dev.hearth.kernel.metrics.NodeMetrics;
import dev.hearth.kernel.notifications.Notifications;
import dev.hearth.kernel.plugins.ModuleHost;
import dev.hearth.kernel.spi.NodeExtension;
import dev.hearth.kernel.store.Stores;
import dev.hearth.kernel.tenancy.Tenancy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A real node for tests: its own data directory, master key and plugins folder under a temp
 * folder, bound to 127.0.0.1 port 0, with REST ({@link #rest}) and gRPC ({@link #grpc}) clients
 * pointed at it. Module authors depend on {@code dev.hearth:hearth-testkit} in test scope and
 * {@link #installModule} their built jar, or let {@link ModuleNode} do it.
 *
 * <p>{@link #stores}, {@link #modules}, {@link #identity} and the other getters below reach into the
 * node for what a test checks or sets up beside the API (they come from {@link NodeInternals}, which
 * is not API); {@link #node} itself offers only its life cycle.
 */
public final class TestNode implements AutoCloseable {

  public final Vertx vertx = Vertx.vertx();
  /** The node; its public methods are its life cycle (port, ready, close): the parts are on this class. */
  public final Node node;
  private final NodeInternals internals;
  public final Path dir;
  public final TestRest rest;
  public final TestGrpc grpc;

  private TestNode(Path dir, Consumer<NodeOptions> configure) {
    this.dir = dir;
    NodeOptions options = new NodeOptions().setPort(0).setHost("127.0.0.1")
        .setDataDir(dir.resolve("data")).setMasterKeyFile(dir.resolve("master.key"))
        .setPluginsDir(dir.resolve("plugins"));
    configure.accept(options);
    // hearth.test.nodeStartSeconds: more for runs that make start-up slow (a fuzzing session
    // instruments every class the node loads).
    this.node = await(Node.start(vertx, options), Integer.getInteger("hearth.test.nodeStartSeconds", 60));
    this.internals = NodeInternals.of(node);
    this.rest = new TestRest(node.port());
    this.grpc = new TestGrpc(vertx, node.port());
  }

  /**
   * Identity tunables of test nodes: sign-ups not rate-limited, and Argon2id at 64 KiB instead of
   * 19 MiB per hash (a test-only option: suites sign up hundreds of users; the code path is the same).
   */
  public static JsonObject testIdentity() {
    return new JsonObject().put("authAttemptsPerAddress", 100_000).put(IdentityOptions.TEST_HASH_MEMORY_KEY, 64);
  }

  /** A node with identity tunables (e.g. higher rate limits for tests that sign up many users). */
  public static TestNode start(Path dir, JsonObject identity) {
    return new TestNode(dir, options -> options.setIdentity(identity));
  }

  public static TestNode start(Path dir) {
    return start(dir, testIdentity());
  }

  /** A node with options of the test's own (e.g. {@code modules} tunables) over the defaults of {@link #start(Path)}. */
  public static TestNode start(Path dir, Consumer<NodeOptions> configure) {
    return new TestNode(dir, options -> configure.accept(options.setIdentity(testIdentity())));
  }

  /** Loads and starts a module jar on this node; returns its module id. */
  public String installModule(Path jar) {
    String id = modules().load(jar);
    await(modules().start(id));
    return id;
  }

  /** Signs up a user and returns their access token. */
  public String signUp(String email, String password) throws Exception {
    return rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", email).put("password", password))
        .ok().getString("accessToken");
  }

  /**
   * The environment under which the {@code hearth} command talks to this node as the holder of
   * {@code token}: {@code dev.hearth.cli.Main.run(node.cliEnv(token), args)} (hearth-cli in test scope).
   */
  public Map<String, String> cliEnv(String token) {
    return Map.of("HEARTH_CONFIG_DIR", dir.resolve("cli").toString(),
        "HEARTH_URL", "http://127.0.0.1:" + port(), "HEARTH_TOKEN", token);
  }

  /** A gRPC client of its own (its own HTTP/2 connection), for tests that close one; close it after. */
  public TestGrpc newGrpcClient() {
    return new TestGrpc(vertx, node.port());
  }

  public int port() {
    return node.port();
  }

  /** The node's stores (the kernel's and each module's). */
  public Stores stores() {
    return internals.stores();
  }

  /** The module host: loads, starts and stops module jars while the node runs. */
  public ModuleHost modules() {
    return internals.modules();
  }

  /** The API server (its registry, and calls dispatched as a given caller). */
  public ApiServer api() {
    return internals.api();
  }

  /** Identity: accounts, sessions, JWT, the guard. */
  public Identity identity() {
    return internals.identity();
  }

  /** Tenancy: orgs, projects, memberships and invites. */
  public Tenancy tenancy() {
    return internals.tenancy();
  }

  public NodeOptions options() {
    return internals.options();
  }

  public Notifications notifications() {
    return internals.notifications();
  }

  public NodeMetrics metrics() {
    return internals.metrics();
  }

  /** The running extension of type {@code type} (federation, cluster), if it was found and started. */
  public <T extends NodeExtension> Optional<T> extension(Class<T> type) {
    return internals.extension(type);
  }

  /** Makes a sys-admin through the local admin endpoint, as {@code hearth admin create-sysadmin} does. */
  public void createSysAdmin(String email, String password) throws Exception {
    String token = Files.readString(dir.resolve("data/run/admin.token")).trim();
    TestRest.Response r = rest.call("POST", "/admin/v1/sysadmin", token,
        new JsonObject().put("email", email).put("password", password));
    if (r.status() != 200) throw new IllegalStateException("create-sysadmin: " + r);
  }

  @Override
  public void close() {
    try {
      grpc.close();
      await(node.close());
    } finally {
      await(vertx.close());
    }
  }
}
