package dev.hearth.kernel.metrics;

import dev.hearth.kernel.realtime.RealtimeHub;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The realtime hub's counts, read when scraped. */
final class RealtimeMetrics {

  private RealtimeMetrics() {}

  static void bind(MeterRegistry registry, RealtimeHub hub) {
    // Strong references: the registry lives exactly as long as the node that holds the hub.
    Gauge.builder("hearth.websocket.connections", hub, RealtimeHub::openWebSockets)
        .description("WebSocket connections open now, authenticated or not")
        .strongReference(true).register(registry);
    FunctionCounter.builder("hearth.websocket.frames.sent", hub, RealtimeHub::webSocketFramesSent)
        .description("Frames sent to WebSocket clients (events, replies, errors; a batch counts its frames)")
        .register(registry);
    FunctionCounter.builder("hearth.websocket.batches.sent", hub, RealtimeHub::webSocketBatchesSent)
        .description("Batch frames written to WebSocket clients, one per connection written to")
        .register(registry);
    FunctionCounter.builder("hearth.websocket.batches.built", hub, RealtimeHub::webSocketBatchesBuilt)
        .description("Batch frames built: connections of one event loop that get the same frames share one")
        .register(registry);
    Gauge.builder("hearth.realtime.subscriptions", hub, RealtimeHub::subscriptions)
        .description("Topic subscriptions attached now, over WebSocket and gRPC streams")
        .strongReference(true).register(registry);
    Gauge.builder("hearth.realtime.authenticated.connections", hub, RealtimeHub::authenticatedConnections)
        .description("Authenticated realtime connections (WebSocket and gRPC streams)")
        .strongReference(true).register(registry);
  }
}
