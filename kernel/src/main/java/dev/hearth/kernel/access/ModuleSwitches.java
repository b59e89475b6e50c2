package dev.hearth.kernel.access;

import com.google.protobuf.Message;
import dev.hearth.api.v1.Level;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.kernel.store.ReadCache;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which modules are off for which org or project (on is the default; a user module installed for
 * one project is off everywhere else), kept in the kernel store as
 * {@code module_switches: <scopeId>/<moduleId> → "off"}, and the check every module RPC passes after
 * the guard: a call scoped to a project (or org) where its module is off fails FAILED_PRECONDITION.
 */
public final class ModuleSwitches {

  private final HearthStore store;
  private final Collection<String> off;
  /** The switches as every module call reads them: cached while the kernel store is unchanged. */
  private final ReadCache<String> offReads;
  private final Function<String, Optional<String>> orgOfProject;
  private final Function<String, String> ownerOf;
  /** The one project a module serves, for a user module a project-admin installed (empty: any). */
  private final Function<String, Optional<String>> homeOf;

  /**
   * @param orgOfProject the org a project belongs to, if the project exists
   * @param ownerOf which module serves a method (null for the kernel's own)
   * @param homeOf the one project a module is for (a user module installed for a project): in every
   *     other project it is off, whatever the switches say
   */
  public ModuleSwitches(HearthStore kernel, Function<String, Optional<String>> orgOfProject, Function<String, String> ownerOf,
      Function<String, Optional<String>> homeOf) {
    this.store = kernel;
    this.off = kernel.collection(CollectionSpec.of("module_switches", Codec.utf8()));
    this.offReads = ReadCache.of(kernel, off);
    this.orgOfProject = orgOfProject;
    this.ownerOf = ownerOf;
    this.homeOf = homeOf;
  }

  /**
   * Turns {@code moduleId} on or off for an org or a project; a project's switch is written in the
   * project's scope (it travels with the project), an org's unscoped.
   *
   * @param project whether {@code scopeId} is a project (else an org)
   */
  public Future<Void> set(String actor, String scopeId, boolean project, String moduleId, boolean enabled) {
    return store.write(actor, project ? scopeId : "", tx -> {
      if (enabled) tx.delete(off, scopeId + "/" + moduleId);
      else tx.put(off, scopeId + "/" + moduleId, "off");
      return null;
    });
  }

  /** Whether {@code moduleId} is turned off in exactly this org or project (not inherited): false, else empty. */
  public Optional<Boolean> value(String scopeId, String moduleId) {
    return off.get(scopeId + "/" + moduleId).map(v -> false);
  }

  /** Whether {@code moduleId} is on for the project: neither it nor its org turned the module off. */
  public boolean enabledForProject(String projectId, String moduleId) {
    if (homeOf.apply(moduleId).filter(home -> !home.equals(projectId)).isPresent()) return false;
    if (offReads.get(projectId + "/" + moduleId).isPresent()) return false;
    return orgOfProject.apply(projectId).map(org -> offReads.get(org + "/" + moduleId).isEmpty()).orElse(true);
  }

  /** Whether {@code moduleId} is on in the tenant of a check at {@code level} (always for untenanted levels). */
  public boolean enabled(String moduleId, Level level, String scopeId) {
    if (scopeId == null || scopeId.isEmpty()) return true;
    if (level == Level.PROJECT_USER || level == Level.PROJECT_ADMIN) return enabledForProject(scopeId, moduleId);
    if (level == Level.ORG_MEMBER || level == Level.ORG_ADMIN) {
      return homeOf.apply(moduleId).isEmpty() && offReads.get(scopeId + "/" + moduleId).isEmpty();
    }
    return true;
  }

  /**
   * The node's authorization as module {@code moduleId} sees it: a tenant where the module is turned
   * off allows nothing, so what a module authorizes itself (realtime topics, checks inside a call)
   * follows the switches as its RPCs do.
   */
  public Authorization forModule(Authorization base, String moduleId) {
    return new Authorization() {
      @Override
      public boolean allows(Caller caller, Level level, String scopeId) {
        return base.allows(caller, level, scopeId) && enabled(moduleId, level, scopeId);
      }

      @Override
      public void require(Caller caller, Level level, String scopeId) {
        base.require(caller, level, scopeId);
        if (!enabled(moduleId, level, scopeId)) throw turnedOff(moduleId, level);
      }

      @Override
      public boolean isBot(String userId) {
        return base.isBot(userId);
      }
    };
  }

  /** Refuses a module's call scoped to an org or project where that module is off. */
  public void check(RpcMethod method, Message request) {
    String module = ownerOf.apply(method.fullName());
    if (module == null) return;
    Level level = method.access().getLevel();
    if (!tenanted(level)) return;
    // An empty scope: the guard has refused it already, unless a sys-admin called.
    if (!enabled(module, level, method.scopeOf(request))) throw turnedOff(module, level);
  }

  private static boolean tenanted(Level level) {
    return level == Level.PROJECT_USER || level == Level.PROJECT_ADMIN || level == Level.ORG_MEMBER
        || level == Level.ORG_ADMIN;
  }

  private static ModuleException turnedOff(String moduleId, Level level) {
    boolean org = level == Level.ORG_MEMBER || level == Level.ORG_ADMIN;
    return ModuleException.failedPrecondition("module " + moduleId + " is turned off for this " + (org ? "org" : "project"))
        .localized(org ? "module.offOrg" : "module.offProject", moduleId);
  }
}
