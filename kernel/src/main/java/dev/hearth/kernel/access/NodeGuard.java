package dev.hearth.kernel.access;

import com.google.protobuf.Message;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Caller;

/**
 * The node's one guard for every call: who may call (identity's guard), then whether the method's
 * module is on for the tenant the request names (the switches), for local and linked-node callers alike.
 */
public final class NodeGuard implements CallGuard {

  private final CallGuard identity;
  private final ModuleSwitches switches;

  public NodeGuard(CallGuard identity, ModuleSwitches switches) {
    this.identity = identity;
    this.switches = switches;
  }

  @Override
  public Caller admit(RpcMethod method, Message request, String authorization, String clientAddress) {
    Caller caller = identity.admit(method, request, authorization, clientAddress);
    switches.check(method, request);
    return caller;
  }

  @Override
  public Caller admitAs(RpcMethod method, Message request, Caller caller) {
    Caller admitted = identity.admitAs(method, request, caller);
    switches.check(method, request);
    return admitted;
  }

  @Override
  public void screen(RpcMethod method, Message partial, String authorization) {
    identity.screen(method, partial, authorization);
  }

  @Override
  public void unreadable(RpcMethod method, String clientAddress) {
    identity.unreadable(method, clientAddress);
  }
}
