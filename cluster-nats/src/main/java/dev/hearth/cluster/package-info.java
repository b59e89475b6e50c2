/**
 * One organisation's Hearth on several processes, coordinated through NATS JetStream (docs/cluster.md):
 * the {@code cluster} config section ({@link dev.hearth.cluster.ClusterOptions}), one writer per store
 * elected by leases with fencing ({@code Leases}), placement heartbeats and {@code
 * hearth.cluster.v1.ClusterService}. A node extension: it reaches the kernel only through {@code
 * dev.hearth.kernel.spi}.
 */
package dev.hearth.cluster;
