package dev.hearth.kernel.plugins;

import dev.hearth.kernel.access.ModuleSwitches;
import dev.hearth.kernel.access.RequestLimits;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.modules.v1.InstallModuleRequest;
import dev.hearth.modules.v1.ListModulesRequest;
import dev.hearth.modules.v1.ListModulesResponse;
import dev.hearth.modules.v1.ListProjectModulesRequest;
import dev.hearth.modules.v1.ListProjectModulesResponse;
import dev.hearth.modules.v1.ModuleInfo;
import dev.hearth.modules.v1.ModuleSwitch;
import dev.hearth.modules.v1.ModulesProto;
import dev.hearth.modules.v1.ProjectModule;
import dev.hearth.modules.v1.SetOrgModuleEnabledRequest;
import dev.hearth.modules.v1.SetProjectModuleEnabledRequest;
import dev.hearth.modules.v1.StartModuleRequest;
import dev.hearth.modules.v1.StopModuleRequest;
import dev.hearth.modules.v1.UninstallModuleRequest;
import dev.hearth.modules.v1.UninstallModuleResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hearth.modules.v1.ModuleService}: modules installed as jars in the plugins folder, started
 * and stopped while the node runs. A stopped module leaves a {@code <id>.stopped} marker beside its
 * jar, so the next start of the node leaves it stopped too. Blocking file and class-loading work
 * runs on a worker.
 */
public final class ModulesApi {

  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  private static final Logger log = LoggerFactory.getLogger(ModulesApi.class);

  /** The install method, whose request size limit is {@code modules.maxArchiveBytes}. */
  public static final String INSTALL = "hearth.modules.v1.ModuleService/InstallModule";

  private final Vertx vertx;
  private final ModuleHost host;
  private final ModuleSwitches switches;
  private final long maxArchiveBytes;

  public ModulesApi(Vertx vertx, ModuleHost host, ModuleSwitches switches, long maxArchiveBytes) {
    this.vertx = vertx;
    this.host = host;
    this.switches = switches;
    this.maxArchiveBytes = maxArchiveBytes;
  }

  public ServiceBinding binding() {
    return ServiceBinding.of(ModulesProto.getDescriptor().findServiceByName("ModuleService"))
        .unary("ListModules", ListModulesRequest.getDefaultInstance(), this::list)
        .unary("InstallModule", InstallModuleRequest.getDefaultInstance(), (c, r) -> oneAtATime(() -> install(c, r)))
        .unary("StartModule", StartModuleRequest.getDefaultInstance(), (c, r) -> {
          String id = id(r.getModuleId());
          return oneAtATime(() -> start(id));
        })
        .unary("StopModule", StopModuleRequest.getDefaultInstance(), (c, r) -> {
          String id = id(r.getModuleId());
          return oneAtATime(() -> stop(id));
        })
        .unary("UninstallModule", UninstallModuleRequest.getDefaultInstance(), (c, r) -> oneAtATime(() -> uninstall(c, r)))
        .unary("SetOrgModuleEnabled", SetOrgModuleEnabledRequest.getDefaultInstance(), (c, r) ->
            toggle(c, r.getOrgId(), false, r.getModuleId(), r.getEnabled()))
        .unary("SetProjectModuleEnabled", SetProjectModuleEnabledRequest.getDefaultInstance(), (c, r) ->
            toggle(c, r.getProjectId(), true, r.getModuleId(), r.getEnabled()))
        .unary("ListProjectModules", ListProjectModulesRequest.getDefaultInstance(), this::listForProject)
        .build();
  }

  private <T> Future<T> oneAtATime(Supplier<Future<T>> operation) {
    return host.oneAtATime(operation);
  }

  /**
   * Loads the jars of the plugins folder, the newest of each module id (see {@link PluginsFolder}),
   * and starts those not marked stopped; failures are logged, not fatal.
   */
  public Future<Void> startInstalled() {
    return vertx.executeBlocking(() -> {
      Path dir = host.pluginsDir();
      if (!Files.isDirectory(dir)) return List.<String>of();
      List<String> ids = new ArrayList<>();
      for (Path jar : PluginsFolder.jarsToLoad(dir)) {
        try {
          ids.add(host.load(jar));
        } catch (RuntimeException e) {
          // One broken jar must not keep the node (and every other module) from starting.
          log.error("module jar {} cannot be loaded, skipped: {}", jar, e.getMessage());
        }
      }
      return ids;
    }, false).compose(ids -> {
      // Modules are independent of each other (each has its own store, and nothing of another's):
      // they start side by side, so their stores open and recover at the same time.
      List<Future<Void>> starts = new ArrayList<>();
      for (String id : ids) {
        if (!Files.exists(marker(id))) starts.add(host.start(id).otherwiseEmpty());
      }
      return Future.join(starts).otherwiseEmpty().mapEmpty();
    });
  }

