package dev.hearth.kernel.usermodules;

import com.google.protobuf.ByteString;
import dev.hearth.kernel.flags.FlagsApi;
import dev.hearth.kernel.plugins.ModuleHost;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.Store;
import dev.hearth.usermodules.DefinitionValidator;
import dev.hearth.usermodules.DescriptorCompiler;
import dev.hearth.usermodules.FieldRegistry;
import dev.hearth.usermodules.Problem;
import dev.hearth.usermodules.UserModuleDefinition;
import dev.hearth.usermodules.engine.UserModule;
import dev.hearth.usermodules.v1.DesignerAccess;
import dev.hearth.usermodules.v1.GetDesignerAccessRequest;
import dev.hearth.usermodules.v1.GetRequest;
import dev.hearth.usermodules.v1.InstallRequest;
import dev.hearth.usermodules.v1.ListRequest;
import dev.hearth.usermodules.v1.ListResponse;
import dev.hearth.usermodules.v1.RemoveRequest;
import dev.hearth.usermodules.v1.RemoveResponse;
import dev.hearth.usermodules.v1.UpgradeRequest;
import dev.hearth.usermodules.v1.UserModuleInfo;
import dev.hearth.usermodules.v1.UserModulesProto;
import dev.hearth.usermodules.v1.ValidateRequest;
import dev.hearth.usermodules.v1.ValidateResponse;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hearth.usermodules.v1.UsermoduleService}: install, upgrade and remove user modules while
 * the node runs. A definition is validated and compiled before anything changes, so a bad one is
 * refused with every problem listed and leaves what is installed serving. Changes run one at a time.
 */
public final class UserModulesApi {

