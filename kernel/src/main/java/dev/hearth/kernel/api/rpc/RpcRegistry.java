package dev.hearth.kernel.api.rpc;

import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.api.ServiceBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The services a node serves, by full method name. Thread-safe; services may be added at run time. */
public final class RpcRegistry {

  private final List<ServiceBinding> services = new CopyOnWriteArrayList<>();
  private final Map<String, RpcMethod> methods = new ConcurrentHashMap<>();

  public synchronized void add(ServiceBinding binding) {
    for (RpcMethod m : binding.methods()) {
      if (methods.containsKey(m.fullName())) {
        throw new IllegalStateException(m.fullName() + " is already served");
      }
    }
    binding.methods().forEach(m -> methods.put(m.fullName(), m));
    services.add(binding);
  }

  /** Stops serving the service {@code fullName} (e.g. {@code hearth.chat.v1.ChatService}); false when not served. */
  public synchronized boolean remove(String fullName) {
    for (ServiceBinding b : services) {
      if (b.descriptor().getFullName().equals(fullName)) {
        services.remove(b);
        b.methods().forEach(m -> methods.remove(m.fullName()));
        return true;
      }
    }
    return false;
  }

  public List<ServiceBinding> services() {
    return new ArrayList<>(services);
  }

  /** The method {@code package.Service/Method}, if served. */
  public Optional<RpcMethod> method(String fullName) {
    return Optional.ofNullable(methods.get(fullName));
  }
}
