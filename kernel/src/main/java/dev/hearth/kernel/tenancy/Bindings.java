package dev.hearth.kernel.tenancy;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.hearth.bots.v1.CreateBotRequest;
import dev.hearth.bots.v1.CreateBotTokenRequest;
import dev.hearth.bots.v1.CreateIncomingHookRequest;
import dev.hearth.bots.v1.DeleteBotRequest;
import dev.hearth.bots.v1.ListBotTokensRequest;
import dev.hearth.bots.v1.ListBotsRequest;
import dev.hearth.bots.v1.ListIncomingHooksRequest;
import dev.hearth.bots.v1.RevokeBotTokenRequest;
import dev.hearth.bots.v1.RevokeIncomingHookRequest;
import dev.hearth.bots.v1.UpdateBotRequest;
import dev.hearth.kernel.identity.Check;
import dev.hearth.kernel.identity.Roles;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.tenancy.v1.*;
import io.vertx.core.Future;

/** Which method of which class implements each RPC of TenancyService and BotsService. */
final class Bindings {

  private Bindings() {}

  static ServiceBinding tenancy(ServiceDescriptor d, TenancyApi t, Invites invites, OrgProviders orgSso) {
    return ServiceBinding.of(d)
        .unary("CreateOrg", CreateOrgRequest.getDefaultInstance(), t::createOrg)
        .unary("GetOrg", GetOrgRequest.getDefaultInstance(), t::getOrg)
        .unary("ListOrgs", ListOrgsRequest.getDefaultInstance(), t::listOrgs)
        .unary("UpdateOrg", UpdateOrgRequest.getDefaultInstance(), t::updateOrg)
        .unary("DeleteOrg", DeleteOrgRequest.getDefaultInstance(), t::deleteOrg)
        .unary("CreateProject", CreateProjectRequest.getDefaultInstance(), t::createProject)
        .unary("GetProject", GetProjectRequest.getDefaultInstance(), t::getProject)
        .unary("ListProjects", ListProjectsRequest.getDefaultInstance(), t::listProjects)
        .unary("UpdateProject", UpdateProjectRequest.getDefaultInstance(), t::updateProject)
        .unary("DeleteProject", DeleteProjectRequest.getDefaultInstance(), t::deleteProject)
        .unary("ListOrgMembers", ListOrgMembersRequest.getDefaultInstance(), t::listOrgMembers)
        .unary("ListProjectMembers", ListProjectMembersRequest.getDefaultInstance(), t::listProjectMembers)
        .unary("RemoveOrgMember", RemoveOrgMemberRequest.getDefaultInstance(), t::removeOrgMember)
        .unary("RemoveProjectMember", RemoveProjectMemberRequest.getDefaultInstance(), t::removeProjectMember)
        .unary("UpdateProjectMember", UpdateProjectMemberRequest.getDefaultInstance(), t::updateProjectMember)
        .unary("CreateOrgInvite", CreateOrgInviteRequest.getDefaultInstance(), (call, r) ->
            invites.create(call.userId(), r.getOrgId(), "", Roles.ORG_ADMIN, r.getExpiresInSeconds(), r.getMaxUses()))
        .unary("CreateProjectInvite", CreateProjectInviteRequest.getDefaultInstance(), (call, r) -> {
          if (!Roles.PROJECT_ROLES.contains(r.getRole())) {
            throw ModuleException.badField("role", "must be one of " + Roles.PROJECT_ROLES);
          }
          return invites.create(call.userId(), "", r.getProjectId(), r.getRole(), r.getExpiresInSeconds(), r.getMaxUses());
        })
        .unary("ListOrgInvites", ListOrgInvitesRequest.getDefaultInstance(), (call, r) ->
            Future.succeededFuture(invites.list(r.getOrgId())))
        .unary("ListProjectInvites", ListProjectInvitesRequest.getDefaultInstance(), (call, r) ->
            Future.succeededFuture(invites.list(r.getProjectId())))
        .unary("RevokeOrgInvite", RevokeOrgInviteRequest.getDefaultInstance(), (call, r) ->
            invites.revoke(call.userId(), r.getOrgId(), "", r.getInviteId()).map(v -> RevokeInviteResponse.getDefaultInstance()))
        .unary("RevokeProjectInvite", RevokeProjectInviteRequest.getDefaultInstance(), (call, r) ->
            invites.revoke(call.userId(), "", r.getProjectId(), r.getInviteId()).map(v -> RevokeInviteResponse.getDefaultInstance()))
        .unary("RedeemInvite", RedeemInviteRequest.getDefaultInstance(), (call, r) -> {
          String code = Check.required("code", r.getCode());
          return invites.redeem(call.userId(), code, "code");
        })
        .unary("GetOrgSso", GetOrgSsoRequest.getDefaultInstance(), orgSso::get)
        .unary("SetOrgSso", SetOrgSsoRequest.getDefaultInstance(), orgSso::set)
        .unary("DeleteOrgSso", DeleteOrgSsoRequest.getDefaultInstance(), orgSso::delete)
        .build();
  }

  static ServiceBinding bots(ServiceDescriptor d, BotsApi b) {
    return ServiceBinding.of(d)
        .unary("CreateBot", CreateBotRequest.getDefaultInstance(), b::createBot)
        .unary("ListBots", ListBotsRequest.getDefaultInstance(), b::listBots)
        .unary("UpdateBot", UpdateBotRequest.getDefaultInstance(), b::updateBot)
        .unary("DeleteBot", DeleteBotRequest.getDefaultInstance(), b::deleteBot)
        .unary("CreateBotToken", CreateBotTokenRequest.getDefaultInstance(), b::createToken)
        .unary("ListBotTokens", ListBotTokensRequest.getDefaultInstance(), b::listTokens)
        .unary("RevokeBotToken", RevokeBotTokenRequest.getDefaultInstance(), b::revokeToken)
        .unary("CreateIncomingHook", CreateIncomingHookRequest.getDefaultInstance(), b::createHook)
        .unary("ListIncomingHooks", ListIncomingHooksRequest.getDefaultInstance(), b::listHooks)
        .unary("RevokeIncomingHook", RevokeIncomingHookRequest.getDefaultInstance(), b::revokeHook)
        .build();
  }
}