  private Future<ModuleSwitch> toggle(Call call, String scopeId, boolean project, String moduleId, boolean enabled) {
    String id = id(moduleId);
    if (!host.isRunning(id)) host.info(id); // NOT_FOUND for a module that is not installed (a user module runs)
    return switches.set(call.userId(), scopeId, project, id, enabled).map(v -> ModuleSwitch.newBuilder()
        .setScopeId(scopeId).setModuleId(id).setEnabled(enabled).build());
  }

  private Future<ListProjectModulesResponse> listForProject(Call call, ListProjectModulesRequest req) {
    ListProjectModulesResponse.Builder b = ListProjectModulesResponse.newBuilder();
    for (JsonObject m : host.list()) {
      String id = m.getString("pluginId");
      b.addModules(ProjectModule.newBuilder().setModuleId(id).setVersion(m.getString("version"))
          .setRunning(host.isRunning(id)).setEnabled(switches.enabledForProject(req.getProjectId(), id)));
    }
    for (String id : host.hosted()) {
      b.addModules(ProjectModule.newBuilder().setModuleId(id).setRunning(true)
          .setEnabled(switches.enabledForProject(req.getProjectId(), id)));
    }
    return Future.succeededFuture(b.build());
  }

  private Future<ListModulesResponse> list(Call call, ListModulesRequest req) {
    ListModulesResponse.Builder b = ListModulesResponse.newBuilder();
    host.list().forEach(m -> b.addModules(view(m)));
    return Future.succeededFuture(b.build());
  }

  private Future<ModuleInfo> install(Call call, InstallModuleRequest req) {
    if (req.getArchive().isEmpty()) throw ModuleException.badField("archive", "is required: the module's jar");
    if (req.getArchive().size() > maxArchiveBytes) {
      // The transports cap the request; over REST base64 leaves some slack, so the jar is checked too.
      throw RequestLimits.tooLarge("the archive", new RequestLimits.Limit(maxArchiveBytes, "modules.maxArchiveBytes"))
          .detail("field", "archive");
    }
    byte[] bytes = req.getArchive().toByteArray();
    return vertx.executeBlocking(() -> upload(bytes), false).compose(upload -> {
      boolean wasRunning = host.isRunning(upload.id());
      Future<Void> stopped = (wasRunning ? host.stop(upload.id()) : Future.<Void>succeededFuture())
          // The uploaded jar (up to modules.maxArchiveBytes) must not stay behind when the old one will not stop.
          .recover(err -> vertx.executeBlocking(() -> Files.deleteIfExists(upload.file()), false)
              .transform(x -> Future.failedFuture(err)));
      boolean startIt = wasRunning || req.getStart();
      return stopped.compose(v -> vertx.executeBlocking(() -> swapIn(upload, startIt), false))
          .compose(swap -> (startIt ? start(swap.id()) : Future.succeededFuture(view(host.info(swap.id()))))
              .recover(err -> rollBack(swap, wasRunning, err))
              .compose(info -> vertx.executeBlocking(() -> {
                swap.forgetPrevious();
                return info;
              }, false)));
    });
  }

  /**
   * An installed jar replaced by an upload, with what is needed to put it back: the old jar's path,
   * and where it was set aside while the new one is tried.
   */
  private record Swap(String id, Path jar, Path old, Path previous) {
    void forgetPrevious() throws IOException {
      if (previous != null) Files.deleteIfExists(previous);
    }
  }

