package dev.hearth.usermodules;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.hearth.api.v1.Access;
import dev.hearth.api.v1.AccessProto;
import dev.hearth.api.v1.Level;
import dev.hearth.usermodules.UserModuleDefinition.Action;
import dev.hearth.usermodules.UserModuleDefinition.Entity;
import dev.hearth.usermodules.UserModuleDefinition.Query;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a user module definition into a protobuf file built at run time: one message per entity,
 * a list message, and a service with a get and a list per entity, a method per query and a method
 * per action, each carrying the {@code access} option and an HTTP rule like every module RPC. Field
 * numbers come from the module's {@link FieldRegistry}, so records written by earlier versions stay
 * readable. The generated shapes: {@code docs/user-modules.md}, "Generated API".
 *
 * <p>Stateless and thread-safe. Problems (names that would clash) are returned, never thrown.
 */
public final class DescriptorCompiler {

  private DescriptorCompiler() {}

  /**
   * A compiled definition. Maps keep definition order.
   *
   * @param entities entity name → its message
   * @param actions action name → its method
   * @param queries query name → its method
   * @param gets entity name → its {@code Get<Entity>} method
   * @param lists entity name → its {@code List<Entities>} method
   */
  public record Compiled(FileDescriptor file, ServiceDescriptor service, Map<String, Descriptor> entities,
      Map<String, MethodDescriptor> actions, Map<String, MethodDescriptor> queries,
      Map<String, MethodDescriptor> gets, Map<String, MethodDescriptor> lists) {
    public Compiled {
      entities = ordered(entities);
      actions = ordered(actions);
      queries = ordered(queries);
      gets = ordered(gets);
      lists = ordered(lists);
    }
  }

