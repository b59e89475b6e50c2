package dev.hearth.kernel.tenancy;

import com.google.protobuf.util.Timestamps;
import dev.hearth.api.v1.Level;
import dev.hearth.kernel.identity.Check;
import dev.hearth.kernel.identity.IdentityStore;
import dev.hearth.kernel.identity.Pages;
import dev.hearth.kernel.identity.Roles;
import dev.hearth.kernel.identity.proto.AuditRecord;
import dev.hearth.kernel.identity.proto.MembershipRecord;
import dev.hearth.kernel.identity.proto.OrgRecord;
import dev.hearth.kernel.identity.proto.ProjectRecord;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Ids;
import dev.hearth.module.store.Tx;
import dev.hearth.tenancy.v1.*;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Orgs and projects. The guard has checked the caller's role in the scope before any of these run.
 *
 * <p>Every write about one project names it as the write's scope (federation shares a project's
 * changes with the nodes it is shared with); org-level writes are unscoped. No write touches two
 * projects: what spans several (deleting an org, removing an org member) is one write per project,
 * then the org's own, each safe to run again when a later one fails.
 */
final class TenancyApi {

  private final IdentityStore ids;
  private final Memberships memberships;
  private final Authorization authorization;
  private final BotsApi bots;
  private final Clock clock;
  private final OrgProviders orgProviders;
  private final BiConsumer<Tx, String> projectRecords;

  /**
   * @param projectRecords what other parts of the kernel keep of a project (its slash commands), removed
   *     in the transaction that deletes it
   */
  TenancyApi(IdentityStore ids, Memberships memberships, Authorization authorization, BotsApi bots, Clock clock,
      OrgProviders orgProviders, BiConsumer<Tx, String> projectRecords) {
    this.projectRecords = projectRecords;
    this.orgProviders = orgProviders;
    this.ids = ids;
    this.memberships = memberships;
    this.authorization = authorization;
    this.bots = bots;
    this.clock = clock;
  }

  /** Orgs one user may administer; a quota, so no one can bloat the store (or their own role list). */
  static final int MAX_ORGS_PER_USER = 100;

