/**
 * Real {@code nats-server} processes for tests and benchmarks: {@link
 * dev.hearth.testkit.nats.NatsServerProcess} (one server on free ports, JetStream in its own
 * store directory and domain, leaf listen or remotes, stop/kill/restart keeping ports and data) and
 * {@link dev.hearth.testkit.nats.NatsTopology} (leaf-linked servers, as linked orgs have, or one
 * NATS cluster with JetStream clustered, as a Hearth cluster has: cluster-nats' tests). In the
 * main sources so that {@code hearth bench federation} (ops) can use them; the federation runtime
 * does not.
 */
package dev.hearth.testkit.nats;
