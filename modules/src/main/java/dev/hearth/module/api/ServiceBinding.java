package dev.hearth.module.api;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The implementation of one gRPC service: a handler for each of its methods. Built with {@link
 * #of} and {@link Builder#unary}; {@link Builder#build} refuses a service with an unbound method, a
 * method without an access rule, or a request type that does not match the descriptor. A module
 * serves one through {@link dev.hearth.module.ModuleContext#serve}.
 *
 * @since 0.2
 */
public final class ServiceBinding {

  private final ServiceDescriptor descriptor;
  private final List<RpcMethod> methods;

  private ServiceBinding(ServiceDescriptor descriptor, List<RpcMethod> methods) {
    this.descriptor = descriptor;
    this.methods = List.copyOf(methods);
  }

  public static Builder of(ServiceDescriptor descriptor) {
    return new Builder(descriptor);
  }

  public ServiceDescriptor descriptor() {
    return descriptor;
  }

  public List<RpcMethod> methods() {
    return methods;
  }

  /** Collects the handlers of a service. */
  public static final class Builder {
    private final ServiceDescriptor descriptor;
    private final Map<String, RpcMethod> bound = new LinkedHashMap<>();

    private Builder(ServiceDescriptor descriptor) {
      this.descriptor = descriptor;
    }

    /** Binds {@code method} (its simple name) to {@code handler}; the prototype is its request type's default instance. */
    public <Req extends Message, Resp extends Message> Builder unary(
        String method, Req requestPrototype, UnaryHandler<Req, Resp> handler) {
      MethodDescriptor m = descriptor.findMethodByName(method);
      if (m == null) {
        throw new IllegalArgumentException(descriptor.getFullName() + " has no method " + method);
      }
      if (m.isClientStreaming() || m.isServerStreaming()) {
        throw new IllegalArgumentException(m.getFullName() + " is streaming; bind it as a stream");
      }
      if (!m.getInputType().getFullName().equals(requestPrototype.getDescriptorForType().getFullName())) {
        throw new IllegalArgumentException(m.getFullName() + " takes " + m.getInputType().getFullName()
            + ", not " + requestPrototype.getDescriptorForType().getFullName());
      }
      if (bound.put(method, new RpcMethod(m, requestPrototype, handler)) != null) {
        throw new IllegalArgumentException(m.getFullName() + " bound twice");
      }
      return this;
    }

    public ServiceBinding build() {
      List<RpcMethod> methods = new ArrayList<>();
      for (MethodDescriptor m : descriptor.getMethods()) {
        RpcMethod r = bound.get(m.getName());
        if (r == null) throw new IllegalStateException(m.getFullName() + " has no handler");
        methods.add(r);
      }
      return new ServiceBinding(descriptor, methods);
    }
  }
}
