package dev.hearth.kernel.identity;

import com.google.protobuf.Message;
import dev.hearth.api.v1.Access;
import dev.hearth.api.v1.Level;
import dev.hearth.kernel.access.CallGuard;
import dev.hearth.kernel.access.RateLimits;
import dev.hearth.kernel.identity.proto.MembershipRecord;
import dev.hearth.kernel.identity.proto.ProjectRecord;
import dev.hearth.kernel.identity.proto.UserRecord;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.auth.Caller;
import java.util.Objects;
import java.util.Optional;

/**
 * The authorization layer: every RPC's {@code (hearth.api.v1.access)} rule checked against the
 * caller's roles in the tenant the request names. Roles are read from the store on each call
 * (through {@link dev.hearth.kernel.store.ReadCache}: unchanged while the kernel store has no newer
 * write), so a removed member loses access at once, not when a token expires.
 *
 * <p>A tenant the caller has no role in is refused with PERMISSION_DENIED whether it exists or
 * not, so ids cannot be probed. A sys-admin passes every rule (the node's operator).
 *
 * <p>A {@link Caller.Via#FEDERATED} caller, a user of a linked node whose request that node signed,
 * has no account here: only project-level rules can let them through, and only by a membership of
 * theirs in the project (never an org role). An id that has an account on this node is never a
 * linked node's user, so such a claim is refused.
 */
final class Guard implements CallGuard, Authorization {

  private final IdentityStore ids;
  private final Authenticator authenticator;
  private final RateLimits limits;

  Guard(IdentityStore ids, Authenticator authenticator, RateLimits limits) {
    this.ids = ids;
    this.authenticator = authenticator;
    this.limits = limits;
  }

  /**
   * Who an {@code Authorization} header (or {@code null}) belongs to, with the same checks as every
   * RPC: token, session, account. For realtime connections, which authenticate outside an RPC.
   *
   * @throws ModuleException UNAUTHENTICATED for bad, expired or revoked credentials
   */
  public Caller authenticate(String authorization) {
    return authenticator.authenticate(authorization);
  }

  @Override
  public Caller admit(RpcMethod method, Message request, String authorization, String clientAddress) {
    Access access = method.access();
    Caller caller;
    try {
      caller = authenticator.authenticate(authorization);
    } catch (ModuleException e) {
      // A client that always sends its (now expired) token must still be able to refresh or log in.
      if (access.getLevel() != Level.PUBLIC) throw e;
      caller = Caller.ANONYMOUS;
    }
    return admitted(method, request, caller);
  }

  @Override
  public Caller admitAs(RpcMethod method, Message request, Caller caller) {
    Objects.requireNonNull(caller, "caller");
    if (caller.via() == Caller.Via.FEDERATED) {
      if (!federatedLevel(method.access().getLevel())) {
        throw new ModuleException(ModuleException.Code.PERMISSION_DENIED,
            "not allowed: " + method.fullName() + " is not open to users of linked nodes");
      }
      if (ids.users.get(caller.userId()).isPresent()) {
        throw new ModuleException(ModuleException.Code.PERMISSION_DENIED,
            "not allowed: user " + caller.userId() + " has an account on this node, not on the linked node");
      }
    }
    return admitted(method, request, caller);
  }

  /** An unreadable request to a method anyone may call is an attempt from its address like any other. */
  @Override
  public void unreadable(RpcMethod method, String clientAddress) {
    if (method.access().getLevel() == Level.PUBLIC && clientAddress != null && !clientAddress.isEmpty()) {
      limits.attemptFrom(clientAddress);
    }
  }

  /** No rate limit is drawn here: {@link #admit} draws it once, for the whole request. */
  @Override
  public void screen(RpcMethod method, Message partial, String authorization) {
    Level level = method.access().getLevel();
    if (level == Level.PUBLIC) return;
    Caller caller = authenticator.authenticate(authorization);
    if (!caller.authenticated()) throw signedInNeeded(method);
    if (caller.sysAdmin() || level == Level.AUTHENTICATED) return;
    boolean scoped = level != Level.SYS_ADMIN;
    String scope = scoped ? method.scopeOf(partial) : null;
    if (scoped && scope.isEmpty()) return; // the scope is in the body: admit decides
    if (!allows(caller, level, scope)) throw denied(method);
  }

  private static ModuleException signedInNeeded(RpcMethod method) {
    return new ModuleException(ModuleException.Code.UNAUTHENTICATED,
        method.fullName() + " needs a signed-in caller (Authorization: Bearer <token>)")
        .localized("auth.signedInNeeded", method.fullName());
  }

