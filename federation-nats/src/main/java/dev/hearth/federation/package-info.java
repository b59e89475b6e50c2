/**
 * Federation between Hearth nodes over NATS JetStream, as proposed in docs/design/federation.md.
 * Nothing is here yet: this module holds, in its test sources (published as
 * {@code hearth-federation-nats:tests}), the NATS test kit {@code
 * dev.hearth.federation.testing.NatsServerProcess} and {@code NatsTopology}.
 */
package dev.hearth.federation;
