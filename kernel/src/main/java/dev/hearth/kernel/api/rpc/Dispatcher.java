package dev.hearth.kernel.api.rpc;

import com.google.protobuf.Message;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Caller;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an RPC for a transport: guard first, then the handler, and every failure turned into a
 * {@link ModuleException} whose message is safe for the client. Unexpected exceptions are logged
 * here with their stack trace and reach the client as a bare INTERNAL.
 */
public final class Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final CallGuard guard;

  public Dispatcher(CallGuard guard) {
    this.guard = guard;
  }

  public Future<Message> dispatch(RpcMethod method, Message request, String authorization, String clientAddress) {
    try {
      Caller caller = guard.admit(method, request, authorization, clientAddress);
      Future<Message> result = method.handler().handle(new Call(caller, clientAddress, method.fullName()), request);
      return result.recover(err -> Future.failedFuture(normalize(method, err)));
    } catch (Throwable err) {
      return Future.failedFuture(normalize(method, err));
    }
  }

  static ModuleException normalize(RpcMethod method, Throwable err) {
    if (err instanceof ModuleException e) {
      if (e.code() == ModuleException.Code.INTERNAL || e.code() == ModuleException.Code.DATA_LOSS) {
        log.error("{} failed: {}", method.fullName(), e.getMessage(), e);
      }
      return e;
    }
    log.error("{} failed unexpectedly", method.fullName(), err);
    return new ModuleException(ModuleException.Code.INTERNAL, "internal error; details are in the node's log");
  }
}
