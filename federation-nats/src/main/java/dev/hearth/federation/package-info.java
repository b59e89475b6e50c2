/**
 * Federation between Hearth nodes over NATS JetStream, as described in docs/design/federation.md:
 * a node extension ({@link dev.hearth.federation.FedExtension}) that links orgs' nodes, publishes
 * shared projects' change events ({@link dev.hearth.federation.cdc.CdcPublisher}), applies replicas
 * and forwards remote users' writes. The NATS process kit for tests and benchmarks is in {@code
 * dev.hearth.testkit.nats}.
 */
package dev.hearth.federation;