  private static final Logger log = LoggerFactory.getLogger(UserModulesApi.class);
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,31}");

  private final ModuleHost host;
  private final InstalledModules installed;
  /** Why a module did not start, by definition id (absent when it runs). */
  private final Map<String, String> failures = new ConcurrentHashMap<>();
  /** The version each running module was started from, so List and Get need not compile it again. */
  private final Map<String, Prepared> running = new ConcurrentHashMap<>();

  private final InstallGrant grant;

  /**
   * @param projectAdminsAllowed the node's setting: project-admins may install for their own projects
   * @param audit writes an audit record in the transaction of an install, upgrade or removal
   */
  public UserModulesApi(ModuleHost host, Store kernelStore, Authorization authorization, BooleanSupplier projectAdminsAllowed,
      FlagsApi.Audit audit) {
    this.host = host;
    this.installed = new InstalledModules(kernelStore, audit);
    this.grant = new InstallGrant(authorization, projectAdminsAllowed);
  }

  /**
   * The project a user module serves, when it was installed for one ({@code moduleId} is
   * "um-&lt;id&gt;"), read from the kernel store: for the module switches, which the node builds
   * before the module host this API runs on.
   */
  public static Function<String, Optional<String>> homes(Store kernelStore) {
    Collection<String> homes = kernelStore.collection(InstalledModules.HOMES);
    return moduleId -> moduleId.startsWith("um-") ? homes.get(moduleId.substring(3)) : Optional.empty();
  }

  public ServiceBinding binding() {
    return ServiceBinding.of(UserModulesProto.getDescriptor().findServiceByName("UsermoduleService"))
        .unary("Install", InstallRequest.getDefaultInstance(), (c, r) -> {
          String home = grant.install(c.caller(), r.getProjectId());
          return oneAtATime(() -> install(c, text(r.getDefinitionJson(), r.getDefinition()), home));
        })
        .unary("Upgrade", UpgradeRequest.getDefaultInstance(), (c, r) -> {
          // Who may upgrade at all comes before the request's content: a refusal tells nothing of the modules.
          grant.upgrader(c.caller(), r.getProjectId());
          String id = id(r.getId());
          return oneAtATime(() -> {
            grant.upgrade(c.caller(), id, installed.home(id), r.getProjectId());
            return upgrade(c, id, text(r.getDefinitionJson(), r.getDefinition()));
          });
        })
        .unary("Remove", RemoveRequest.getDefaultInstance(), (c, r) -> oneAtATime(() -> remove(c, id(r.getId()))))
        .unary("List", ListRequest.getDefaultInstance(), (c, r) -> Future.succeededFuture(list()))
        .unary("Get", GetRequest.getDefaultInstance(), (c, r) -> Future.succeededFuture(get(id(r.getId()))))
        .unary("Validate", ValidateRequest.getDefaultInstance(), (c, r) ->
            Future.succeededFuture(validate(text(r.getDefinitionJson(), r.getDefinition()))))
        .unary("GetDesignerAccess", GetDesignerAccessRequest.getDefaultInstance(), (c, r) -> Future.succeededFuture(
            DesignerAccess.newBuilder().setSysAdmin(c.caller().sysAdmin()).setProjectAdmins(grant.projectAdminsAllowed()).build()))
        .build();
  }

  /** Starts every installed user module (the node is starting); one that fails is logged and left FAILED. */
  public Future<Void> startInstalled() {
    Future<Void> all = Future.succeededFuture();
    for (String id : installed.ids()) {
      all = all.compose(v -> {
        try {
          Prepared p = prepare(installed.definition(id).orElseThrow(), installed.registry(id));
          return start(p).otherwise(err -> null);
        } catch (ModuleException e) {
          failures.put(id, e.getMessage());
          log.error("user module {} cannot start: {}", id, e.getMessage());
          return Future.succeededFuture();
        }
      });
    }
    return all;
  }

  /** A definition read, checked against the field registry it would get, and compiled. */
  private record Prepared(UserModuleDefinition definition, String json, FieldRegistry registry,
      DescriptorCompiler.Compiled compiled, List<String> changes) {
    UserModule module() {
      return new UserModule(definition, compiled, registry);
    }
  }

  /**
   * Validates {@code json}, then works out its field registry: a fresh one, or the next one after
   * {@code previous} (an installed or removed version of the same id). Throws INVALID_ARGUMENT
   * listing every problem found at the first stage that has any.
   */
  private Prepared prepare(String json, Optional<FieldRegistry> previous) {
    DefinitionValidator.Result v = DefinitionValidator.validate(json);
    if (!v.valid()) throw invalid(v.problems());
    UserModuleDefinition def = v.definition();
    FieldRegistry registry;
    List<String> changes = List.of();
    if (previous.isPresent()) {
      FieldRegistry.Upgrade up = FieldRegistry.upgrade(previous.get(), def);
      if (!up.problems().isEmpty()) throw invalid(up.problems());
      registry = up.registry();
      changes = up.changes().stream().flatMap(UserModulesApi::describe).toList();
    } else {
      registry = FieldRegistry.initial(def);
    }
    DescriptorCompiler.Result compiled = DescriptorCompiler.compile(def, registry);
    if (!compiled.problems().isEmpty()) throw invalid(compiled.problems());
    return new Prepared(def, json, registry, compiled.compiled(), changes);
  }

  private Future<UserModuleInfo> install(Call call, String json, String home) {
    Prepared p = prepare(json, Optional.empty()); // problems first: they say the most
    String id = p.definition().id();
    if (installed.definition(id).isPresent()) {
      return Future.failedFuture(new ModuleException(ModuleException.Code.ALREADY_EXISTS, "user module " + id
          + " is installed (version " + version(id) + "); upgrade it instead"));
    }
    Prepared ready = installed.registry(id).isPresent() ? prepare(json, installed.registry(id)) : p;
    return start(ready)
        .compose(v -> installed.put(call.caller().userId(), call.method(), id, ready.definition().version(), json,
                ready.registry(), Optional.of(home))
            .recover(err -> host.stop(UserModule.moduleId(id)).transform(x -> Future.failedFuture(err))))
        .map(v -> {
          log.info("user module {} {} installed", id, ready.definition().version());
          return info(ready, List.of());
        });
  }

  private Future<UserModuleInfo> upgrade(Call call, String id, String json) {
    String current = installed.definition(id).orElseThrow(() -> notInstalled(id));
    Prepared old = prepare(current, installed.registry(id));
    Prepared next = prepare(json, installed.registry(id));
    if (!next.definition().id().equals(id)) {
      throw ModuleException.badField("id", "is " + id + " but the definition's id is " + next.definition().id());
    }
    String moduleId = UserModule.moduleId(id);
    Future<Void> stopped = host.isRunning(moduleId) ? host.stop(moduleId) : Future.succeededFuture();
    return stopped.compose(v -> start(next))
        .recover(err -> {
          // The new version did not start: bring the old one back and report why.
          log.warn("user module {} upgrade to {} failed, keeping {}: {}", id, next.definition().version(),
              old.definition().version(), err.getMessage());
          return start(old).transform(x -> Future.failedFuture(err));
        })
        .compose(v -> installed.put(call.caller().userId(), call.method(), id, next.definition().version(), json,
            next.registry(), Optional.empty()))
        .map(v -> {
          log.info("user module {} upgraded from {} to {}: {}", id, old.definition().version(),
              next.definition().version(), next.changes());
          return info(next, next.changes());
        });
  }

  private Future<RemoveResponse> remove(Call call, String id) {
    if (installed.definition(id).isEmpty()) return Future.failedFuture(notInstalled(id));
    String moduleId = UserModule.moduleId(id);
    Future<Void> stopped = host.isRunning(moduleId) ? host.stop(moduleId) : Future.succeededFuture();
    return stopped.compose(v -> installed.remove(call.caller().userId(), call.method(), id))
        .map(v -> {
          failures.remove(id);
          running.remove(id);
          log.info("user module {} removed; its store stays", id);
          return RemoveResponse.getDefaultInstance();
        });
  }

  private Future<Void> start(Prepared p) {
    String id = p.definition().id();
    return host.startHosted(p.module())
        .onSuccess(v -> {
          failures.remove(id);
          running.put(id, p);
        })
        .onFailure(err -> failures.put(id, String.valueOf(err.getMessage())));
  }

  private ListResponse list() {
    ListResponse.Builder b = ListResponse.newBuilder();
    for (String id : installed.ids()) {
      try {
        b.addUserModules(get(id).toBuilder().clearDefinitionJson());
      } catch (ModuleException e) {
        b.addUserModules(UserModuleInfo.newBuilder().setId(id).setModuleId(UserModule.moduleId(id))
            .setState("FAILED").setError(e.getMessage()));
      }
    }
    return b.build();
  }

  private UserModuleInfo get(String id) {
    String json = installed.definition(id).orElseThrow(() -> notInstalled(id));
    Prepared p = running.get(id);
    return info(p != null ? p : prepare(json, installed.registry(id)), List.of()).toBuilder().setDefinitionJson(json).build();
  }

  private UserModuleInfo info(Prepared p, List<String> changes) {
    String id = p.definition().id();
    String error = failures.get(id);
    boolean up = host.isRunning(UserModule.moduleId(id));
    return UserModuleInfo.newBuilder().setId(id).setModuleId(UserModule.moduleId(id))
        .setVersion(p.definition().version()).setName(p.definition().names().getOrDefault("en", id))
        .setService(p.compiled().service().getFullName())
        .addAllPages(p.definition().pages().stream().map(UserModuleDefinition.Page::name).toList())
        .setGeneration(p.registry().generation())
        .setState(up ? "STARTED" : "FAILED").setError(up || error == null ? "" : error)
        .addAllChanges(changes).setProjectId(installed.home(id).orElse("")).build();
  }

  /** A change as the upgrade's answer lists it: "item: added colour", "item: renamed notes to description". */
  private static Stream<String> describe(FieldRegistry.Change c) {
    List<String> out = new ArrayList<>();
    c.added().forEach(f -> out.add(c.entity() + ": added " + f));
    c.renamed().forEach((from, to) -> out.add(c.entity() + ": renamed " + from + " to " + to));
    c.removed().forEach(f -> out.add(c.entity() + ": removed " + f));
    return out.stream();
  }

  private ValidateResponse validate(String json) {
    DefinitionValidator.Result v = DefinitionValidator.validate(json);
    List<Problem> problems = v.problems();
    if (v.valid()) {
      String id = v.definition().id();
      try {
        prepare(json, installed.registry(id)); // also what an upgrade of the installed one would refuse
      } catch (ModuleException e) {
        return ValidateResponse.newBuilder().setValid(false).addAllProblems(fromDetails(e)).build();
      }
    }
    return ValidateResponse.newBuilder().setValid(problems.isEmpty()).addAllProblems(problems.stream()
        .map(p -> dev.hearth.usermodules.v1.Problem.newBuilder().setPath(p.path()).setMessage(p.message()).build())
        .toList()).build();
  }

  private static List<dev.hearth.usermodules.v1.Problem> fromDetails(ModuleException e) {
    String json = e.details().get("problems");
    if (json == null) return List.of(dev.hearth.usermodules.v1.Problem.newBuilder().setPath("$").setMessage(e.getMessage()).build());
    return new JsonArray(json).stream().map(o -> (JsonObject) o).map(o -> dev.hearth.usermodules.v1.Problem.newBuilder()
        .setPath(o.getString("path")).setMessage(o.getString("message")).build()).toList();
  }

  /** INVALID_ARGUMENT whose message lists every problem, one per line, and whose details hold them as JSON. */
  static ModuleException invalid(List<Problem> problems) {
    StringBuilder m = new StringBuilder("the definition has " + problems.size()
        + (problems.size() == 1 ? " problem:" : " problems:"));
    JsonArray list = new JsonArray();
    for (Problem p : problems) {
      m.append("\n  ").append(p.path()).append(": ").append(p.message());
      list.add(new JsonObject().put("path", p.path()).put("message", p.message()));
    }
    return ModuleException.invalidArgument(m.toString()).detail("problems", list.encode());
  }

  private String version(String id) {
    Prepared p = running.get(id);
    return p == null ? "?" : p.definition().version();
  }


  private static String text(String json, ByteString bytes) {
    if (!json.isEmpty() && !bytes.isEmpty()) {
      throw ModuleException.invalidArgument("send the definition once: definition_json or definition, not both");
    }
    if (json.isEmpty() && bytes.isEmpty()) throw ModuleException.badField("definition_json", "is required");
    return json.isEmpty() ? bytes.toString(StandardCharsets.UTF_8) : json;
  }

  private static String id(String id) {
    if (!ID.matcher(id).matches()) throw ModuleException.badField("id", "'" + id + "' is not a user module id " + ID);
    return id;
  }

  private static ModuleException notInstalled(String id) {
    return ModuleException.notFound("no user module " + id + " is installed");
  }

  /** Changes run one after the other, with plugin installs and stops too (see {@link ModuleHost#oneAtATime}). */
  private <T> Future<T> oneAtATime(Supplier<Future<T>> change) {
    return host.oneAtATime(change);
  }
}
