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
 * Runs an RPC for a transport: guard first, then the handler (or, for a write the {@link Forwarder}
 * claims, the owner node's answer), and every failure turned into a {@link ModuleException} whose
 * message is safe for the client. Unexpected exceptions are logged here with their stack trace and
 * reach the client as a bare INTERNAL.
 */
public final class Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final CallGuard guard;
  private volatile Forwarder forwarder;

  public Dispatcher(CallGuard guard) {
    this.guard = guard;
  }

  /** Sets where writes to projects owned by another node go; {@code null} runs every call here. */
  public void forwarder(Forwarder forwarder) {
    this.forwarder = forwarder;
  }

  public Future<Message> dispatch(RpcMethod method, Message request, String authorization, String clientAddress) {
    try {
      Caller caller = guard.admit(method, request, authorization, clientAddress);
      Forwarder f = forwarder;
      Future<Message> forwarded = f != null && method.access().getWrites() ? f.forward(method, request, caller) : null;
      Future<Message> result = forwarded != null ? forwarded : handle(method, request, caller, clientAddress);
      return result.recover(err -> Future.failedFuture(normalize(method, err)));
    } catch (Throwable err) {
      return Future.failedFuture(normalize(method, err));
    }
  }

  /**
   * Runs an RPC for a caller authenticated elsewhere (a linked node's signed request): {@link
   * CallGuard#admitAs}, then the handler. Never forwarded: it is how the owner runs a forwarded call.
   */
  public Future<Message> dispatchAs(RpcMethod method, Message request, Caller caller, String clientAddress) {
    try {
      Caller admitted = guard.admitAs(method, request, caller);
      return handle(method, request, admitted, clientAddress).recover(err -> Future.failedFuture(normalize(method, err)));
    } catch (Throwable err) {
      return Future.failedFuture(normalize(method, err));
    }
  }

  private static Future<Message> handle(RpcMethod method, Message request, Caller caller, String clientAddress) {
    return method.handler().handle(new Call(caller, clientAddress, method.fullName()), request);
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
