package dev.hearth.kernel.api;

import dev.hearth.kernel.metrics.NodeMetrics;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * {@code GET /metrics}: the node's meters in Prometheus text format, for VictoriaMetrics or
 * Prometheus to scrape. Unauthenticated, like {@code /health}, because scrapers rarely carry
 * tokens: the figures hold no ids or content (docs/operations.md), but they do tell what the node
 * is doing, so operators keep the path off the public internet (a reverse proxy that does not
 * forward it, or a firewall).
 */
public final class MetricsRoutes {

  /** What Micrometer's Prometheus registry writes by default: the text exposition format 0.0.4. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private MetricsRoutes() {}

  public static void mount(Router router, Vertx vertx, NodeMetrics metrics) {
    router.get("/metrics").handler(ctx ->
        // A scrape sizes store directories: off the event loop (NodeMetrics runs one at a time).
        vertx.executeBlocking(metrics::scrape, false).onComplete(r -> {
          if (r.succeeded()) {
            ctx.response().putHeader("content-type", CONTENT_TYPE).end(r.result());
          } else {
            ctx.fail(r.cause());
          }
        }));
  }
}
