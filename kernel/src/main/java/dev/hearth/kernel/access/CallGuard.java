package dev.hearth.kernel.access;

import com.google.protobuf.Message;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Caller;

/**
 * Decides, before any handler runs, who calls and whether they may: the one authentication and
 * authorization step every RPC goes through, whatever the transport.
 */
public interface CallGuard {

  /**
   * @param authorization the raw {@code Authorization} header or metadata, {@code null} when absent
   * @return the caller, allowed to make this call
   * @throws ModuleException UNAUTHENTICATED for bad credentials,
   *     PERMISSION_DENIED when the caller may not make the call, FAILED_PRECONDITION in read-only mode
   */
  Caller admit(RpcMethod method, Message request, String authorization, String clientAddress);

  /**
   * As admit, for a caller authenticated elsewhere (a linked node's signed request): the same access
   * rule, read-only mode and module-switch checks, no credentials. FEDERATED callers are refused
   * (PERMISSION_DENIED) any method whose level is not PROJECT_USER or PROJECT_ADMIN.
   *
   * @return {@code caller}, allowed to make this call
   * @throws ModuleException as {@link #admit}
   */
  Caller admitAs(RpcMethod method, Message request, Caller caller);

  /**
   * What can be decided before a request's body is read, so that a call that will be refused is
   * refused from its headers: credentials missing or bad for a method that needs them, a sys-admin
   * method called by anyone else, and a scoped method whose scope {@code partial} already names (a
   * path variable) called by someone with no role there. Passing is not admission: {@link #admit}
   * still runs on the whole request.
   *
   * @param partial the request as far as the headers and path fill it
   * @throws ModuleException UNAUTHENTICATED or PERMISSION_DENIED, as {@link #admit} would
   */
  default void screen(RpcMethod method, Message partial, String authorization) {}

  /**
   * A request to {@code method} from {@code clientAddress} that could not be read (a body that is not
   * JSON, nested too deep, or not the method's message). For a method anyone may call (log-in,
   * sign-up, …) it counts as one attempt from that address, as a readable one would, so unreadable
   * requests cannot be sent without limit either.
   *
   * @throws ModuleException RESOURCE_EXHAUSTED (with a retry hint) when the address
   *     has no attempts left
   */
  default void unreadable(RpcMethod method, String clientAddress) {}
}
