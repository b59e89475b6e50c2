package dev.hearth.kernel.api;

import dev.hearth.testkit.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import dev.hearth.kernel.access.CallGuard;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRest;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.store.Ids;
import dev.hearth.tenancy.v1.CreateOrgRequest;
import dev.hearth.tenancy.v1.GetProjectRequest;
import dev.hearth.tenancy.v1.ListMembersResponse;
import dev.hearth.tenancy.v1.ListOrgsRequest;
import dev.hearth.tenancy.v1.ListProjectMembersRequest;
import dev.hearth.tenancy.v1.Membership;
import dev.hearth.tenancy.v1.Project;
import dev.hearth.tenancy.v1.UpdateOrgRequest;
import dev.hearth.tenancy.v1.UpdateProjectRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.hearth.api.v1.Level;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The kernel's hooks for federation on a running node: a user of a linked node joins a project by
 * invite (no account here), is admitted by their membership alone, calls through {@code
 * ApiServer.dispatchAs} with protobuf bytes, and is shown by their label; the forwarding hook takes
 * writes, never reads.
 */
class FederatedCallerIT {

  static final String TENANCY = "hearth.tenancy.v1.TenancyService/";

  @TempDir static Path tmp;
  static TestNode node;
  static String owner;
  static String org;
  static String project;
  static String other;
  /** A project-user and a project-admin of {@link #project} from a linked node. */
  static final Caller BOB = new Caller(Ids.next(), false, null, Caller.Via.FEDERATED);
  static final Caller DANA = new Caller(Ids.next(), false, null, Caller.Via.FEDERATED);

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(tmp);
    TestRest rest = node.rest;
    owner = rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "owner@fed.test")
        .put("password", "owner-password-1").put("displayName", "Olive")).ok().getString("accessToken");
    org = rest.post("/v1/orgs", owner, new JsonObject().put("name", "Acme")).ok().getString("id");
    project = rest.post("/v1/orgs/" + org + "/projects", owner, new JsonObject().put("name", "Site")).ok().getString("id");
    other = rest.post("/v1/orgs/" + org + "/projects", owner, new JsonObject().put("name", "Private")).ok().getString("id");
    Await.await(node.tenancy().redeemForRemote(BOB.userId(), "bob@globex", invite(project, "project-user"), shared()));
    Await.await(node.tenancy().redeemForRemote(DANA.userId(), "dana@globex", invite(project, "project-admin"), shared()));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static Predicate<String> shared() {
    return project::equals;
  }

  static String invite(String projectId, String role) throws Exception {
    return node.rest.post("/v1/projects/" + projectId + "/invites", owner, new JsonObject().put("role", role)).ok().getString("code");
  }

  static RpcMethod method(String name) {
    return node.api().registry().method(TENANCY + name).orElseThrow();
  }

  static ModuleException.Code codeOf(Runnable r) {
    try {
      r.run();
    } catch (ModuleException e) {
      return e.code();
    }
    throw new AssertionError("no ModuleException");
  }

  static ModuleException failure(Future<?> f) {
    f.toCompletionStage().toCompletableFuture().handle((v, e) -> null).join();
    assertThat(f.failed()).as("failed").isTrue();
    return (ModuleException) f.cause();
  }

  @Test
  void redeemForRemoteGrantsTheRoleWithTheLabel() throws Exception {
    String carol = Ids.next();
    Membership m = Await.await(node.tenancy().redeemForRemote(carol, "carol@globex", invite(project, "project-user"), shared()));
    assertThat(m.getUserId()).isEqualTo(carol);
    assertThat(m.getProjectId()).isEqualTo(project);
    assertThat(m.getOrgId()).isEqualTo(org);
    assertThat(m.getRole()).isEqualTo("project-user");
    assertThat(m.getDisplayName()).isEqualTo("carol@globex");
    // Another test may have renamed it "Site (renamed by Dana)".
    assertThat(node.identity().projectName(project)).hasValueSatisfying(n -> assertThat(n).startsWith("Site"));
    assertThat(node.identity().projectName("no-such-project")).isEmpty();
    assertThat(node.identity().orgName(org)).contains("Acme");
  }

  @Test
  void redeemForRemoteRefusesOrgInvitesUnsharedProjectsBadCodesAndLocalUsers() throws Exception {
    var tenancy = node.tenancy();
    String orgCode = node.rest.post("/v1/orgs/" + org + "/invites", owner, new JsonObject()).ok().getString("code");
    ModuleException e = failure(tenancy.redeemForRemote(Ids.next(), "x@globex", orgCode, p -> true));
    assertThat(e.code()).isEqualTo(ModuleException.Code.INVALID_ARGUMENT);
    assertThat(e.details()).containsEntry("field", "code");
    assertThat(e.getMessage()).contains("only a project invite can be redeemed from another node");

    e = failure(tenancy.redeemForRemote(Ids.next(), "x@globex", invite(other, "project-user"), shared()));
    assertThat(e.code()).isEqualTo(ModuleException.Code.PERMISSION_DENIED);
    assertThat(e.getMessage()).isEqualTo("project " + other + " is not shared with your node");

    e = failure(tenancy.redeemForRemote(Ids.next(), "x@globex", "not-a-code", shared()));
    assertThat(e.code()).isEqualTo(ModuleException.Code.INVALID_ARGUMENT);
    assertThat(e.details()).containsEntry("field", "code");

    String localUser = node.rest.get("/v1/me", owner).ok().getJsonObject("profile").getString("userId");
    e = failure(tenancy.redeemForRemote(localUser, "olive@globex", invite(project, "project-user"), shared()));
    assertThat(e.code()).isEqualTo(ModuleException.Code.PERMISSION_DENIED);
  }

  @Test
  void admitAsLetsAMemberInByTheirMembershipAlone() {
    CallGuard guard = node.identity().guard();
    GetProjectRequest get = GetProjectRequest.newBuilder().setProjectId(project).build();
    assertThat(guard.admitAs(method("GetProject"), get, BOB)).isEqualTo(BOB);
    // Not a member of the other project, nor is a stranger of this one.
    assertThat(codeOf(() -> guard.admitAs(method("GetProject"), GetProjectRequest.newBuilder().setProjectId(other).build(), BOB)))
        .isEqualTo(ModuleException.Code.PERMISSION_DENIED);
    Caller stranger = new Caller(Ids.next(), false, null, Caller.Via.FEDERATED);
    assertThat(codeOf(() -> guard.admitAs(method("GetProject"), get, stranger))).isEqualTo(ModuleException.Code.PERMISSION_DENIED);
    // project-user is not project-admin.
    UpdateProjectRequest rename = UpdateProjectRequest.newBuilder().setProjectId(project).setName("x").build();
    assertThat(codeOf(() -> guard.admitAs(method("UpdateProject"), rename, BOB))).isEqualTo(ModuleException.Code.PERMISSION_DENIED);
    assertThat(guard.admitAs(method("UpdateProject"), rename, DANA)).isEqualTo(DANA);
  }

  @Test
  void admitAsRefusesAFederatedCallerEverythingAboveProjectLevel() {
    CallGuard guard = node.identity().guard();
    assertThat(codeOf(() -> guard.admitAs(method("UpdateOrg"), UpdateOrgRequest.newBuilder().setOrgId(org).setName("x").build(), DANA)))
        .isEqualTo(ModuleException.Code.PERMISSION_DENIED);
    assertThat(codeOf(() -> guard.admitAs(method("ListOrgs"), ListOrgsRequest.getDefaultInstance(), DANA)))
        .isEqualTo(ModuleException.Code.PERMISSION_DENIED);
    assertThat(codeOf(() -> guard.admitAs(method("CreateOrg"), CreateOrgRequest.newBuilder().setName("x").build(), DANA)))
        .isEqualTo(ModuleException.Code.PERMISSION_DENIED);
    // And the module-facing authorization agrees.
    assertThat(node.identity().authorization().allows(DANA, Level.AUTHENTICATED, null)).isFalse();
    assertThat(node.identity().authorization().allows(DANA, Level.PROJECT_ADMIN, project)).isTrue();
  }

  @Test
  void admitAsRefusesAFederatedClaimToALocalUsersId() throws Exception {
    String localUser = node.rest.get("/v1/me", owner).ok().getJsonObject("profile").getString("userId");
    Caller forged = new Caller(localUser, false, null, Caller.Via.FEDERATED);
    assertThat(codeOf(() -> node.identity().guard().admitAs(method("GetProject"),
        GetProjectRequest.newBuilder().setProjectId(project).build(), forged))).isEqualTo(ModuleException.Code.PERMISSION_DENIED);
  }

  @Test
  void dispatchAsRunsACallFromBytesToBytes() throws Exception {
    var api = node.api();
    byte[] list = ListProjectMembersRequest.newBuilder().setProjectId(project).build().toByteArray();
    ListMembersResponse members = ListMembersResponse.parseFrom(Await.await(api.dispatchAs(TENANCY + "ListProjectMembers", list, BOB, "fed:B")));
    // Members without an account here are shown by their label; local ones by their display name.
    assertThat(members.getMembersList()).extracting(Membership::getDisplayName).contains("bob@globex", "dana@globex");
    assertThat(members.getMembersList()).filteredOn(m -> m.getUserId().equals(BOB.userId()))
        .extracting(Membership::getRole).containsExactly("project-user");

    // A write by a remote project-admin, with no user record here (rate limits, handler and all).
    byte[] rename = UpdateProjectRequest.newBuilder().setProjectId(project).setName("Site (renamed by Dana)").build().toByteArray();
    Project renamed = Project.parseFrom(Await.await(api.dispatchAs(TENANCY + "UpdateProject", rename, DANA, "fed:B")));
    assertThat(renamed.getName()).isEqualTo("Site (renamed by Dana)");
    assertThat(failure(api.dispatchAs(TENANCY + "UpdateProject", rename, BOB, "fed:B")).code())
        .isEqualTo(ModuleException.Code.PERMISSION_DENIED);

    assertThat(failure(api.dispatchAs(TENANCY + "NoSuchMethod", list, BOB, "fed:B")).code())
        .isEqualTo(ModuleException.Code.UNIMPLEMENTED);
    assertThat(failure(api.dispatchAs(TENANCY + "ListProjectMembers", new byte[] {(byte) 0xff, 1, 2}, BOB, "fed:B")).code())
        .isEqualTo(ModuleException.Code.INVALID_ARGUMENT);
  }

  @Test
  void listProjectMembersShowsTheLabelOfAMemberWithoutAnAccount() throws Exception {
    var members = node.rest.get("/v1/projects/" + project + "/members", owner).ok().getJsonArray("members");
    var names = new HashMap<String, String>();
    for (int i = 0; i < members.size(); i++) {
      names.put(members.getJsonObject(i).getString("userId"), members.getJsonObject(i).getString("displayName"));
    }
    assertThat(names).containsEntry(BOB.userId(), "bob@globex").containsEntry(DANA.userId(), "dana@globex");
  }

  @Test
  void theForwarderTakesWritesNotReads() throws Exception {
    var api = node.api();
    List<String> asked = new CopyOnWriteArrayList<>();
    Project fromOwner = Project.newBuilder().setId(project).setName("as the owner answered").build();
    api.forwarder((m, request, caller) -> {
      asked.add(m.descriptor().getName());
      return Future.succeededFuture((Message) fromOwner);
    });
    try {
      JsonObject answered = node.rest.call("PATCH", "/v1/projects/" + project, owner, new JsonObject().put("name", "Local")).ok();
      assertThat(answered.getString("name")).isEqualTo("as the owner answered");
      assertThat(node.rest.get("/v1/projects/" + project, owner).ok().getString("name")).isNotEqualTo("Local");
      assertThat(asked).containsExactly("UpdateProject");
    } finally {
      api.forwarder(null);
    }
  }
}
