package dev.hearth.kernel.telemetry;

import dev.hearth.kernel.api.rpc.CallTracer;
import dev.hearth.kernel.config.TelemetryOptions;
import dev.hearth.kernel.spi.TraceSpan;
import dev.hearth.kernel.spi.Tracing;
import dev.hearth.kernel.store.WriteTracer;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The node's tracing: OpenTelemetry spans exported over OTLP/HTTP when {@link TelemetryOptions}
 * name an endpoint, and nothing at all otherwise (no SDK is created; every hook is a constant
 * no-op). OpenTelemetry's types stay in this package: the dispatcher gets a {@link CallTracer}, the
 * stores a {@link WriteTracer}, federation {@link TraceSpan}s with W3C trace context as plain
 * header strings.
 *
 * <p>What is traced (docs/operations.md): one server span per RPC, a child span per store write
 * (from submission to fsync), and, for a write to a shared project, the owner's publish to NATS and
 * the peer's apply, joined to the write's trace through the {@code traceparent} message header.
 */
public final class Telemetry implements Tracing, AutoCloseable {

  private static final Telemetry OFF = new Telemetry(null);

  /** Null when off. */
  private final OtelTracing tracing;

  private Telemetry(OtelTracing tracing) {
    this.tracing = tracing;
  }

  /** Tracing as {@code options} say: off without an endpoint. */
  public static Telemetry start(TelemetryOptions options, String instance) {
    return options.enabled() ? new Telemetry(new OtelTracing(options, instance)) : OFF;
  }

  /** No tracing. */
  public static Telemetry off() {
    return OFF;
  }

  public boolean enabled() {
    return tracing != null;
  }

  /** For the dispatcher: a server span per call. */
  public CallTracer calls() {
    return tracing == null ? CallTracer.NONE : tracing::serverSpan;
  }

  /** For the stores: a child span per write made inside a traced call. */
  public WriteTracer writes() {
    return tracing == null ? WriteTracer.NONE : tracing::writeSpan;
  }

  /**
   * A producer span for publishing change events {@code seqs} of {@code store}, child of the write
   * that made the first of them that was traced; its W3C trace context goes to {@code header}
   * ({@code traceparent}, maybe {@code tracestate}). {@link TraceSpan#NONE} when none was traced.
   */
  @Override
  public TraceSpan publishing(String store, List<Long> seqs, String destination, BiConsumer<String, String> header) {
    return tracing == null ? TraceSpan.NONE : tracing.publishSpan(store, seqs, destination, header);
  }

  /**
   * A consumer span named {@code name} continuing the trace whose W3C context {@code header} finds
   * (by header name); {@link TraceSpan#NONE} when there is none: untraced work starts no trace here.
   */
  @Override
  public TraceSpan consuming(String name, Function<String, String> header, String store) {
    return tracing == null ? TraceSpan.NONE : tracing.consumeSpan(name, header, store);
  }

  /** Sends the spans still buffered and stops the exporter (waits up to 10 s). */
  @Override
  public void close() {
    if (tracing != null) tracing.close();
  }
}
