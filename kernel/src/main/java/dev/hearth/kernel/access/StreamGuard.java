package dev.hearth.kernel.access;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Message;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Caller;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one guard for the node's own streaming methods (file uploads and downloads): the same {@link
 * CallGuard} as every unary RPC, its access rule checked against the stream's first message, before
 * the handler reads or stores any content. Transports that serve a stream by hand (a REST upload
 * route, a gRPC client stream) call {@link #admit} first.
 */
public final class StreamGuard {

  private final CallGuard guard;
  private final Map<String, RpcMethod> methods = new ConcurrentHashMap<>();

  public StreamGuard(CallGuard guard) {
    this.guard = guard;
  }

  /**
   * @param first the stream's first request message (for a download, its only one)
   * @return the caller, allowed to make this call
   * @throws dev.hearth.module.ModuleException as {@link CallGuard#admit}
   */
  public Caller admit(MethodDescriptor method, Message first, String authorization, String clientAddress) {
    RpcMethod m = methods.computeIfAbsent(method.getFullName(),
        n -> RpcMethod.streamed(method, first.getDefaultInstanceForType()));
    return guard.admit(m, first, authorization, clientAddress);
  }
}