  private static ModuleException denied(RpcMethod method) {
    Access access = method.access();
    return new ModuleException(ModuleException.Code.PERMISSION_DENIED,
        "not allowed: " + method.fullName() + " needs " + describe(access))
        .localized("denied." + access.getLevel().name(), method.fullName(), access.getScopeField());
  }

  /** The checks after authentication, shared by {@link #admit} and {@link #admitAs}. */
  private Caller admitted(RpcMethod method, Message request, Caller caller) {
    Access access = method.access();
    if (access.getLevel() != Level.PUBLIC && !caller.authenticated()) throw signedInNeeded(method);
    if (access.getWrites() && !caller.sysAdmin() && ids.settings().getReadOnly()) {
      throw ModuleException.failedPrecondition("the node is in read-only mode; only sys-admins may change data")
          .localized("node.readOnly");
    }
    if (!allowed(caller, method, request)) throw denied(method);
    if (access.getWrites() && caller.authenticated() && !caller.sysAdmin()) limits.write(caller.userId());
    return caller;
  }

  private boolean allowed(Caller caller, RpcMethod method, Message request) {
    Level level = method.access().getLevel();
    boolean scoped = level != Level.PUBLIC && level != Level.AUTHENTICATED && level != Level.SYS_ADMIN;
    if (!scoped || caller.sysAdmin()) return allows(caller, level, null);
    String scope = method.scopeOf(request);
    if (scope.isEmpty()) throw ModuleException.required(method.access().getScopeField());
    return allows(caller, level, scope);
  }

  private static boolean federatedLevel(Level level) {
    return level == Level.PROJECT_USER || level == Level.PROJECT_ADMIN;
  }

  @Override
  public boolean allows(Caller caller, Level level, String scope) {
    if (level == Level.PUBLIC) return true;
    if (!caller.authenticated()) return false;
    boolean federated = caller.via() == Caller.Via.FEDERATED;
    if (federated && !federatedLevel(level)) return false;
    if (caller.via() == Caller.Via.API_TOKEN) {
      // A bot acts in its own project and nowhere else: not even the caller-only calls (creating
      // an org, redeeming an invite, minting its own tokens), which would take it out of there.
      String botProject = botProject(caller.userId());
      if (!botProject.isEmpty()) {
        return (level == Level.PROJECT_USER || level == Level.PROJECT_ADMIN) && botProject.equals(scope)
            && projectRole(caller.userId(), scope, level == Level.PROJECT_ADMIN, false);
      }
    }
    if (level == Level.AUTHENTICATED || caller.sysAdmin()) return true;
    if (level == Level.SYS_ADMIN || scope == null || scope.isEmpty()) return false;
    String user = caller.userId();
    return switch (level) {
      case ORG_ADMIN -> isOrgAdmin(user, scope);
      case ORG_MEMBER -> ids.membershipsOf(user).stream().anyMatch(e -> e.value().getOrgId().equals(scope));
      case PROJECT_USER, PROJECT_ADMIN -> projectRole(user, scope, level == Level.PROJECT_ADMIN, !federated);
      default -> false;
    };
  }

  @Override
  public boolean isBot(String userId) {
    return userId != null && !botProject(userId).isEmpty();
  }

  /** The project of a bot account; empty for people (and for ids with no account here). */
  private String botProject(String userId) {
    return ids.userReads.get(userId).map(UserRecord::getBotProjectId).orElse("");
  }

  private boolean isOrgAdmin(String user, String orgId) {
    return ids.membership(user, orgId).map(m -> m.getRole().equals(Roles.ORG_ADMIN)).orElse(false);
  }

  /** From the project's record and the user's membership alone: a user of a linked node has no account here. */
  private boolean projectRole(String user, String projectId, boolean adminNeeded, boolean orgAdminCounts) {
    Optional<ProjectRecord> project = ids.projectReads.get(projectId);
    if (project.isEmpty()) return false;
    if (orgAdminCounts && isOrgAdmin(user, project.get().getOrgId())) return true;
    Optional<MembershipRecord> m = ids.membership(user, projectId);
    return m.isPresent() && (!adminNeeded || m.get().getRole().equals(Roles.PROJECT_ADMIN));
  }

  private static String describe(Access a) {
    return switch (a.getLevel()) {
      case SYS_ADMIN -> "sys-admin";
      case ORG_ADMIN -> "org-admin of the org in " + a.getScopeField();
      case ORG_MEMBER -> "a role in the org in " + a.getScopeField();
      case PROJECT_ADMIN -> "project-admin of the project in " + a.getScopeField();
      case PROJECT_USER -> "a role in the project in " + a.getScopeField();
      default -> a.getLevel().name();
    };
  }
}
