package dev.hearth.ops.bench.survey;

import dev.hearth.kernel.node.Node;
import dev.hearth.kernel.node.NodeInternals;
import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.ops.bench.ModuleJar;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The bench's node, in this process: its own Vert.x, data directory, master key and plugins folder
 * (holding the survey jar) under {@code dir}, on 127.0.0.1 port 0, with the identity limits opened
 * up (one address signs up every user; each user answers far more often than a person would).
 */
final class LocalNode implements AutoCloseable {

  static final JsonObject RELAXED_IDENTITY =
      new JsonObject().put("authAttemptsPerAddress", 1_000_000).put("writesPerUserPerMinute", 1_000_000);

  final Vertx vertx;
  final Node node;

  private LocalNode(Vertx vertx, Node node) {
    this.vertx = vertx;
    this.node = node;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + node.port());
  }

  static LocalNode start(Path dir, Path surveyJar) {
    Path plugins = dir.resolve("plugins");
    try {
      Files.createDirectories(plugins);
      Files.copy(surveyJar, plugins.resolve(surveyJar.getFileName()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + plugins, e);
    }
    NodeOptions options = new NodeOptions().setPort(0).setHost("127.0.0.1").setDataDir(dir.resolve("data"))
        .setMasterKeyFile(dir.resolve("master.key")).setPluginsDir(plugins).setIdentity(RELAXED_IDENTITY.copy());
    Vertx vertx = Vertx.vertx();
    Node node;
    try {
      node = await(Node.start(vertx, options), 120);
    } catch (RuntimeException e) {
      await(vertx.close(), 30);
      throw e;
    }
    LocalNode running = new LocalNode(vertx, node);
    // Installed modules start before the node is ready; one that fails is only logged, so check.
    List<JsonObject> modules = NodeInternals.of(node).modules().list();
    if (modules.stream().noneMatch(m -> "STARTED".equals(m.getString("state")))) {
      running.close();
      throw new IllegalStateException("the survey module did not start: " + modules);
    }
    return running;
  }

  @Override
  public void close() {
    try {
      await(node.close(), 60);
    } catch (RuntimeException e) {
      System.err.println("stopping the node failed: " + e);
    } finally {
      try {
        await(vertx.close(), 30);
      } catch (RuntimeException e) {
        System.err.println("closing the node's Vert.x failed: " + e);
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
