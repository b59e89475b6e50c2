package dev.hearth.kernel.spi;

import com.google.protobuf.Message;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Caller;
import io.vertx.core.Future;

/**
 * Runs writes owned elsewhere there instead of here. The dispatcher asks it only about methods that
 * write ({@code access().getWrites()}, or {@code getWritesSession()}: log-in, refresh, log-out),
 * once the guard has admitted the caller here; the local
 * handler then does not run. Federation adds one (projects owned by a linked node), the cluster one
 * (stores owned by another process): {@link NodeContext#addForwarder}.
 */
@FunctionalInterface
public interface Forwarder {

  /** @return null to run the call locally, else the future of the owner's answer */
  Future<Message> forward(RpcMethod method, Message request, Caller caller);

  /**
   * As above, knowing the client's address (the owner of the store applies its per-address limits,
   * log-in attempts among them, to the client's, not to the front's). By default the address is not used.
   */
  default Future<Message> forward(RpcMethod method, Message request, Caller caller, String clientAddress) {
    return forward(method, request, caller);
  }
}
