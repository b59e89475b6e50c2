package dev.hearth.cli.api;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.TypeRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a node offers, as server reflection described it: its services with their methods and message
 * types, plus a {@link TypeRegistry} of every message so {@code Any} fields print as JSON. Also the
 * one place that names commands: service {@code hearth.tenancy.v1.TenancyService} is {@code tenancy},
 * method {@code CreateOrg} is {@code create-org}, field {@code org_id} is {@code --org-id}.
 */
public final class ApiSchema {

  private final List<ServiceDescriptor> services;
  private final TypeRegistry types;

  ApiSchema(List<ServiceDescriptor> services, Collection<FileDescriptor> files) {
    this.services = List.copyOf(services);
    TypeRegistry.Builder registry = TypeRegistry.newBuilder();
    // add(type) also takes every other type of its file and of the files it imports
    files.forEach(f -> f.getMessageTypes().stream().findFirst().ifPresent(registry::add));
    this.types = registry.build();
  }

  /** Every service, including gRPC's own (reflection, health): {@code hearth call} may call them too. */
  public List<ServiceDescriptor> allServices() {
    return services;
  }

  /** The services a person would call: without the protocol plumbing under {@code grpc.reflection.*} and {@code grpc.health.*}. */
  public List<ServiceDescriptor> services() {
    return services.stream().filter(s -> !plumbing(s)).toList();
  }

  public TypeRegistry types() {
    return types;
  }

  /** A method by full service name and method name, e.g. {@code hearth.auth.v1.AuthService}, {@code LogIn}. */
  public Optional<MethodDescriptor> method(String service, String method) {
    return services.stream().filter(s -> s.getFullName().equals(service)).findFirst()
        .map(s -> s.findMethodByName(method));
  }

  /**
   * The CLI command of a service: its short name ({@code tenancy}); when that is taken by another
   * service or by one of {@code builtIns} (the CLI's own commands, which win), the service's name in
   * kebab case ({@code admin-service}); when that clashes too, its full name.
   */
  public String commandName(ServiceDescriptor service, Set<String> builtIns) {
    String shortName = shortName(service);
    boolean clash = builtIns.contains(shortName)
        || services().stream().filter(s -> s != service).anyMatch(s -> shortName(s).equals(shortName));
    if (!clash && !shortName.isEmpty()) return shortName;
    String longName = kebab(service.getName());
    boolean longClash = builtIns.contains(longName)
        || services().stream().filter(s -> s != service).anyMatch(s -> kebab(s.getName()).equals(longName));
    return longClash ? service.getFullName() : longName;
  }

  private static String shortName(ServiceDescriptor service) {
    return kebab(service.getName().replaceFirst("Service$", ""));
  }

  public static String commandName(MethodDescriptor method) {
    return kebab(method.getName());
  }

  /** {@code CreateOrg} → {@code create-org}, {@code ListAPITokens} → {@code list-api-tokens}, {@code org_id} → {@code org-id}. */
  static String kebab(String name) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_') {
        out.append('-');
        continue;
      }
      boolean upper = Character.isUpperCase(c);
      if (upper && i > 0 && out.length() > 0 && out.charAt(out.length() - 1) != '-') {
        char prev = name.charAt(i - 1);
        boolean nextLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
        if (Character.isLowerCase(prev) || Character.isDigit(prev) || (Character.isUpperCase(prev) && nextLower)) {
          out.append('-');
        }
      }
      out.append(Character.toLowerCase(c));
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  private static boolean plumbing(ServiceDescriptor s) {
    return s.getFullName().startsWith("grpc.reflection.") || s.getFullName().startsWith("grpc.health.");
  }

  /** {@code hearth api}: the services a person would call, with their methods, as JSON. */
  public JsonObject describe(String url, Set<String> builtIns) {
    JsonArray list = new JsonArray();
    for (ServiceDescriptor s : services()) {
      JsonArray methods = new JsonArray();
      for (MethodDescriptor m : s.getMethods()) {
        methods.add(new JsonObject().put("name", m.getName()).put("command", commandName(m))
            .put("input", m.getInputType().getFullName()).put("output", m.getOutputType().getFullName())
            .put("clientStreaming", m.isClientStreaming()).put("serverStreaming", m.isServerStreaming()));
      }
      list.add(new JsonObject().put("name", s.getFullName()).put("command", commandName(s, builtIns)).put("methods", methods));
    }
    return new JsonObject().put("url", url).put("services", list);
  }
}
