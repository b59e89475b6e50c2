package dev.hearth.ops.bench.startup;

import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;

/**
 * The baseline of {@code hearth bench startup}: a bare Vert.x HTTP server answering 200 to every
 * request on {@code 127.0.0.1:<port>}, started the way the node is (its own JVM, same class path
 * and flags). Stops on SIGTERM like the node.
 */
public final class BareServer {

  private BareServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    vertx.createHttpServer().requestHandler(req -> req.response().end("ok")).listen(port, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get();
      } catch (Exception ignored) {
        // exiting anyway
      }
    }, "bare-shutdown"));
    new CountDownLatch(1).await();
  }
}
