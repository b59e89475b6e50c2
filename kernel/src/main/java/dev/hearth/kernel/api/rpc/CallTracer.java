package dev.hearth.kernel.api.rpc;

import dev.hearth.kernel.spi.TraceSpan;

/**
 * Starts the server span of each call the {@link Dispatcher} runs (dev.hearth.kernel.telemetry
 * implements it when an OTLP endpoint is configured). The dispatcher enters the span while it runs
 * the call's synchronous part and while it finishes the call, and ends it with the call's code.
 */
@FunctionalInterface
public interface CallTracer {

  /** Traces nothing: the dispatcher's default. */
  CallTracer NONE = (method, transport) -> TraceSpan.NONE;

  /** @param method the full RPC name, {@code package.Service/Method} */
  TraceSpan start(String method, Transport transport);
}
