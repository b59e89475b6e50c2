package dev.hearth.federation;

import dev.hearth.kernel.metrics.NodeMetrics;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * Federation's gauges on the node's {@code /metrics}, read at each scrape (docs/operations.md):
 * {@code hearth_federation_publish_lag_events{store}} on every node with federation on, and
 * {@code hearth_federation_replication_lag_seconds{link}} where this node replicates a peer's
 * projects. The link label is the link's id: a link is an agreement between two orgs, so there are
 * few; no project ids (a link's projects are folded into its largest lag).
 */
final class FedMetrics {

  private FedMetrics() {}

  static void bind(Federation fed, NodeMetrics metrics) {
    MultiGauge publish = MultiGauge.builder("hearth.federation.publish.lag").baseUnit("events")
        .description("Change events of the store not yet published to NATS and acknowledged")
        .register(metrics.registry());
    MultiGauge replication = MultiGauge.builder("hearth.federation.replication.lag").baseUnit("seconds")
        .description("Apply time here minus commit time at the owner, of the last event applied; the largest of the link's projects")
        .register(metrics.registry());
    metrics.onScrape(() -> {
      publish.register(fed.publishLag().entrySet().stream()
          .map(e -> MultiGauge.Row.of(Tags.of("store", e.getKey()), e.getValue())).toList(), true);
      replication.register(fed.replicationLag().entrySet().stream()
          .map(e -> MultiGauge.Row.of(Tags.of("link", e.getKey()), e.getValue())).toList(), true);
    });
  }
}
