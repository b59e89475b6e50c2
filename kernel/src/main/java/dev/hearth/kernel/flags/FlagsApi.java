package dev.hearth.kernel.flags;

import dev.hearth.flags.v1.*;
import dev.hearth.kernel.access.ModuleSwitches;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code hearth.flags.v1.FlagsService}: flags of the {@link FlagBook}, and the module switches of
 * {@link ModuleSwitches} under the names {@code module.<id>}, so one API lists and flips both.
 */
public final class FlagsApi {

  /** Writes an audit record in the transaction of a change: (tx, actor, action, target, detail). */
  public interface Audit {
    void record(Tx tx, String actor, String action, String target, String detail);
  }

  static final String MODULE = "module.";

  private final FlagBook book;
  private final ModuleSwitches switches;
  private final Supplier<List<String>> moduleIds;
  private final Audit audit;
  private final java.util.function.Consumer<String> pagesChanged;

  /**
   * @param moduleIds the modules the node has (loaded plugins and running user modules)
   * @param pagesChanged told a module's id when its switch changes, so open shells list pages again ({@code ui/pages})
   */
  public FlagsApi(FlagBook book, ModuleSwitches switches, Supplier<List<String>> moduleIds, Audit audit,
      java.util.function.Consumer<String> pagesChanged) {
    this.pagesChanged = pagesChanged;
    this.book = book;
    this.switches = switches;
    this.moduleIds = moduleIds;
    this.audit = audit;
  }

  public ServiceBinding binding() {
    return ServiceBinding.of(FlagsProto.getDescriptor().findServiceByName("FlagsService"))
        .unary("ListFlags", ListFlagsRequest.getDefaultInstance(), (call, r) -> list(null, null))
        .unary("ListOrgFlags", ListOrgFlagsRequest.getDefaultInstance(), (call, r) -> list(r.getOrgId(), null))
        .unary("ListProjectFlags", ListProjectFlagsRequest.getDefaultInstance(), (call, r) ->
            list(orgOf(r.getProjectId()), r.getProjectId()))
        .unary("GetFlag", GetFlagRequest.getDefaultInstance(), (call, r) ->
            Future.succeededFuture(get(r.getName(), orgOf(r.getProjectId()), r.getProjectId())))
        .unary("SetNodeFlag", SetNodeFlagRequest.getDefaultInstance(), (call, r) ->
            set(call, FlagBook.Level.NODE, "", r.getName(), r.getEnabled()))
        .unary("ClearNodeFlag", ClearNodeFlagRequest.getDefaultInstance(), (call, r) ->
            set(call, FlagBook.Level.NODE, "", r.getName(), null))
        .unary("SetOrgFlag", SetOrgFlagRequest.getDefaultInstance(), (call, r) ->
            set(call, FlagBook.Level.ORG, r.getOrgId(), r.getName(), r.getEnabled()))
        .unary("ClearOrgFlag", ClearOrgFlagRequest.getDefaultInstance(), (call, r) ->
            set(call, FlagBook.Level.ORG, r.getOrgId(), r.getName(), null))
        .unary("SetProjectFlag", SetProjectFlagRequest.getDefaultInstance(), (call, r) ->
            set(call, FlagBook.Level.PROJECT, r.getProjectId(), r.getName(), r.getEnabled()))
        .unary("ClearProjectFlag", ClearProjectFlagRequest.getDefaultInstance(), (call, r) ->
            set(call, FlagBook.Level.PROJECT, r.getProjectId(), r.getName(), null))
        .build();
  }

  private String orgOf(String projectId) {
    // The guard let the caller in, so the project exists here (or the caller is a sys-admin).
    return book.orgOf(projectId).orElseThrow(() -> ModuleException.notFound("project " + projectId + " not found"));
  }

  private Future<ListFlagsResponse> list(String orgId, String projectId) {
    ListFlagsResponse.Builder b = ListFlagsResponse.newBuilder();
    for (FlagBook.Declared d : book.all()) b.addFlags(view(book.resolve(d, orgId, projectId)));
    for (String id : moduleIds.get().stream().distinct().sorted().toList()) b.addFlags(moduleFlag(id, orgId, projectId));
    return Future.succeededFuture(b.build());
  }

  private Flag get(String name, String orgId, String projectId) {
    if (name.isEmpty()) throw ModuleException.badField("name", "is required");
    if (name.startsWith(MODULE)) return moduleFlag(module(name), orgId, projectId);
    return view(book.resolve(declared(name), orgId, projectId));
  }

  private FlagBook.Declared declared(String name) {
    if (name.isEmpty()) throw ModuleException.badField("name", "is required");
    return book.find(name).orElseThrow(() -> new ModuleException(ModuleException.Code.NOT_FOUND,
        "name: no flag " + name + " is declared on this node (hearth flags list-flags lists them)").detail("field", "name"));
  }

  private String module(String name) {
    String id = name.substring(MODULE.length());
    if (!moduleIds.get().contains(id)) {
      throw new ModuleException(ModuleException.Code.NOT_FOUND, "name: no module " + id + " is installed")
          .detail("field", "name");
    }
    return id;
  }

  private Future<Flag> set(Call call, FlagBook.Level level, String scopeId, String name, Boolean value) {
    String orgId = level == FlagBook.Level.ORG ? scopeId : level == FlagBook.Level.PROJECT ? orgOf(scopeId) : null;
    String projectId = level == FlagBook.Level.PROJECT ? scopeId : null;
    if (name.startsWith(MODULE)) {
      String id = module(name);
      if (level == FlagBook.Level.NODE) {
        throw ModuleException.failedPrecondition("module flags have no node value: stop the module for the whole node"
            + " (hearth modules stop-module --module-id " + id + ")");
      }
      return switches.set(call.userId(), scopeId, level == FlagBook.Level.PROJECT, id, value == null || value)
          .map(v -> {
            pagesChanged.accept(id);
            return moduleFlag(id, orgId, projectId);
          });
    }
    FlagBook.Declared d = declared(name);
    String target = level == FlagBook.Level.NODE ? "node" : level.name().toLowerCase(java.util.Locale.ROOT) + " " + scopeId;
    return book.set(call.userId(), level, scopeId, d, value,
            tx -> audit.record(tx, call.userId(), call.method(), target, name + "=" + (value == null ? "cleared" : value)))
        .map(v -> view(book.resolve(d, orgId, projectId)));
  }

  private Flag moduleFlag(String id, String orgId, String projectId) {
    Flag.Builder f = Flag.newBuilder().setName(MODULE + id).setOwner(id).setDefaultValue(true)
        .setDescription("module " + id + " on or off (off at the org wins over the project)");
    Boolean org = orgId == null ? null : switches.value(orgId, id).orElse(null);
    Boolean project = projectId == null ? null : switches.value(projectId, id).orElse(null);
    if (org != null) f.setOrgValue(org);
    if (project != null) f.setProjectValue(project);
    boolean on = org == null && project == null;
    return f.setEnabled(on).setSource(project != null ? Source.PROJECT : org != null ? Source.ORG : Source.DEFAULT).build();
  }

  static Flag view(FlagBook.Resolved r) {
    FlagBook.Declared d = r.flag();
    Flag.Builder f = Flag.newBuilder().setName(d.name()).setOwner(d.owner()).setDescription(d.description())
        .setDefaultValue(d.defaultValue()).setEnabled(r.enabled()).setSource(r.source());
    if (r.node() != null) f.setNodeValue(r.node());
    if (r.org() != null) f.setOrgValue(r.org());
    if (r.project() != null) f.setProjectValue(r.project());
    return f.build();
  }
}
