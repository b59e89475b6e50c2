package dev.hearth.ops.bench;

import dev.hearth.kernel.node.Node;
import dev.hearth.kernel.node.NodeInternals;
import dev.hearth.kernel.config.NodeOptions;
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
 * A bench's node, in this process: its own Vert.x, data directory, master key and plugins folder
 * (holding one module's jar) under {@code dir}, on 127.0.0.1 port 0, with the identity limits opened
 * up (one address signs up every user; each user writes far more often than a person would).
 * Started again on the same {@code dir}, it opens the same data.
 */
public final class LocalNode implements AutoCloseable {

  static final JsonObject RELAXED_IDENTITY =
      new JsonObject().put("authAttemptsPerAddress", 1_000_000).put("writesPerUserPerMinute", 1_000_000);

  public final Vertx vertx;
  public final Node node;

  private LocalNode(Vertx vertx, Node node) {
    this.vertx = vertx;
    this.node = node;
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + node.port());
  }

  /** The data directory of a node started under {@code dir}. */
  public static Path dataDir(Path dir) {
    return dir.resolve("data");
  }

  /** The master key file of a node started under {@code dir}. */
  public static Path masterKey(Path dir) {
    return dir.resolve("master.key");
  }

  public static LocalNode start(Path dir, Path moduleJar, String module) {
    Path plugins = dir.resolve("plugins");
    try {
      Files.createDirectories(plugins);
      Path jar = plugins.resolve(moduleJar.getFileName());
      if (!Files.exists(jar)) Files.copy(moduleJar, jar);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + plugins, e);
    }
    NodeOptions options = new NodeOptions().setPort(0).setHost("127.0.0.1").setDataDir(dataDir(dir))
        .setMasterKeyFile(masterKey(dir)).setPluginsDir(plugins).setIdentity(RELAXED_IDENTITY.copy());
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
      throw new IllegalStateException("the " + module + " module did not start: " + modules);
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

  public static <T> T await(Future<T> f, long seconds) {
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