  /**
   * The outcome of a compilation.
   *
   * @param compiled the descriptors; null when there are problems
   * @param problems with JSON paths into the definition; empty when compiled
   */
  public record Result(Compiled compiled, List<Problem> problems) {
    public Result {
      problems = List.copyOf(problems);
    }

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * Compiles {@code def} with the numbers of {@code registry}.
   *
   * @param def a valid definition ({@link DefinitionValidator})
   * @param registry {@link FieldRegistry#initial} or {@link FieldRegistry#upgrade} of {@code def}; a
   *     field it does not number (or types differently) is a problem
   */
  public static Result compile(UserModuleDefinition def, FieldRegistry registry) {
    List<Problem> problems = new ArrayList<>();
    FieldChecks.run(def, registry, problems);
    if (!problems.isEmpty()) return new Result(null, problems);

    String pkg = ProtoNames.packageOf(def.id());
    NameClashes names = new NameClashes(problems);
    String serviceName = ProtoNames.pascal(def.id()) + "Service";
    names.message(serviceName, "the service of module '" + def.id() + "'", "$");
    FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder().setName(ProtoNames.fileOf(def.id()))
        .setPackage(pkg).setSyntax("proto3")
        .addDependency(AccessProto.getDescriptor().getName())
        .addDependency(AnnotationsProto.getDescriptor().getName());
    ServiceDescriptorProto.Builder service = ServiceDescriptorProto.newBuilder().setName(serviceName);
    Map<String, String> gets = new LinkedHashMap<>();
    Map<String, String> lists = new LinkedHashMap<>();
    Map<String, String> queries = new LinkedHashMap<>();
    Map<String, String> actions = new LinkedHashMap<>();
    Method method = (name, request, response, writes, what, path) -> {
      names.method(name, what, path);
      names.message(request.getName(), what, path);
      file.addMessageType(request);
      service.addMethod(MethodDescriptorProto.newBuilder().setName(name)
          .setInputType("." + pkg + "." + request.getName())
          .setOutputType("." + pkg + "." + response).setOptions(options(def.id(), name, writes)));
    };

    for (int i = 0; i < def.entities().size(); i++) {
      Entity e = def.entities().get(i);
      String at = Paths.index("$.entities", i);
      String what = "entity '" + e.name() + "'";
      String message = ProtoNames.pascal(e.name());
      names.message(message, what, at);
      names.message(message + "List", what, at);
      file.addMessageType(ProtoMessages.entity(message, e, registry));
      file.addMessageType(ProtoMessages.list(message + "List", "." + pkg + "." + message));
      gets.put(e.name(), "Get" + message);
      method.add("Get" + message, ProtoMessages.request("Get" + message + "Request", "project_id", "id").build(),
          message, false, what, at);
      String list = "List" + ProtoNames.plural(message);
      lists.put(e.name(), list);
      method.add(list, ProtoMessages.listRequest(list + "Request"), message + "List", false, what, at);
    }
    for (int i = 0; i < def.queries().size(); i++) {
      Query q = def.queries().get(i);
      String name = "Query" + ProtoNames.pascal(q.name());
      queries.put(q.name(), name);
      method.add(name, ProtoMessages.request(name + "Request", "project_id", "page_token").build(),
          ProtoNames.pascal(q.entity()) + "List", false, "query '" + q.name() + "'", Paths.index("$.queries", i));
    }
    for (int i = 0; i < def.actions().size(); i++) {
      Action a = def.actions().get(i);
      String at = Paths.index("$.actions", i);
      String what = "action '" + a.name() + "'";
      String name = ProtoNames.pascal(a.name());
      actions.put(a.name(), name);
      Entity e = def.entity(a.entity()).orElseThrow();
      String response = ProtoNames.pascal(e.name());
      DescriptorProto.Builder request = switch (a.kind()) {
        case CREATE -> ProtoMessages.withOptionalFields(ProtoMessages.request(name + "Request", "project_id"), e, registry);
        case UPDATE -> ProtoMessages.withOptionalFields(ProtoMessages.request(name + "Request", "project_id", "id"), e, registry);
        case TRANSITION, DELETE -> ProtoMessages.request(name + "Request", "project_id", "id");
      };
      if (a.kind() == ActionKind.DELETE) {
        response = name + "Response";
        names.message(response, what, at);
        file.addMessageType(DescriptorProto.newBuilder().setName(response));
      }
      method.add(name, request.build(), response, true, what, at);
    }
    if (!problems.isEmpty()) return new Result(null, problems);
    return new Result(build(file.addService(service).build(), gets, lists, queries, actions), List.of());
  }

  /** Adds one method and its request message, claiming their names; the response is added by the caller. */
  private interface Method {
    void add(String name, DescriptorProto request, String response, boolean writes, String what, String path);
  }

  private static MethodOptions options(String moduleId, String method, boolean writes) {
    return MethodOptions.newBuilder()
        .setExtension(AccessProto.access, Access.newBuilder().setLevel(Level.PROJECT_USER)
            .setScopeField("project_id").setWrites(writes).build())
        .setExtension(AnnotationsProto.http, HttpRule.newBuilder()
            .setPost("/v1/um/" + moduleId + "/" + method).setBody("*").build())
        .build();
  }

  private static Compiled build(FileDescriptorProto proto, Map<String, String> gets, Map<String, String> lists,
      Map<String, String> queries, Map<String, String> actions) {
    FileDescriptor file;
    try {
      file = FileDescriptor.buildFrom(proto,
          new FileDescriptor[] {AccessProto.getDescriptor(), AnnotationsProto.getDescriptor()});
    } catch (DescriptorValidationException e) {
      // Every name was checked above, so this is a bug here rather than in the definition.
      throw new IllegalStateException("generated descriptors do not build: " + e.getMessage(), e);
    }
    ServiceDescriptor service = file.getServices().get(0);
    Map<String, Descriptor> entities = new LinkedHashMap<>();
    gets.forEach((entity, method) -> entities.put(entity, service.findMethodByName(method).getOutputType()));
    return new Compiled(file, service, entities, methods(service, actions), methods(service, queries),
        methods(service, gets), methods(service, lists));
  }

  private static Map<String, MethodDescriptor> methods(ServiceDescriptor service, Map<String, String> names) {
    Map<String, MethodDescriptor> out = new LinkedHashMap<>();
    names.forEach((key, method) -> out.put(key, service.findMethodByName(method)));
    return out;
  }

  private static <V> Map<String, V> ordered(Map<String, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
