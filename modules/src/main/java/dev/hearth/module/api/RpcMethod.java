package dev.hearth.module.api;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Message;
import dev.hearth.api.v1.Access;
import dev.hearth.api.v1.AccessProto;
import dev.hearth.api.v1.Level;
import dev.hearth.module.ModuleException;
import io.vertx.core.Future;

/**
 * A bound unary method: its descriptor, a prototype of its request, its handler and access rule.
 *
 * @since 0.2
 */
public final class RpcMethod {

  private final MethodDescriptor descriptor;
  private final Message requestPrototype;
  private final UnaryHandler<Message, Message> handler;
  private final Access access;

  @SuppressWarnings("unchecked")
  RpcMethod(MethodDescriptor descriptor, Message requestPrototype, UnaryHandler<? extends Message, ? extends Message> handler) {
    this.descriptor = descriptor;
    this.requestPrototype = requestPrototype;
    this.handler = (UnaryHandler<Message, Message>) handler;
    this.access = accessOf(descriptor);
  }

  /**
   * A streaming method as the node's guard sees it: its access rule, checked against the stream's
   * first request message (which must carry the scope field). It has no handler: the node serves
   * such methods itself (file uploads and downloads), and calling {@link #handler()} fails
   * UNIMPLEMENTED.
   *
   * @param firstMessagePrototype the default instance of the method's request type
   * @throws IllegalStateException when the method has no access rule
   * @since 0.5
   */
  public static RpcMethod streamed(MethodDescriptor m, Message firstMessagePrototype) {
    if (!m.getInputType().getFullName().equals(firstMessagePrototype.getDescriptorForType().getFullName())) {
      throw new IllegalArgumentException(m.getFullName() + " takes " + m.getInputType().getFullName());
    }
    return new RpcMethod(m, firstMessagePrototype, (call, request) -> Future.failedFuture(
        new ModuleException(ModuleException.Code.UNIMPLEMENTED,
            m.getFullName() + " is a stream; the node serves it itself")));
  }

  /**
   * The method's access rule; a method without one cannot be bound, so no RPC is ever served
   * without an explicit decision on who may call it.
   */
  public static Access accessOf(MethodDescriptor m) {
    if (!m.getOptions().hasExtension(AccessProto.access)) {
      throw new IllegalStateException(m.getFullName() + " has no (hearth.api.v1.access) option");
    }
    Access a = m.getOptions().getExtension(AccessProto.access);
    if (a.getLevel() == Level.LEVEL_UNSPECIFIED) {
      throw new IllegalStateException(m.getFullName() + " has an access option without a level");
    }
    boolean scoped = a.getLevel().getNumber() >= Level.ORG_MEMBER_VALUE && a.getLevel() != Level.SYS_ADMIN;
    if (scoped && m.getInputType().findFieldByName(a.getScopeField()) == null) {
      throw new IllegalStateException(m.getFullName() + ": scope field '" + a.getScopeField()
          + "' is not a field of " + m.getInputType().getFullName());
    }
    return a;
  }

  public MethodDescriptor descriptor() {
    return descriptor;
  }

  /** {@code package.Service/Method}, as gRPC names it. */
  public String fullName() {
    return descriptor.getService().getFullName() + "/" + descriptor.getName();
  }

  public Message requestPrototype() {
    return requestPrototype;
  }

  public UnaryHandler<Message, Message> handler() {
    return handler;
  }

  public Access access() {
    return access;
  }

  /**
   * The tenant {@code request} names for this method's access rule: the value of its
   * {@code scope_field}, or an empty string when the rule has no scope or the field is unset.
   */
  public String scopeOf(Message request) {
    if (access.getScopeField().isEmpty()) return "";
    Object v = request.getField(request.getDescriptorForType().findFieldByName(access.getScopeField()));
    return v instanceof String s ? s : "";
  }
}
