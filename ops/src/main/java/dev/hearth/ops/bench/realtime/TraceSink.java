package dev.hearth.ops.bench.realtime;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the traced node of {@code hearth bench telemetry} sends its spans: an OTLP/HTTP endpoint in
 * this process, on its own Vert.x, that reads each export and answers 200 with an empty
 * {@code ExportTraceServiceResponse} (zero bytes of protobuf) without decoding it, so the node pays
 * the whole cost of exporting and the sink as little as possible.
 */
final class TraceSink implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  final AtomicLong exports = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();

  TraceSink() throws Exception {
    server = vertx.createHttpServer().requestHandler(r -> r.body().onSuccess(b -> {
      exports.incrementAndGet();
      bytes.addAndGet(b.length());
      r.response().putHeader("content-type", "application/x-protobuf").end();
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
