package dev.hearth.kernel.spi;

import com.google.protobuf.Message;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Caller;
import io.vertx.core.Future;

/**
 * Runs writes to projects owned by another node there instead of here. The dispatcher asks it only
 * about methods that write ({@code access().getWrites()}), once the guard has admitted the caller
 * here; the local handler then does not run. Federation sets one ({@code ApiServer.forwarder}).
 */
@FunctionalInterface
public interface Forwarder {

  /** @return null to run the call locally, else the future of the owner's answer */
  Future<Message> forward(RpcMethod method, Message request, Caller caller);
}
