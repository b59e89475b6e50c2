package dev.hearth.kernel.api.rpc;

import com.google.protobuf.Message;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Caller;

/**
 * Decides, before any handler runs, who calls and whether they may: the one authentication and
 * authorization step every RPC goes through, whatever the transport.
 */
@FunctionalInterface
public interface CallGuard {

  /**
   * @param authorization the raw {@code Authorization} header or metadata, {@code null} when absent
   * @return the caller, allowed to make this call
   * @throws dev.hearth.module.ModuleException UNAUTHENTICATED for bad credentials,
   *     PERMISSION_DENIED when the caller may not make the call, FAILED_PRECONDITION in read-only mode
   */
  Caller admit(RpcMethod method, Message request, String authorization, String clientAddress);
}
