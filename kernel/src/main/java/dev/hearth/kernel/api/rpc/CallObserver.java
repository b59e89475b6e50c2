package dev.hearth.kernel.api.rpc;

import dev.hearth.module.ModuleException;

/**
 * Told when each call the {@link Dispatcher} ran has ended, whatever the transport: the one place
 * RPC metrics are taken. Called on the thread that completed the call (often an event loop), so it
 * must be quick and must not throw.
 */
@FunctionalInterface
public interface CallObserver {

  /** Observes nothing: the dispatcher's default. */
  CallObserver NONE = (method, transport, code, nanos) -> {};

  /**
   * @param method the full RPC name, {@code package.Service/Method}
   * @param code how it ended; {@code null} when it succeeded
   * @param nanos from the dispatcher taking the call to its answer (guard, handler, forwarding)
   */
  void ended(String method, Transport transport, ModuleException.Code code, long nanos);
}
