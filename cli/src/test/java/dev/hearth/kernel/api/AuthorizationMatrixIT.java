package dev.hearth.kernel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.hearth.cli.Main;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.testkit.TestGrpc;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every RPC the node serves × every kind of caller × own tenant / another project / another org:
 * allowed exactly where the expected table says. The RPCs come from the node's registry (its
 * descriptors), so an RPC added without a line in {@link #EXPECTED} fails this test; the table is
 * written here independently of the protos' access options, so a wrong option fails it too.
 *
 * <p>"Allowed" means the guard let the call through: the answer may still be INVALID_ARGUMENT or
 * NOT_FOUND, because requests carry only the tenant id. "Denied" means UNAUTHENTICATED or
 * PERMISSION_DENIED. Callers use API tokens, so LogOut in the matrix ends no session.
 */
class AuthorizationMatrixIT {

  /** Who must be allowed, per method: the least role, and whether the tenant id is an org or a project. */
  enum Rule { PUBLIC, SIGNED_IN, ORG_MEMBER, ORG_ADMIN, PROJECT_USER, PROJECT_ADMIN, SYS_ADMIN }

  static final Map<String, Rule> EXPECTED = Map.ofEntries(
      Map.entry("AuthService/SignUp", Rule.PUBLIC), Map.entry("AuthService/LogIn", Rule.PUBLIC),
      Map.entry("AuthService/Refresh", Rule.PUBLIC), Map.entry("AuthService/LogOut", Rule.SIGNED_IN),
      Map.entry("AuthService/Me", Rule.SIGNED_IN), Map.entry("AuthService/ChangePassword", Rule.SIGNED_IN),
      Map.entry("AuthService/UpdateProfile", Rule.SIGNED_IN), Map.entry("AuthService/GetProfile", Rule.SIGNED_IN),
      Map.entry("AuthService/EnrolTotp", Rule.SIGNED_IN), Map.entry("AuthService/VerifyTotp", Rule.SIGNED_IN),
      Map.entry("AuthService/DisableTotp", Rule.SIGNED_IN), Map.entry("AuthService/CreateApiToken", Rule.SIGNED_IN),
      Map.entry("AuthService/ListApiTokens", Rule.SIGNED_IN), Map.entry("AuthService/RevokeApiToken", Rule.SIGNED_IN),
      // Single sign-on happens before there is a session; SsoIT checks what each refuses.
      Map.entry("AuthService/ListSsoProviders", Rule.PUBLIC), Map.entry("AuthService/StartSso", Rule.PUBLIC),
      Map.entry("AuthService/CompleteSso", Rule.PUBLIC),
      Map.entry("TenancyService/CreateOrg", Rule.SIGNED_IN), Map.entry("TenancyService/GetOrg", Rule.ORG_MEMBER),
      Map.entry("TenancyService/ListOrgs", Rule.SIGNED_IN), Map.entry("TenancyService/UpdateOrg", Rule.ORG_ADMIN),
      Map.entry("TenancyService/DeleteOrg", Rule.ORG_ADMIN), Map.entry("TenancyService/CreateProject", Rule.ORG_ADMIN),
      Map.entry("TenancyService/GetProject", Rule.PROJECT_USER), Map.entry("TenancyService/ListProjects", Rule.ORG_MEMBER),
      Map.entry("TenancyService/UpdateProject", Rule.PROJECT_ADMIN), Map.entry("TenancyService/DeleteProject", Rule.PROJECT_ADMIN),
      Map.entry("TenancyService/ListOrgMembers", Rule.ORG_ADMIN), Map.entry("TenancyService/ListProjectMembers", Rule.PROJECT_USER),
      Map.entry("TenancyService/RemoveOrgMember", Rule.ORG_ADMIN), Map.entry("TenancyService/RemoveProjectMember", Rule.PROJECT_ADMIN),
      Map.entry("TenancyService/UpdateProjectMember", Rule.PROJECT_ADMIN),
      Map.entry("TenancyService/CreateOrgInvite", Rule.ORG_ADMIN), Map.entry("TenancyService/CreateProjectInvite", Rule.PROJECT_ADMIN),
      Map.entry("TenancyService/ListOrgInvites", Rule.ORG_ADMIN), Map.entry("TenancyService/ListProjectInvites", Rule.PROJECT_ADMIN),
      Map.entry("TenancyService/RevokeOrgInvite", Rule.ORG_ADMIN), Map.entry("TenancyService/RevokeProjectInvite", Rule.PROJECT_ADMIN),
      Map.entry("TenancyService/RedeemInvite", Rule.SIGNED_IN),
      // An org's own sign-in provider: its admins (or a sys-admin) only; OrgSsoIT checks the secret never comes back.
      Map.entry("TenancyService/GetOrgSso", Rule.ORG_ADMIN), Map.entry("TenancyService/SetOrgSso", Rule.ORG_ADMIN),
      Map.entry("TenancyService/DeleteOrgSso", Rule.ORG_ADMIN),
      Map.entry("AdminService/GetSettings", Rule.SYS_ADMIN), Map.entry("AdminService/UpdateSettings", Rule.SYS_ADMIN),
      Map.entry("AdminService/ListUsers", Rule.SYS_ADMIN), Map.entry("AdminService/DisableUser", Rule.SYS_ADMIN),
      Map.entry("AdminService/EnableUser", Rule.SYS_ADMIN), Map.entry("AdminService/DeleteUser", Rule.SYS_ADMIN),
      Map.entry("AdminService/ResetPassword", Rule.SYS_ADMIN), Map.entry("AdminService/GetNodeStats", Rule.SYS_ADMIN),
      Map.entry("AdminService/ListAuditEvents", Rule.SYS_ADMIN),
      Map.entry("BackupService/ListBackups", Rule.SYS_ADMIN), Map.entry("BackupService/CreateBackup", Rule.SYS_ADMIN),
      Map.entry("BackupService/VerifyBackup", Rule.SYS_ADMIN),
      Map.entry("ModuleService/ListModules", Rule.SYS_ADMIN), Map.entry("ModuleService/InstallModule", Rule.SYS_ADMIN),
      Map.entry("ModuleService/StartModule", Rule.SYS_ADMIN), Map.entry("ModuleService/StopModule", Rule.SYS_ADMIN),
      Map.entry("ModuleService/UninstallModule", Rule.SYS_ADMIN),
      Map.entry("ModuleService/SetOrgModuleEnabled", Rule.ORG_ADMIN),
      Map.entry("ModuleService/SetProjectModuleEnabled", Rule.PROJECT_ADMIN),
      Map.entry("ModuleService/ListProjectModules", Rule.PROJECT_USER),
      // AUTHENTICATED: ListPages' project_id is optional, so its PROJECT_USER check is in the handler (PagesIT).
      Map.entry("PageService/ListPages", Rule.SIGNED_IN), Map.entry("PageService/GetPage", Rule.SIGNED_IN),
      Map.entry("PageService/GetStrings", Rule.SIGNED_IN), Map.entry("PageService/SetTranslation", Rule.SYS_ADMIN),
      Map.entry("PageService/RemoveTranslation", Rule.SYS_ADMIN), Map.entry("PageService/ListTranslations", Rule.SYS_ADMIN),
      Map.entry("UsermoduleService/Install", Rule.SYS_ADMIN), Map.entry("UsermoduleService/Upgrade", Rule.SYS_ADMIN),
      Map.entry("UsermoduleService/Remove", Rule.SYS_ADMIN), Map.entry("UsermoduleService/List", Rule.SIGNED_IN),
      Map.entry("UsermoduleService/Get", Rule.SIGNED_IN), Map.entry("UsermoduleService/Validate", Rule.SIGNED_IN),
      // Whether the caller may open the designer (sys-admin, or project-admin while the node allows it): anyone signed in may ask.
      Map.entry("UsermoduleService/GetDesignerAccess", Rule.SIGNED_IN),
      Map.entry("SeedService/PutSet", Rule.SYS_ADMIN), Map.entry("SeedService/ListSets", Rule.SYS_ADMIN),
      Map.entry("SeedService/GetSet", Rule.SYS_ADMIN), Map.entry("SeedService/DeleteSet", Rule.SYS_ADMIN),
      Map.entry("WebhooksService/CreateOrgWebhook", Rule.ORG_ADMIN),
      Map.entry("WebhooksService/CreateProjectWebhook", Rule.PROJECT_ADMIN),
      // Bots and incoming hooks: the project's admins; BotsIT checks a bot or hook of one project never reaches another.
      Map.entry("BotsService/CreateBot", Rule.PROJECT_ADMIN), Map.entry("BotsService/ListBots", Rule.PROJECT_ADMIN),
      Map.entry("BotsService/UpdateBot", Rule.PROJECT_ADMIN), Map.entry("BotsService/DeleteBot", Rule.PROJECT_ADMIN),
      Map.entry("BotsService/CreateBotToken", Rule.PROJECT_ADMIN), Map.entry("BotsService/ListBotTokens", Rule.PROJECT_ADMIN),
      Map.entry("BotsService/RevokeBotToken", Rule.PROJECT_ADMIN),
      Map.entry("BotsService/CreateIncomingHook", Rule.PROJECT_ADMIN),
      Map.entry("BotsService/ListIncomingHooks", Rule.PROJECT_ADMIN),
      Map.entry("BotsService/RevokeIncomingHook", Rule.PROJECT_ADMIN),
      // Slash commands: admins make them; members list and run them (BotsIT: in channels they are in, never across projects).
      Map.entry("SlashCommandsService/CreateSlashCommand", Rule.PROJECT_ADMIN),
      Map.entry("SlashCommandsService/DeleteSlashCommand", Rule.PROJECT_ADMIN),
      Map.entry("SlashCommandsService/ListSlashCommands", Rule.PROJECT_USER),
      Map.entry("SlashCommandsService/RunSlashCommand", Rule.PROJECT_USER),
      Map.entry("WebhooksService/ListOrgWebhooks", Rule.ORG_ADMIN),
      Map.entry("WebhooksService/ListProjectWebhooks", Rule.PROJECT_ADMIN),
      // SIGNED_IN: these name a webhook by id; the handler checks its tenant and answers NOT_FOUND (WebhooksIT).
      Map.entry("WebhooksService/GetWebhook", Rule.SIGNED_IN), Map.entry("WebhooksService/UpdateWebhook", Rule.SIGNED_IN),
      Map.entry("WebhooksService/DeleteWebhook", Rule.SIGNED_IN),
      Map.entry("WebhooksService/RotateWebhookSecret", Rule.SIGNED_IN),
      Map.entry("WebhooksService/ListDeliveries", Rule.SIGNED_IN), Map.entry("WebhooksService/Redeliver", Rule.SIGNED_IN),
      // FileTransferService's streams are not in the registry; FilesIT checks their denials.
      Map.entry("FileService/CreateFolder", Rule.PROJECT_USER), Map.entry("FileService/List", Rule.PROJECT_USER),
      Map.entry("FileService/Get", Rule.PROJECT_USER), Map.entry("FileService/Move", Rule.PROJECT_USER),
      Map.entry("FileService/Rename", Rule.PROJECT_USER), Map.entry("FileService/Delete", Rule.PROJECT_USER),
      Map.entry("FileService/GetQuota", Rule.PROJECT_USER), Map.entry("FileService/SetQuota", Rule.PROJECT_ADMIN),
      Map.entry("FlagsService/ListFlags", Rule.SIGNED_IN), Map.entry("FlagsService/ListOrgFlags", Rule.ORG_MEMBER),
      Map.entry("FlagsService/ListProjectFlags", Rule.PROJECT_USER), Map.entry("FlagsService/GetFlag", Rule.PROJECT_USER),
      Map.entry("FlagsService/SetNodeFlag", Rule.SYS_ADMIN), Map.entry("FlagsService/ClearNodeFlag", Rule.SYS_ADMIN),
      Map.entry("FlagsService/SetOrgFlag", Rule.ORG_ADMIN), Map.entry("FlagsService/ClearOrgFlag", Rule.ORG_ADMIN),
      Map.entry("FlagsService/SetProjectFlag", Rule.PROJECT_ADMIN),
      Map.entry("FlagsService/ClearProjectFlag", Rule.PROJECT_ADMIN),
      Map.entry("SettingsService/Get", Rule.SIGNED_IN), Map.entry("SettingsService/Update", Rule.SIGNED_IN),
      Map.entry("SettingsService/GetOptions", Rule.PUBLIC),
      // The caller's own notices and push devices: no request names another user (WebPushIT, NoticeListIT).
      Map.entry("NotificationsService/ListNotices", Rule.SIGNED_IN),
      Map.entry("NotificationsService/MarkNoticesRead", Rule.SIGNED_IN),
      Map.entry("NotificationsService/GetPushKey", Rule.SIGNED_IN),
      Map.entry("NotificationsService/RegisterPushDevice", Rule.SIGNED_IN),
      Map.entry("NotificationsService/ListPushDevices", Rule.SIGNED_IN),
      Map.entry("NotificationsService/UnregisterPushDevice", Rule.SIGNED_IN));

  enum Who { ANONYMOUS, OUTSIDER, PROJECT_USER, PROJECT_ADMIN, ORG_ADMIN, SYS_ADMIN }

  enum Target { OWN, OTHER_PROJECT, OTHER_ORG }

  @TempDir static Path tmp;
  static TestNode node;
  static final Map<Who, String> tokens = new EnumMap<>(Who.class);
  static String orgA, orgB, projectA1, projectA2, projectB;

  @BeforeAll
  static void setUp() throws Exception {
    node = TestNode.start(tmp);
    node.createSysAdmin("root@matrix.test", "root-password-1");
    TestRest rest = node.rest;
    String oa = signUp("orgadmin@matrix.test");
    String pa = signUp("projadmin@matrix.test");
    String pu = signUp("projuser@matrix.test");
    String out = signUp("outsider@matrix.test");
    String root = rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@matrix.test")
        .put("password", "root-password-1")).ok().getString("accessToken");
    tokens.put(Who.ORG_ADMIN, apiToken(oa));
    tokens.put(Who.PROJECT_ADMIN, apiToken(pa));
    tokens.put(Who.PROJECT_USER, apiToken(pu));
    tokens.put(Who.OUTSIDER, apiToken(out));
    tokens.put(Who.SYS_ADMIN, apiToken(root));
    seed();
    buildTenants();
  }

  /**
   * The matrix runs on a seeded node (issue 8: "the seeded node passes the authorization matrix"):
   * other orgs, projects, users and files made by {@code hearth seed} beside the matrix's own tenants.
   */
  private static void seed() {
    String[] r = Main.run(node.cliEnv(tokens.get(Who.SYS_ADMIN)), "seed", "--seed", "42", "--profile", "small",
        "--password", "seeded-password-1");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    JsonObject set = new JsonObject(r[1]);
    assertThat(set.getJsonArray("orgIds")).isNotEmpty();
    assertThat(set.getJsonObject("counts").getInteger("files")).isPositive();
  }

  /** Org A (projects A1, A2; project-admin and project-user in A1) and org B (project B1) of the outsider. */
  private static void buildTenants() throws Exception {
    TestRest rest = node.rest;
    String oa = tokens.get(Who.ORG_ADMIN);
    String out = tokens.get(Who.OUTSIDER);
    orgA = rest.post("/v1/orgs", oa, new JsonObject().put("name", "A")).ok().getString("id");
    projectA1 = rest.post("/v1/orgs/" + orgA + "/projects", oa, new JsonObject().put("name", "A1")).ok().getString("id");
    projectA2 = rest.post("/v1/orgs/" + orgA + "/projects", oa, new JsonObject().put("name", "A2")).ok().getString("id");
    orgB = rest.post("/v1/orgs", out, new JsonObject().put("name", "B")).ok().getString("id");
    projectB = rest.post("/v1/orgs/" + orgB + "/projects", out, new JsonObject().put("name", "B1")).ok().getString("id");
    join(oa, tokens.get(Who.PROJECT_ADMIN), "project-admin");
    join(oa, tokens.get(Who.PROJECT_USER), "project-user");
  }

  private static String signUp(String email) throws Exception {
    return node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", email)
        .put("password", "a-long-password")).ok().getString("accessToken");
  }

  private static void join(String admin, String user, String role) throws Exception {
    String code = node.rest.post("/v1/projects/" + projectA1 + "/invites", admin, new JsonObject().put("role", role))
        .ok().getString("code");
    node.rest.post("/v1/invites/redeem", user, new JsonObject().put("code", code)).ok();
  }

  private static String apiToken(String session) throws Exception {
    return node.rest.post("/v1/me/api-tokens", session, new JsonObject().put("name", "matrix")).ok().getString("secret");
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  /** Whether {@code who} holds at least {@code rule} on {@code target} (the independent model). */
  static boolean expected(Rule rule, Who who, Target target) {
    if (rule == Rule.PUBLIC) return true;
    if (who == Who.ANONYMOUS) return false;
    if (who == Who.SYS_ADMIN) return true;
    return switch (rule) {
      case SIGNED_IN -> true;
      case SYS_ADMIN -> false;
      // The outsider is org-admin of the other org and nothing in org A.
      case ORG_ADMIN -> who == Who.ORG_ADMIN ? target != Target.OTHER_ORG : who == Who.OUTSIDER && target == Target.OTHER_ORG;
      case ORG_MEMBER -> who == Who.OUTSIDER ? target == Target.OTHER_ORG : target != Target.OTHER_ORG;
      case PROJECT_ADMIN -> switch (who) {
        case ORG_ADMIN -> target != Target.OTHER_ORG;
        case PROJECT_ADMIN -> target == Target.OWN;
        case OUTSIDER -> target == Target.OTHER_ORG;
        default -> false;
      };
      case PROJECT_USER -> switch (who) {
        case ORG_ADMIN -> target != Target.OTHER_ORG;
        case PROJECT_ADMIN, PROJECT_USER -> target == Target.OWN;
        case OUTSIDER -> target == Target.OTHER_ORG;
        default -> false;
      };
      default -> false;
    };
  }

  @Test
  void everyRpc_isAllowedExactlyWhereExpected() throws Exception {
    List<RpcMethod> methods = new ArrayList<>();
    node.api().registry().services().forEach(s -> methods.addAll(s.methods()));
    assertThat(methods).hasSizeGreaterThanOrEqualTo(EXPECTED.size());
    // Deletes last (they change the tenants the other rows use), org deletion the very last.
    methods.sort(Comparator.comparingInt(m -> m.descriptor().getName().equals("DeleteOrg") ? 2
        : m.descriptor().getName().startsWith("Delete") ? 1 : 0));
    List<String> wrong = new ArrayList<>();
    int cases = 0;
    for (RpcMethod m : methods) {
      String name = m.descriptor().getService().getName() + "/" + m.descriptor().getName();
      Rule rule = EXPECTED.get(name);
      if (rule == null) fail("no expected access for " + name + ": add it to AuthorizationMatrixIT.EXPECTED");
      String scope = m.access().getScopeField();
      for (Target target : Target.values()) {
        if (scope.isEmpty() && target != Target.OWN) continue; // no tenant in the request
        for (Who who : Who.values()) {
          boolean allowed = call(m.descriptor(), scope, target, who);
          cases++;
          if (allowed != expected(rule, who, target)) {
            wrong.add(name + " by " + who + " on " + target + ": " + (allowed ? "allowed" : "denied"));
          }
        }
      }
    }
    assertThat(wrong).as("%d cases", cases).isEmpty();
    assertThat(cases).isGreaterThan(200);
  }

  private boolean call(MethodDescriptor method, String scopeField, Target target, Who who) throws Exception {
    DynamicMessage.Builder request = DynamicMessage.newBuilder(method.getInputType());
    if (!scopeField.isEmpty()) {
      FieldDescriptor f = method.getInputType().findFieldByName(scopeField);
      boolean org = scopeField.equals("org_id");
      String id = switch (target) {
        case OWN -> org ? orgA : projectA1;
        case OTHER_PROJECT -> org ? orgA : projectA2;
        case OTHER_ORG -> org ? orgB : projectB;
      };
      request.setField(f, id);
    }
    try {
      node.grpc.call(method, request.build(), tokens.get(who));
      // A delete went through: fresh tenants, so the next rows test roles and not a missing tenant.
      if (method.getName().startsWith("Delete")) buildTenants();
      return true;
    } catch (TestGrpc.Failure f) {
      return f.status != GrpcStatus.PERMISSION_DENIED && f.status != GrpcStatus.UNAUTHENTICATED;
    }
  }

  @Test
  void lists_showNothingOfAnotherTenant() throws Exception {
    TestRest rest = node.rest;
    JsonObject outsiderOrgs = rest.get("/v1/orgs", tokens.get(Who.OUTSIDER)).ok();
    assertThat(outsiderOrgs.getJsonArray("orgs").stream().map(o -> ((JsonObject) o).getString("id")).toList())
        .doesNotContain(orgA);
    JsonObject userProjects = rest.get("/v1/orgs/" + orgA + "/projects", tokens.get(Who.PROJECT_USER)).ok();
    assertThat(userProjects.getJsonArray("projects").stream().map(o -> ((JsonObject) o).getString("id")).toList())
        .containsExactly(projectA1);
    JsonObject adminProjects = rest.get("/v1/orgs/" + orgA + "/projects?pageSize=1", tokens.get(Who.ORG_ADMIN)).ok();
    assertThat(adminProjects.getJsonArray("projects")).hasSize(1);
    String next = adminProjects.getString("nextPageToken");
    assertThat(next).isNotEmpty();
    JsonObject page2 = rest.get("/v1/orgs/" + orgA + "/projects?pageSize=1&pageToken=" + next, tokens.get(Who.ORG_ADMIN)).ok();
    assertThat(page2.getJsonArray("projects")).hasSize(1);
    assertThat(page2.getJsonArray("projects").getJsonObject(0).getString("id"))
        .isNotEqualTo(adminProjects.getJsonArray("projects").getJsonObject(0).getString("id"));
    String orgAdminId = rest.get("/v1/me", tokens.get(Who.ORG_ADMIN)).ok().getJsonObject("profile").getString("userId");
    assertThat(rest.get("/v1/users/" + orgAdminId + "/profile", tokens.get(Who.OUTSIDER)).status()).isEqualTo(403);
    assertThat(rest.get("/v1/users/" + orgAdminId + "/profile", tokens.get(Who.PROJECT_USER)).status()).isEqualTo(200);
  }
}
