package dev.hearth.ops.bench.federation;

import dev.hearth.kernel.node.Node;
import dev.hearth.kernel.node.NodeInternals;
import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.kernel.store.Stores;
import dev.hearth.ops.bench.ModuleJar;
import dev.hearth.testkit.nats.NatsServerProcess;
import dev.hearth.testkit.nats.NatsTopology;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The bench's federation: two {@code nats-server} processes (b a leaf of a, JetStream domains a and
 * b) and two nodes in this process, a and b, each on its own server, with the chat module from the
 * built jar. Every node has its own Vert.x, data directory and master key under {@code dir}, and
 * listens on 127.0.0.1, port 0. {@link #close} stops the nodes, then the servers.
 */
final class TwoNodes implements AutoCloseable {

  /** The node's limits opened up: the setup signs up several users from one address, posts go far above 10/s per user. */
  static final JsonObject RELAXED_IDENTITY =
      new JsonObject().put("authAttemptsPerAddress", 1_000_000).put("writesPerUserPerMinute", 1_000_000);

  /** One running node and its own Vert.x. */
  record RunningNode(String name, Vertx vertx, Node node) {
    URI url() {
      return URI.create("http://127.0.0.1:" + node.port());
    }

    /** The node's stores, which the bench watches for replicated changes. */
    Stores stores() {
      return NodeInternals.of(node).stores();
    }
  }

  final NatsTopology nats;
  final RunningNode a;
  final RunningNode b;

  private TwoNodes(NatsTopology nats, RunningNode a, RunningNode b) {
    this.nats = nats;
    this.a = a;
    this.b = b;
  }

  static TwoNodes start(Path dir, Path chatJar, PrintWriter err) throws ModuleJar.Missing {
    try {
      NatsServerProcess.findBinary();
    } catch (IllegalStateException e) {
      throw new ModuleJar.Missing(e.getMessage());
    }
    NatsTopology nats = NatsTopology.twoLinked(dir.resolve("nats"));
    List<RunningNode> started = new ArrayList<>();
    try {
      for (String name : List.of("a", "b")) {
        long t0 = System.nanoTime();
        RunningNode n = node(dir.resolve(name), name, nats.server(name).url(), chatJar);
        started.add(n);
        err.printf("setup: node %s on %s (NATS %s, JetStream domain %s), chat module started, %.1f s%n", name, n.url(),
            nats.server(name).url(), name, (System.nanoTime() - t0) / 1e9);
        err.flush();
      }
      return new TwoNodes(nats, started.get(0), started.get(1));
    } catch (RuntimeException e) {
      for (int i = started.size() - 1; i >= 0; i--) stop(started.get(i));
      nats.close();
      throw e;
    }
  }

  private static RunningNode node(Path dir, String name, String natsUrl, Path chatJar) {
    Path plugins = dir.resolve("plugins");
    try {
      Files.createDirectories(plugins);
      Files.copy(chatJar, plugins.resolve(chatJar.getFileName()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + plugins, e);
    }
    NodeOptions options = new NodeOptions().setPort(0).setHost("127.0.0.1").setDataDir(dir.resolve("data"))
        .setMasterKeyFile(dir.resolve("master.key")).setPluginsDir(plugins).setIdentity(RELAXED_IDENTITY.copy())
        .setFederation(new JsonObject().put("natsUrl", natsUrl).put("nodeId", name).put("jsDomain", name)
            .put("forwardTimeoutSeconds", 10));
    Vertx vertx = Vertx.vertx();
    Node node;
    try {
      node = await(Node.start(vertx, options), 120);
    } catch (RuntimeException e) {
      await(vertx.close(), 30);
      throw e;
    }
    RunningNode running = new RunningNode(name, vertx, node);
    // Installed modules start before the node is ready; one that fails is only logged, so check.
    List<JsonObject> modules = NodeInternals.of(node).modules().list();
    if (modules.stream().noneMatch(m -> "STARTED".equals(m.getString("state")))) {
      stop(running);
      throw new IllegalStateException("node " + name + ": the chat module did not start: " + modules);
    }
    return running;
  }

  @Override
  public void close() {
    try {
      stop(b);
      stop(a);
    } finally {
      nats.close();
    }
  }

  private static void stop(RunningNode n) {
    try {
      await(n.node().close(), 60);
    } catch (RuntimeException e) {
      System.err.println("stopping node " + n.name() + " failed: " + e);
    } finally {
      try {
        await(n.vertx().close(), 30);
      } catch (RuntimeException e) {
        System.err.println("closing node " + n.name() + "'s Vert.x failed: " + e);
      }
    }
  }

  static <T> T await(Future<T> f, long seconds) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) throw r;
      throw new IllegalStateException(c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + seconds + " s", e);
    }
  }
}
