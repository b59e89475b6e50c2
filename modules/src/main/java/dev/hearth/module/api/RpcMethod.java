package dev.hearth.module.api;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Message;
import dev.hearth.api.v1.Access;
import dev.hearth.api.v1.AccessProto;
import dev.hearth.api.v1.Level;

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