  /**
   * Unloads the installed version (its jar set aside, not deleted) and loads the upload in its place.
   * If the upload does not load, the installed version comes back before the error is answered.
   */
  private Swap swapIn(Upload upload, boolean startIt) throws IOException {
    Path old = host.isLoaded(upload.id()) ? host.pathOf(upload.id()) : null;
    Path previous = null;
    if (old != null) {
      host.unload(upload.id());
      if (isInstalled(old) && Files.exists(old)) {
        previous = old.resolveSibling(old.getFileName() + ".previous");
        Files.move(old, previous, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    Path jar = host.pluginsDir().resolve(upload.id() + "-" + upload.version() + ".jar");
    Files.move(upload.file(), jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Swap swap = new Swap(upload.id(), jar, old, previous);
    try {
      host.load(jar);
    } catch (RuntimeException e) {
      restore(swap);
      throw e;
    }
    if (!startIt) Files.writeString(marker(upload.id()), "");
    return swap;
  }

  /** The upgraded version would not start: the one it replaced is loaded (and started) again. */
  private Future<ModuleInfo> rollBack(Swap swap, boolean wasRunning, Throwable err) {
    if (swap.old() == null) return Future.failedFuture(err); // a first install has nothing to go back to
    String why = err.getMessage();
    return vertx.executeBlocking(() -> {
      if (host.isLoaded(swap.id())) host.unload(swap.id());
      restore(swap);
      // Back as it was: a module that was stopped stays stopped at the next boot too.
      if (!wasRunning) Files.writeString(marker(swap.id()), "");
      return null;
    }, false).compose(v -> wasRunning ? host.start(swap.id()) : Future.<Void>succeededFuture())
        .transform(r -> Future.failedFuture(ModuleException.failedPrecondition("the new version of " + swap.id()
            + " did not start (" + why + "); the version it replaced is back"
            + (r.failed() ? " but did not start again: " + r.cause().getMessage() : ""))));
  }

  /** Puts the replaced jar back and loads it; the upload is deleted. */
  private void restore(Swap swap) throws IOException {
    Files.deleteIfExists(swap.jar());
    if (swap.old() == null) return;
    if (swap.previous() != null) {
      Files.move(swap.previous(), swap.old(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    host.load(swap.old());
  }

  private record Upload(Path file, String id, String version) {}

  /** Writes the jar beside the installed ones and reads its manifest; refuses what is not a module jar. */
  private Upload upload(byte[] bytes) throws IOException {
    Files.createDirectories(host.pluginsDir());
    Path file = host.pluginsDir().resolve(".upload-" + UUID.randomUUID() + ".tmp");
    Files.write(file, bytes);
    try {
      PluginsFolder.Described d = PluginsFolder.describe(file);
      if (d == null) {
        throw ModuleException.badField("archive", "not a module jar: its manifest needs Plugin-Id and Plugin-Version");
      }
      String id = d.id();
      String version = d.version();
      if (!ID.matcher(id).matches() || !version.matches("[0-9A-Za-z.+-]{1,64}")) {
        throw ModuleException.badField("archive", "Plugin-Id must match " + ID + " and Plugin-Version be a version");
      }
      return new Upload(file, id, version);
    } catch (IOException | ModuleException e) {
      Files.deleteIfExists(file);
      if (e instanceof ModuleException m) throw m;
      throw ModuleException.badField("archive", "not a jar: " + e.getMessage());
    }
  }

  private Future<ModuleInfo> start(String id) {
    return vertx.executeBlocking(() -> Files.deleteIfExists(marker(id)), false)
        .compose(v -> host.isRunning(id) ? Future.succeededFuture() : host.start(id))
        .map(v -> view(host.info(id)));
  }

  private Future<ModuleInfo> stop(String id) {
    host.info(id); // NOT_FOUND for an unknown module
    return vertx.executeBlocking(() -> {
          // A module loaded from elsewhere (tests, tools) may come before the first install made the folder.
          Files.createDirectories(host.pluginsDir());
          return Files.writeString(marker(id), "");
        }, false)
        .compose(v -> host.isRunning(id) ? host.stop(id) : Future.succeededFuture())
        .map(v -> view(host.info(id)));
  }

  private Future<UninstallModuleResponse> uninstall(Call call, UninstallModuleRequest req) {
    String id = id(req.getModuleId());
    Path jar = host.pathOf(id);
    return (host.isRunning(id) ? host.stop(id) : Future.<Void>succeededFuture())
        .compose(v -> vertx.executeBlocking(() -> {
          host.unload(id);
          deleteIfInstalled(jar);
          Files.deleteIfExists(marker(id));
          return UninstallModuleResponse.getDefaultInstance();
        }, false));
  }

  /**
   * Deletes a module's jar if it is one of the plugins folder's: a module loaded from elsewhere (a
   * build's target/, by a test or a tool) is unloaded but its file is not ours to delete.
   */
  private void deleteIfInstalled(Path jar) throws IOException {
    if (isInstalled(jar)) Files.deleteIfExists(jar);
  }

  private boolean isInstalled(Path jar) {
    return host.pluginsDir().toAbsolutePath().normalize().equals(jar.toAbsolutePath().normalize().getParent());
  }

  private Path marker(String id) {
    return host.pluginsDir().resolve(id + ".stopped");
  }

  private static String id(String moduleId) {
    if (moduleId.isEmpty()) throw ModuleException.badField("module_id", "is required");
    if (!ID.matcher(moduleId).matches()) throw ModuleException.badField("module_id", "must match " + ID);
    return moduleId;
  }

  private static ModuleInfo view(JsonObject m) {
    return ModuleInfo.newBuilder().setModuleId(m.getString("pluginId")).setVersion(m.getString("version"))
        .setState(m.getString("state")).setError(m.getString("error", "")).build();
  }
}
