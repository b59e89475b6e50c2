package dev.hearth.federation;

import dev.hearth.kernel.spi.NodeContext;

/**
 * Federation's gauges on the node's {@code /metrics}, read at each scrape (docs/operations.md):
 * {@code hearth_federation_publish_lag_events{store}} on every node with federation on, and
 * {@code hearth_federation_replication_lag_seconds{link}} where this node replicates a peer's
 * projects. The link label is the link's id: a link is an agreement between two orgs, so there are
 * few; no project ids (a link's projects are folded into its largest lag).
 */
final class FedMetrics {

  private FedMetrics() {}

  static void bind(Federation fed, NodeContext node) {
    node.gauges("hearth.federation.publish.lag", "events",
        "Change events of the store not yet published to NATS and acknowledged", "store", fed::publishLag);
    node.gauges("hearth.federation.replication.lag", "seconds",
        "Apply time here minus commit time at the owner, of the last event applied; the largest of the link's projects",
        "link", fed::replicationLag);
  }
}
