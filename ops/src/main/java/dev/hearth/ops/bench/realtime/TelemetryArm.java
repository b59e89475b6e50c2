package dev.hearth.ops.bench.realtime;

import dev.hearth.kernel.node.Node;
import dev.hearth.kernel.node.NodeInternals;
import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.ops.bench.api.BenchUser;
import dev.hearth.ops.bench.api.Http;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One arm of {@code hearth bench telemetry}: a node in this process (its own Vert.x, data
 * directory, the chat module) running with one {@link TelemetryMode}, its chat world, its open
 * subscribers and their ledger. The arms live side by side for the whole run, so rounds can
 * alternate between them.
 */
final class TelemetryArm implements AutoCloseable {

  static final JsonObject RELAXED_IDENTITY =
      new JsonObject().put("authAttemptsPerAddress", 1_000_000).put("writesPerUserPerMinute", 1_000_000);

  final TelemetryMode mode;
  private final Vertx nodeVertx;
  final Node node;
  final Http http;
  final RealtimeClients ws;
  ChatSetup.World world;
  DeliveryLedger ledger;
  /** The next message number (messages of earlier rounds keep theirs). */
  int base;

  private TelemetryArm(TelemetryMode mode, Vertx nodeVertx, Node node, Vertx client, int senders, int subscribers) {
    this.mode = mode;
    this.nodeVertx = nodeVertx;
    this.node = node;
    this.http = new Http(client, url(), Math.max(8, senders));
    this.ws = new RealtimeClients(client, url(), subscribers);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + node.port());
  }

  static TelemetryArm start(TelemetryMode mode, Path dir, Path chatJar, String traceEndpoint, Vertx client, int senders,
      int subscribers) {
    Path plugins = dir.resolve("plugins");
    try {
      Files.createDirectories(plugins);
      Files.copy(chatJar, plugins.resolve(chatJar.getFileName()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + plugins, e);
    }
    NodeOptions options = new NodeOptions().setPort(0).setHost("127.0.0.1").setDataDir(dir.resolve("data"))
        .setMasterKeyFile(dir.resolve("master.key")).setPluginsDir(plugins).setIdentity(RELAXED_IDENTITY.copy())
        .setMetrics(mode.metrics()).setTelemetry(mode.telemetry(traceEndpoint));
    Vertx vertx = Vertx.vertx();
    Node node;
    try {
      node = await(Node.start(vertx, options), 120);
    } catch (RuntimeException e) {
      await(vertx.close(), 30);
      throw e;
    }
    TelemetryArm arm = new TelemetryArm(mode, vertx, node, client, senders, subscribers);
    if (NodeInternals.of(node).modules().list().stream().noneMatch(m -> "STARTED".equals(m.getString("state")))) {
      arm.close();
      throw new IllegalStateException(mode.label + " node: the chat module did not start: " + NodeInternals.of(node).modules().list());
    }
    return arm;
  }

  /** Users, org, project, public channel; then {@code subscribers} WebSocket subscribers of it. */
  void setUp(int users, int subscribers, PrintWriter err) throws Exception {
    world = ChatSetup.create(http, users, err);
    ledger = new DeliveryLedger(subscribers);
    List<BenchUser> us = world.users();
    RealtimeClients.forEach(subscribers, 32, i -> {
      DeliveryLedger.Inbox inbox = ledger.inbox();
      return ws.open(us.get(i % us.size()).accessToken(), world.topic(), text -> ChatBench.onFrame(inbox, text));
    }).toCompletionStage().toCompletableFuture().get(600, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    try {
      ws.close();
      http.close();
      await(node.close(), 60);
    } catch (RuntimeException e) {
      System.err.println("stopping the " + mode.label + " node failed: " + e);
    } finally {
      try {
        await(nodeVertx.close(), 30);
      } catch (RuntimeException e) {
        System.err.println("closing the " + mode.label + " node's Vert.x failed: " + e);
      }
    }
  }

  static <T> T await(Future<T> f, long seconds) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + seconds + " s", e);
    }
  }
}
