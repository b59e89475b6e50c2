package dev.hearth.kernel.tenancy;

import dev.hearth.kernel.identity.IdentityStore;
import dev.hearth.kernel.identity.Roles;
import dev.hearth.kernel.identity.proto.MembershipRecord;
import dev.hearth.kernel.identity.proto.OrgSsoGrantsRecord;
import dev.hearth.kernel.identity.proto.OrgSsoRecord;
import dev.hearth.kernel.identity.proto.OrgSsoRuleRecord;
import dev.hearth.kernel.identity.proto.ProjectRecord;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An org provider's claim mapping, applied at each sign-in through it: the roles its rules give
 * are granted (or the existing role in that scope changed to them), and a role the mapping gave at
 * the previous sign-in and gives no more is removed — the provider's groups decide. Roles given by
 * an admin or an invite are never removed by it, and the last admin of an org or project stays.
 */
final class ClaimMapping {

  private final IdentityStore ids;
  private final Memberships memberships;

  ClaimMapping(IdentityStore ids, Memberships memberships) {
    this.ids = ids;
    this.memberships = memberships;
  }

  /** The role each scope gets ({@code ""} the org, else a project id) from {@code claims}; the highest when several rules match. */
  static Map<String, String> roles(List<OrgSsoRuleRecord> rules, Map<String, Object> claims) {
    Map<String, String> out = new LinkedHashMap<>();
    for (OrgSsoRuleRecord rule : rules) {
      if (!matches(rule, claims)) continue;
      out.merge(rule.getProjectId(), rule.getRole(), (a, b) -> rank(a) >= rank(b) ? a : b);
    }
    return out;
  }

  static boolean matches(OrgSsoRuleRecord rule, Map<String, Object> claims) {
    if (rule.getClaim().isEmpty()) return true;
    Object v = claims.get(rule.getClaim());
    if (v instanceof Collection<?> c) return c.stream().anyMatch(e -> rule.getValue().equals(String.valueOf(e)));
    return v != null && rule.getValue().equals(String.valueOf(v));
  }

  private static int rank(String role) {
    return Roles.PROJECT_ADMIN.equals(role) || Roles.ORG_ADMIN.equals(role) ? 2 : 1;
  }

  /** Applies the org's mapping to {@code userId} after a sign-in through its provider: one write per scope touched. */
  Future<Void> apply(String orgId, String userId, Map<String, Object> claims) {
    Optional<OrgSsoRecord> provider = ids.orgSso.get(orgId);
    if (provider.isEmpty()) return Future.succeededFuture();
    Map<String, String> want = roles(provider.get().getRulesList(), claims);
    String grantsKey = orgId + "/" + userId;
    Map<String, String> before = new LinkedHashMap<>();
    ids.orgSsoGrants.get(grantsKey).ifPresent(g -> g.getGrantsList().forEach(r -> before.put(r.getProjectId(), r.getRole())));
    Set<String> scopes = new LinkedHashSet<>(before.keySet());
    scopes.addAll(want.keySet());
    Future<Void> chain = Future.succeededFuture();
    for (String scope : scopes) {
      chain = chain.compose(v -> ids.store.write(userId, scope, tx -> {
        applyOne(tx, orgId, userId, scope, want.get(scope), before.get(scope));
        return null;
      }));
    }
    return chain.compose(v -> ids.store.write(userId, tx -> {
      OrgSsoGrantsRecord.Builder g = OrgSsoGrantsRecord.newBuilder();
      want.forEach((scope, role) -> g.addGrants(OrgSsoRuleRecord.newBuilder().setProjectId(scope).setRole(role)));
      if (g.getGrantsCount() == 0) tx.delete(ids.orgSsoGrants, grantsKey);
      else tx.put(ids.orgSsoGrants, grantsKey, g.build());
      return null;
    }));
  }

  private void applyOne(Tx tx, String orgId, String userId, String project, String role, String grantedBefore) {
    if (!project.isEmpty()) {
      // A project deleted (or moved) since the rule was written is skipped, not recreated.
      Optional<ProjectRecord> p = tx.get(ids.projects, project);
      if (p.isEmpty() || !p.get().getOrgId().equals(orgId)) return;
    }
    String scopeId = project.isEmpty() ? orgId : project;
    Optional<MembershipRecord> m = tx.get(ids.memberships, userId + "/" + scopeId);
    if (role != null) {
      if (m.isEmpty()) memberships.grant(tx, userId, orgId, project, role);
      else if (!m.get().getRole().equals(role) && !lastAdmin(tx, m.get(), scopeId)) memberships.changeRole(tx, m.get(), role);
      return;
    }
    if (m.isPresent() && m.get().getRole().equals(grantedBefore) && !lastAdmin(tx, m.get(), scopeId)) {
      memberships.revoke(tx, userId, scopeId);
    }
  }

  /** Whether {@code m} is its scope's only admin, who stays whatever the provider says (an org or project is never left without one). */
  private boolean lastAdmin(Tx tx, MembershipRecord m, String scopeId) {
    String admin = m.getProjectId().isEmpty() ? Roles.ORG_ADMIN : Roles.PROJECT_ADMIN;
    if (!m.getRole().equals(admin)) return false;
    long admins = 0;
    for (Entry<MembershipRecord> e : IdentityStore.all(tx, ids.members, scopeId + "/")) {
      if (e.value().getRole().equals(admin)) admins++;
    }
    return admins <= 1;
  }
}