  Future<Org> createOrg(Call call, CreateOrgRequest req) {
    String name = Check.text("name", req.getName(), 1, 100);
    String description = Check.text("description", req.getDescription(), 0, 1000);
    String user = call.userId();
    long administered = ids.membershipsOf(user).stream()
        .filter(e -> e.value().getProjectId().isEmpty() && e.value().getRole().equals(Roles.ORG_ADMIN)).count();
    if (administered >= MAX_ORGS_PER_USER && !call.caller().sysAdmin()) {
      throw new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED,
          "you administer " + administered + " orgs, the most one user may (" + MAX_ORGS_PER_USER + ")");
    }
    return ids.store.write(user, tx -> {
      String id = Ids.next();
      OrgRecord org = OrgRecord.newBuilder().setId(id).setName(name).setDescription(description)
          .setCreatedAt(clock.millis()).setCreatedBy(user).build();
      tx.put(ids.orgs, id, org);
      memberships.grant(tx, user, id, "", Roles.ORG_ADMIN);
      return view(org);
    });
  }

  Future<Org> getOrg(Call call, GetOrgRequest req) {
    return Future.succeededFuture(view(ids.orgs.get(req.getOrgId()).orElseThrow(() -> Check.notFound("org"))));
  }

  Future<ListOrgsResponse> listOrgs(Call call, ListOrgsRequest req) {
    int size = Check.pageSize(req.getPageSize(), 50, 200);
    String after = Pages.after(req.getPageToken());
    TreeSet<String> orgIds = new TreeSet<>();
    for (Entry<MembershipRecord> e : ids.membershipsOf(call.userId())) orgIds.add(e.value().getOrgId());
    ListOrgsResponse.Builder b = ListOrgsResponse.newBuilder();
    for (String id : after == null ? orgIds : orgIds.tailSet(after, false)) {
      if (b.getOrgsCount() == size) {
        b.setNextPageToken(Pages.token(b.getOrgs(size - 1).getId()));
        break;
      }
      ids.orgs.get(id).ifPresent(o -> b.addOrgs(view(o)));
    }
    return Future.succeededFuture(b.build());
  }

  Future<Org> updateOrg(Call call, UpdateOrgRequest req) {
    String name = req.hasName() ? Check.text("name", req.getName(), 1, 100) : null;
    String description = req.hasDescription() ? Check.text("description", req.getDescription(), 0, 1000) : null;
    return ids.store.write(call.userId(), tx -> {
      OrgRecord.Builder o = tx.get(ids.orgs, req.getOrgId()).orElseThrow(() -> Check.notFound("org")).toBuilder();
      if (name != null) o.setName(name);
      if (description != null) o.setDescription(description);
      tx.put(ids.orgs, o.getId(), o.build());
      return view(o.build());
    });
  }

  /**
   * Deletes the org, its projects, every role in them and their invites: each project in a write of
   * its own scope, then the org. A failure midway leaves the org with fewer projects; deleting it
   * again finishes the job.
   */
  Future<DeleteOrgResponse> deleteOrg(Call call, DeleteOrgRequest req) {
    String org = req.getOrgId();
    if (ids.orgs.get(org).isEmpty()) throw Check.notFound("org");
    Future<Void> projects = Future.succeededFuture();
    for (Entry<byte[]> p : IdentityStore.all(ids.orgProjects, org + "/")) {
      String project = p.key().substring(org.length() + 1);
      projects = projects.compose(v -> ids.store.write(call.userId(), project, tx -> {
        if (tx.get(ids.projects, project).isPresent()) deleteProject(tx, project, org);
        return null;
      }));
    }
    return projects.compose(v -> ids.store.write(call.userId(), tx -> {
      if (tx.get(ids.orgs, org).isEmpty()) throw Check.notFound("org");
      if (!IdentityStore.all(tx, ids.orgProjects, org + "/").isEmpty()) {
        throw ModuleException.failedPrecondition(
            "a project was created in the org while it was being deleted; delete the org again");
      }
      memberships.revokeScope(tx, org);
      for (var i : IdentityStore.all(tx, ids.invites, org + "/")) tx.delete(ids.invites, i.key());
      orgProviders.deleteAll(tx, org);
      tx.delete(ids.orgs, org);
      return DeleteOrgResponse.getDefaultInstance();
    }));
  }

  Future<Project> createProject(Call call, CreateProjectRequest req) {
    String name = Check.text("name", req.getName(), 1, 100);
    String description = Check.text("description", req.getDescription(), 0, 1000);
    String id = Ids.next();
    return ids.store.write(call.userId(), id, tx -> {
      if (tx.get(ids.orgs, req.getOrgId()).isEmpty()) throw Check.notFound("org");
      ProjectRecord p = ProjectRecord.newBuilder().setId(id).setOrgId(req.getOrgId()).setName(name)
          .setDescription(description).setCreatedAt(clock.millis()).setCreatedBy(call.userId()).build();
      tx.put(ids.projects, id, p);
      tx.put(ids.orgProjects, req.getOrgId() + "/" + id, new byte[0]);
      // The creator is the project's first admin: listed among its members (also on nodes it is shared with).
      memberships.grant(tx, call.userId(), req.getOrgId(), id, Roles.PROJECT_ADMIN);
      return view(p);
    });
  }

  Future<Project> getProject(Call call, GetProjectRequest req) {
    return Future.succeededFuture(view(ids.projects.get(req.getProjectId()).orElseThrow(() -> Check.notFound("project"))));
  }

  /** All of the org's projects for its admins (and sys-admins); else only those the caller has a role in. */
  Future<ListProjectsResponse> listProjects(Call call, ListProjectsRequest req) {
    int size = Check.pageSize(req.getPageSize(), 50, 200);
    String after = Pages.after(req.getPageToken());
    String org = req.getOrgId();
    String user = call.userId();
    boolean all = authorization.allows(call.caller(), Level.ORG_ADMIN, org);
    TreeSet<String> projectIds = new TreeSet<>();
    if (all) {
      String from = after == null ? org + "/" : Pages.successor(org + "/" + after);
      for (Entry<byte[]> e : ids.orgProjects.scan(from, org + "/\uffff", size + 1, false)) {
        projectIds.add(e.key().substring(org.length() + 1));
      }
    } else {
      for (Entry<MembershipRecord> e : ids.membershipsOf(user)) {
        String p = e.value().getProjectId();
        if (e.value().getOrgId().equals(org) && !p.isEmpty() && (after == null || p.compareTo(after) > 0)) projectIds.add(p);
      }
    }
    ListProjectsResponse.Builder b = ListProjectsResponse.newBuilder();
    for (String id : projectIds) {
      if (b.getProjectsCount() == size) {
        b.setNextPageToken(Pages.token(b.getProjects(size - 1).getId()));
        break;
      }
      ids.projects.get(id).ifPresent(p -> b.addProjects(view(p)));
    }
    return Future.succeededFuture(b.build());
  }

  Future<Project> updateProject(Call call, UpdateProjectRequest req) {
    String name = req.hasName() ? Check.text("name", req.getName(), 1, 100) : null;
    String description = req.hasDescription() ? Check.text("description", req.getDescription(), 0, 1000) : null;
    return ids.store.write(call.userId(), req.getProjectId(), tx -> {
      ProjectRecord.Builder p = tx.get(ids.projects, req.getProjectId()).orElseThrow(() -> Check.notFound("project")).toBuilder();
      if (name != null) p.setName(name);
      if (description != null) p.setDescription(description);
      tx.put(ids.projects, p.getId(), p.build());
      return view(p.build());
    });
  }

  Future<DeleteProjectResponse> deleteProject(Call call, DeleteProjectRequest req) {
    return ids.store.write(call.userId(), req.getProjectId(), tx -> {
      ProjectRecord p = tx.get(ids.projects, req.getProjectId()).orElseThrow(() -> Check.notFound("project"));
      deleteProject(tx, p.getId(), p.getOrgId());
      return DeleteProjectResponse.getDefaultInstance();
    });
  }

  /** Everything of one project (its bots and hooks first, then the rest kept outside identity); in a write of its scope. */
  private void deleteProject(Tx tx, String projectId, String orgId) {
    bots.projectDeleted(tx, projectId);
    projectRecords.accept(tx, projectId);
    memberships.revokeScope(tx, projectId);
    for (var i : IdentityStore.all(tx, ids.invites, projectId + "/")) tx.delete(ids.invites, i.key());
    tx.delete(ids.orgProjects, orgId + "/" + projectId);
    tx.delete(ids.projects, projectId);
  }

  Future<ListMembersResponse> listOrgMembers(Call call, ListOrgMembersRequest req) {
    return Future.succeededFuture(members(req.getOrgId(), req.getPageSize(), req.getPageToken()));
  }

  Future<ListMembersResponse> listProjectMembers(Call call, ListProjectMembersRequest req) {
    return Future.succeededFuture(members(req.getProjectId(), req.getPageSize(), req.getPageToken()));
  }

  private ListMembersResponse members(String scope, int pageSize, String pageToken) {
    int size = Check.pageSize(pageSize, 100, 500);
    String after = Pages.after(pageToken);
    String from = after == null ? scope + "/" : Pages.successor(scope + "/" + after);
    List<Entry<MembershipRecord>> page = ids.members.scan(from, scope + "/\uffff", size + 1, false);
    ListMembersResponse.Builder b = ListMembersResponse.newBuilder();
    for (Entry<MembershipRecord> e : page.subList(0, Math.min(size, page.size()))) {
      b.addMembers(memberships.withAvatar(Memberships.view(e.value(), memberships.displayName(e.value()))));
    }
    if (page.size() > size) b.setNextPageToken(Pages.token(page.get(size - 1).value().getUserId()));
    return b.build();
  }

  /**
   * Removes every role of the user in the org and its projects; the last org-admin cannot go. The org
   * role goes first (unscoped), then each project role in a write of its project's scope; when one of
   * those fails, removing the member again removes the rest.
   */
  Future<RemoveMemberResponse> removeOrgMember(Call call, RemoveOrgMemberRequest req) {
    String org = req.getOrgId();
    String user = Check.required("user_id", req.getUserId());
    return ids.store.write(call.userId(), tx -> {
      List<Entry<MembershipRecord>> roles = IdentityStore.all(tx, ids.memberships, user + "/")
          .stream().filter(e -> e.value().getOrgId().equals(org)).toList();
      if (roles.isEmpty()) throw Check.notFound("member " + user);
      boolean isAdmin = roles.stream().anyMatch(e -> e.value().getProjectId().isEmpty() && e.value().getRole().equals(Roles.ORG_ADMIN));
      if (isAdmin) {
        long admins = IdentityStore.all(tx, ids.members, org + "/").stream()
            .filter(e -> e.value().getRole().equals(Roles.ORG_ADMIN)).count();
        if (admins <= 1) throw ModuleException.failedPrecondition("the last org-admin of an org cannot be removed");
      }
      if (roles.stream().anyMatch(e -> e.value().getProjectId().isEmpty())) memberships.revoke(tx, user, org);
      audit(tx, call, user, "org " + org + ": removed with " + roles.size() + " membership(s)");
      return roles.stream().map(e -> e.value().getProjectId()).filter(p -> !p.isEmpty()).toList();
    }).compose(projects -> {
      Future<Void> done = Future.succeededFuture();
      for (String project : projects) {
        done = done.compose(v -> ids.store.write(call.userId(), project, tx -> {
          memberships.revoke(tx, user, project);
          return null;
        }));
      }
      return done.map(RemoveMemberResponse.getDefaultInstance());
    });
  }

  Future<RemoveMemberResponse> removeProjectMember(Call call, RemoveProjectMemberRequest req) {
    String user = Check.required("user_id", req.getUserId());
    return ids.store.write(call.userId(), req.getProjectId(), tx -> {
      MembershipRecord current = tx.get(ids.memberships, user + "/" + req.getProjectId())
          .orElseThrow(() -> Check.notFound("member " + user));
      // As for a role change: a project keeps an admin of its own, not only its org's.
      if (current.getRole().equals(Roles.PROJECT_ADMIN) && projectAdmins(tx, req.getProjectId()) <= 1) {
        throw ModuleException.failedPrecondition("the last project-admin of a project cannot be removed");
      }
      memberships.revoke(tx, user, req.getProjectId());
      return RemoveMemberResponse.getDefaultInstance();
    }).compose(r -> auditAfter(call, user, "project " + req.getProjectId() + ": removed").map(r));
  }

  /**
   * Gives a project member another project role, keeping at least one project-admin (else no one
   * but an org-admin could manage the project's members). Audited (see {@link #auditAfter}): a role
   * is a grant of power someone may need to trace later.
   */
  Future<Membership> updateProjectMember(Call call, UpdateProjectMemberRequest req) {
    String user = Check.required("user_id", req.getUserId());
    String role = Check.required("role", req.getRole());
    if (!Roles.PROJECT_ROLES.contains(role)) {
      throw ModuleException.badField("role", "must be project-admin or project-user, not '" + role + "'");
    }
    String project = req.getProjectId();
    return ids.store.write(call.userId(), project, tx -> {
      MembershipRecord current = tx.get(ids.memberships, user + "/" + project).orElseThrow(() -> Check.notFound("member " + user));
      if (current.getRole().equals(Roles.PROJECT_ADMIN) && !role.equals(Roles.PROJECT_ADMIN) && projectAdmins(tx, project) <= 1) {
        throw ModuleException.failedPrecondition("the last project-admin of a project cannot be made " + role);
      }
      if (current.getRole().equals(role)) return new RoleChange(Memberships.view(current, memberships.displayName(current)), null);
      MembershipRecord changed = memberships.changeRole(tx, current, role);
      return new RoleChange(Memberships.view(changed, memberships.displayName(changed)),
          "project " + project + ": " + current.getRole() + " -> " + role);
    }).compose(c -> c.detail() == null ? Future.succeededFuture(c.member())
        : auditAfter(call, user, c.detail()).map(c.member()));
  }

  private long projectAdmins(Tx tx, String project) {
    return IdentityStore.all(tx, ids.members, project + "/").stream()
        .filter(e -> e.value().getRole().equals(Roles.PROJECT_ADMIN)).count();
  }

  /** A role change's result, and what the audit log says of it ({@code null}: nothing changed). */
  private record RoleChange(Membership member, String detail) {}

  /**
   * Audits a project's change right after it commits, in an unscoped write of its own: a
   * project-scoped write travels to every node the project is shared with (federation), while the
   * audit log is this node's alone. Org-level changes are unscoped and audit in their own transaction.
   */
  private Future<Void> auditAfter(Call call, String target, String detail) {
    return ids.store.write(call.userId(), "", tx -> {
      audit(tx, call, target, detail);
      return null;
    });
  }

  private void audit(Tx tx, Call call, String target, String detail) {
    String id = Ids.next();
    tx.put(ids.audit, id, AuditRecord.newBuilder().setId(id).setAt(clock.millis()).setActorId(call.userId())
        .setAction(call.method()).setTarget(target).setDetail(detail).build());
  }

  static Org view(OrgRecord o) {
    return Org.newBuilder().setId(o.getId()).setName(o.getName()).setDescription(o.getDescription())
        .setCreatedAt(Timestamps.fromMillis(o.getCreatedAt())).build();
  }

  static Project view(ProjectRecord p) {
    return Project.newBuilder().setId(p.getId()).setOrgId(p.getOrgId()).setName(p.getName())
        .setDescription(p.getDescription()).setCreatedAt(Timestamps.fromMillis(p.getCreatedAt())).build();
  }
}
