package dev.hearth.kernel.fuzz;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.ExtensionRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a node serves, as an outside client generator learns it: the {@code FileDescriptorSet} of
 * {@code GET /v1/descriptor-set}, each method with its gRPC path, its request message and its REST
 * binding (the {@code google.api.http} rule), so generated cases reach every method by both ways.
 */
record ServedApi(List<Method> methods) {

  /**
   * Methods that would take the fuzzing owner's own account, session, org or project away when given
   * its token and ids: the run sends them, but never with the owner's token, so the cases after them
   * still reach the authenticated handlers.
   */
  private static final Pattern DESTRUCTIVE =
      Pattern.compile("Delete(Org|Project|Account|Me)\\b.*|Log[Oo]ut.*|.*Password.*|Revoke.*|Leave.*|Remove.*Member.*");

  /**
   * One served method: {@code grpcPath} {@code /package.Service/Method}, its request type, its REST
   * verb and path template ({@code /v1/orgs/{org_id}}, null without a rule) and what the body carries
   * ({@code *}, a field name, or empty for none); {@code streaming} when it answers with a stream
   * (a health Watch, a Subscribe), which a good call keeps open.
   */
  record Method(String grpcPath, Descriptor request, String verb, String path, String body, boolean destructive,
      boolean streaming) {}

  /** Reads a served descriptor set (the bytes of {@code GET /v1/descriptor-set}). */
  static ServedApi of(byte[] descriptorSet) throws IOException, DescriptorValidationException {
    ExtensionRegistry registry = ExtensionRegistry.newInstance();
    AnnotationsProto.registerAllExtensions(registry);
    FileDescriptorSet set = FileDescriptorSet.parseFrom(descriptorSet, registry);
    // Each file comes after its imports (docs/api.md), so one pass builds them all.
    Map<String, FileDescriptor> built = new HashMap<>();
    List<Method> methods = new ArrayList<>();
    for (FileDescriptorProto proto : set.getFileList()) {
      FileDescriptor[] deps = proto.getDependencyList().stream().map(built::get).toArray(FileDescriptor[]::new);
      FileDescriptor file = FileDescriptor.buildFrom(proto, deps);
      built.put(proto.getName(), file);
      for (ServiceDescriptor service : file.getServices()) {
        for (MethodDescriptor m : service.getMethods()) methods.add(method(service, m));
      }
    }
    return new ServedApi(List.copyOf(methods));
  }

  private static Method method(ServiceDescriptor service, MethodDescriptor m) {
    String grpcPath = "/" + service.getFullName() + "/" + m.getName();
    boolean destructive = DESTRUCTIVE.matcher(m.getName()).matches();
    if (!m.getOptions().hasExtension(AnnotationsProto.http)) {
      return new Method(grpcPath, m.getInputType(), null, null, "", destructive, m.isServerStreaming());
    }
    HttpRule rule = m.getOptions().getExtension(AnnotationsProto.http);
    String verb = switch (rule.getPatternCase()) {
      case GET -> "GET";
      case POST -> "POST";
      case PUT -> "PUT";
      case PATCH -> "PATCH";
      case DELETE -> "DELETE";
      default -> null;
    };
    String path = switch (rule.getPatternCase()) {
      case GET -> rule.getGet();
      case POST -> rule.getPost();
      case PUT -> rule.getPut();
      case PATCH -> rule.getPatch();
      case DELETE -> rule.getDelete();
      default -> null;
    };
    return new Method(grpcPath, m.getInputType(), verb, path, rule.getBody(), destructive, m.isServerStreaming());
  }

  /** The methods with a REST binding. */
  List<Method> rest() {
    return methods.stream().filter(m -> m.path() != null).toList();
  }
}
