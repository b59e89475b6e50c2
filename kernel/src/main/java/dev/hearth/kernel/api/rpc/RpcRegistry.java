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
  private final Map<String, String> owners = new ConcurrentHashMap<>();

  public synchronized void add(ServiceBinding binding) {
    add(binding, null);
  }

  /** Adds a service served for {@code owner}, a module id ({@code null} for the kernel's own). */
  public synchronized void add(ServiceBinding binding, String owner) {
    for (RpcMethod m : binding.methods()) {
      if (methods.containsKey(m.fullName())) {
        throw new IllegalStateException(m.fullName() + " is already served");
      }
    }
    binding.methods().forEach(m -> methods.put(m.fullName(), m));
    if (owner != null) binding.methods().forEach(m -> owners.put(m.fullName(), owner));
    services.add(binding);
  }

  /** Stops serving the service {@code fullName} (e.g. {@code hearth.chat.v1.ChatService}); false when not served. */
  public synchronized boolean remove(String fullName) {
    for (ServiceBinding b : services) {
      if (b.descriptor().getFullName().equals(fullName)) {
        services.remove(b);
        b.methods().forEach(m -> methods.remove(m.fullName()));
        b.methods().forEach(m -> owners.remove(m.fullName()));
        return true;
      }
    }
    return false;
  }

  /** The module serving method {@code fullName}, or {@code null} for the kernel's own methods. */
  public String ownerOf(String fullName) {
    return owners.get(fullName);
  }

  public List<ServiceBinding> services() {
    return new ArrayList<>(services);
  }

  /** The method {@code package.Service/Method}, if served. */
  public Optional<RpcMethod> method(String fullName) {
    return Optional.ofNullable(methods.get(fullName));
  }
}
