package dev.hearth.kernel.usermodules;

import dev.hearth.api.v1.Level;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.auth.Caller;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Who may install and upgrade user modules: sys-admins, and, when the node's setting
 * {@code project_admins_install_user_modules} is on, a project-admin for their own project (the
 * module then serves that project only, and only a project-admin of it or a sys-admin upgrades it).
 * Removing stays a sys-admin's: the RPC's access option says so.
 */
final class InstallGrant {

  private final Authorization authorization;
  private final BooleanSupplier projectAdminsAllowed;

  InstallGrant(Authorization authorization, BooleanSupplier projectAdminsAllowed) {
    this.authorization = authorization;
    this.projectAdminsAllowed = projectAdminsAllowed;
  }

  boolean projectAdminsAllowed() {
    return projectAdminsAllowed.getAsBoolean();
  }

  /** The project a new module is for ("" for the node); PERMISSION_DENIED when the caller may not install it. */
  String install(Caller caller, String projectId) {
    if (caller.sysAdmin()) return projectId;
    requireProjectAdmin(caller, projectId, "install");
    return projectId;
  }

  /** PERMISSION_DENIED unless the caller may upgrade some user module: a sys-admin, or a project-admin of {@code projectId} while allowed. */
  void upgrader(Caller caller, String projectId) {
    if (!caller.sysAdmin()) requireProjectAdmin(caller, projectId, "upgrade");
  }

  /** Checks the caller may upgrade a module installed for {@code home} (empty: for the node). */
  void upgrade(Caller caller, String id, Optional<String> home, String projectId) {
    if (caller.sysAdmin()) return;
    requireProjectAdmin(caller, projectId, "upgrade");
    if (!home.map(projectId::equals).orElse(false)) {
      throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "user module " + id + " was not installed for project "
          + projectId + "; only a sys-admin" + home.map(h -> " or a project-admin of its project").orElse("") + " may upgrade it");
    }
  }

  private void requireProjectAdmin(Caller caller, String projectId, String what) {
    if (!projectAdminsAllowed.getAsBoolean()) {
      throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "only sys-admins may " + what
          + " user modules on this node (a sys-admin may let project-admins: setting project_admins_install_user_modules)");
    }
    if (projectId.isEmpty()) {
      throw ModuleException.badField("project_id", "is required: a project-admin may " + what
          + " user modules for a project of theirs only");
    }
    if (!authorization.allows(caller, Level.PROJECT_ADMIN, projectId)) {
      throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "only a project-admin of project " + projectId
          + " may " + what + " user modules for it");
    }
  }
}
