package dev.hearth.kernel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.auth.v1.AuthProto;
import dev.hearth.auth.v1.MeRequest;
import dev.hearth.auth.v1.MeResponse;
import dev.hearth.auth.v1.Session;
import dev.hearth.auth.v1.SignUpRequest;
import dev.hearth.tenancy.v1.CreateInviteResponse;
import dev.hearth.tenancy.v1.CreateOrgRequest;
import dev.hearth.tenancy.v1.CreateProjectInviteRequest;
import dev.hearth.tenancy.v1.CreateProjectRequest;
import dev.hearth.tenancy.v1.ListMembersResponse;
import dev.hearth.tenancy.v1.ListProjectMembersRequest;
import dev.hearth.tenancy.v1.Membership;
import dev.hearth.tenancy.v1.Org;
import dev.hearth.tenancy.v1.Project;
import dev.hearth.tenancy.v1.RedeemInviteRequest;
import dev.hearth.tenancy.v1.TenancyProto;
import dev.hearth.tenancy.v1.UpdateProjectRequest;
import dev.hearth.testkit.TestGrpc;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.health.v1.HealthProto;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sign up → org → project → invite → redeem, once per transport; the invitee gets exactly the role granted. */
class InviteFlowIT {

  @TempDir static Path tmp;
  static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start(tmp);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void rest_inviteeGetsExactlyTheGrantedRole() throws Exception {
    TestRest rest = node.rest;
    String owner = rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "owner@rest.test")
        .put("password", "owner-password-1").put("displayName", "Owner")).ok().getString("accessToken");
    String org = rest.post("/v1/orgs", owner, new JsonObject().put("name", "Rest Org")).ok().getString("id");
    String project = rest.post("/v1/orgs/" + org + "/projects", owner, new JsonObject().put("name", "Site")).ok().getString("id");
    JsonObject invite = rest.post("/v1/projects/" + project + "/invites", owner,
        new JsonObject().put("role", "project-user").put("maxUses", 1)).ok();
    String code = invite.getString("code");
    assertThat(invite.getJsonObject("invite").getString("role")).isEqualTo("project-user");

    JsonObject guestSession = rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "guest@rest.test")
        .put("password", "guest-password-1")).ok();
    String guest = guestSession.getString("accessToken");
    // Before redeeming, the project is not the guest's business.
    assertThat(rest.get("/v1/projects/" + project, guest).status()).isEqualTo(403);

    JsonObject membership = rest.post("/v1/invites/redeem", guest, new JsonObject().put("code", code)).ok();
    assertThat(membership.getString("role")).isEqualTo("project-user");
    assertThat(membership.getString("projectId")).isEqualTo(project);
    // As the member lists show the guest: the display name sign-up gave them (their email's local part).
    assertThat(membership.getString("displayName")).isEqualTo("guest");

    JsonObject me = rest.get("/v1/me", guest).ok();
    assertThat(me.getJsonArray("memberships")).hasSize(1);
    assertThat(me.getJsonArray("memberships").getJsonObject(0).getString("role")).isEqualTo("project-user");
    assertThat(rest.get("/v1/projects/" + project, guest).ok().getString("name")).isEqualTo("Site");
    // project-user is not project-admin: no renaming, no inviting; and no org-admin powers.
    TestRest.Response rename = rest.call("PATCH", "/v1/projects/" + project, guest, new JsonObject().put("name", "Mine"));
    assertThat(rename.status()).isEqualTo(403);
    assertThat(rename.code()).isEqualTo("PERMISSION_DENIED");
    assertThat(rest.post("/v1/projects/" + project + "/invites", guest, new JsonObject().put("role", "project-user")).status()).isEqualTo(403);
    assertThat(rest.get("/v1/orgs/" + org + "/members", guest).status()).isEqualTo(403);
    // The code was for one use.
    String third = rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "third@rest.test")
        .put("password", "third-password-1")).ok().getString("accessToken");
    TestRest.Response again = rest.post("/v1/invites/redeem", third, new JsonObject().put("code", code));
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.body().getJsonObject("details").getString("field")).isEqualTo("code");
  }

  @Test
  void grpc_inviteeGetsExactlyTheGrantedRole() {
    TestGrpc grpc = node.grpc;
    var auth = AuthProto.getDescriptor().findServiceByName("AuthService");
    var tenancy = TenancyProto.getDescriptor().findServiceByName("TenancyService");
    String owner = grpc.call(auth.findMethodByName("SignUp"), SignUpRequest.newBuilder().setEmail("owner@grpc.test")
        .setPassword("owner-password-1").build(), Session.getDefaultInstance(), null).getAccessToken();
    Org org = grpc.call(tenancy.findMethodByName("CreateOrg"), CreateOrgRequest.newBuilder().setName("Grpc Org").build(),
        Org.getDefaultInstance(), owner);
    Project project = grpc.call(tenancy.findMethodByName("CreateProject"),
        CreateProjectRequest.newBuilder().setOrgId(org.getId()).setName("Ops").build(), Project.getDefaultInstance(), owner);
    CreateInviteResponse invite = grpc.call(tenancy.findMethodByName("CreateProjectInvite"),
        CreateProjectInviteRequest.newBuilder().setProjectId(project.getId()).setRole("project-admin").build(),
        CreateInviteResponse.getDefaultInstance(), owner);

    String guest = grpc.call(auth.findMethodByName("SignUp"), SignUpRequest.newBuilder().setEmail("guest@grpc.test")
        .setPassword("guest-password-1").build(), Session.getDefaultInstance(), null).getAccessToken();
    Membership m = grpc.call(tenancy.findMethodByName("RedeemInvite"),
        RedeemInviteRequest.newBuilder().setCode(invite.getCode()).build(), Membership.getDefaultInstance(), guest);
    assertThat(m.getRole()).isEqualTo("project-admin");

    MeResponse me = grpc.call(auth.findMethodByName("Me"), MeRequest.getDefaultInstance(), MeResponse.getDefaultInstance(), guest);
    assertThat(me.getMembershipsList()).singleElement()
        .satisfies(x -> assertThat(x.getRole() + "@" + x.getProjectId()).isEqualTo("project-admin@" + project.getId()));
    // project-admin may rename the project but not act on the org.
    Project renamed = grpc.call(tenancy.findMethodByName("UpdateProject"),
        UpdateProjectRequest.newBuilder().setProjectId(project.getId()).setName("Ops 2").build(), Project.getDefaultInstance(), guest);
    assertThat(renamed.getName()).isEqualTo("Ops 2");
    assertThatThrownBy(() -> grpc.call(tenancy.findMethodByName("CreateProject"),
        CreateProjectRequest.newBuilder().setOrgId(org.getId()).setName("Nope").build(), Project.getDefaultInstance(), guest))
        .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> assertThat(f.status).isEqualTo(GrpcStatus.PERMISSION_DENIED));
    ListMembersResponse members = grpc.call(tenancy.findMethodByName("ListProjectMembers"),
        ListProjectMembersRequest.newBuilder().setProjectId(project.getId()).build(), ListMembersResponse.getDefaultInstance(), guest);
    // The project's creator (its first admin) and the invitee.
    assertThat(members.getMembersList()).extracting(Membership::getRole).containsExactly("project-admin", "project-admin");
  }

  /** gRPC-Web over HTTP/1.1, as a browser sends it: the same handler answers Me. */
  @Test
  void grpcWeb_servesTheSameCalls() throws Exception {
    String token = node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "web@grpcweb.test")
        .put("password", "web-password-1").put("displayName", "Webby")).ok().getString("accessToken");
    byte[] payload = MeRequest.getDefaultInstance().toByteArray();
    ByteBuffer frame = ByteBuffer.allocate(5 + payload.length).put((byte) 0).putInt(payload.length).put(payload);
    var request = HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + node.port() + "/hearth.auth.v1.AuthService/Me"))
        .version(HttpClient.Version.HTTP_1_1)
        .header("content-type", "application/grpc-web+proto").header("x-grpc-web", "1")
        .header("authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofByteArray(frame.array())).build();
    var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    ByteBuffer body = ByteBuffer.wrap(response.body());
    assertThat(body.get()).isEqualTo((byte) 0); // a data frame first
    byte[] message = new byte[body.getInt()];
    body.get(message);
    assertThat(MeResponse.parseFrom(message).getProfile().getDisplayName()).isEqualTo("Webby");
    assertThat(new String(response.body(), StandardCharsets.ISO_8859_1)).contains("grpc-status:0");
  }

  @Test
  void rest_bodyOverTheLimit_isRefusedWithACode() throws Exception {
    TestRest.Response r = node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "big@rest.test")
        .put("password", "x".repeat(2 << 20)));
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.code()).isEqualTo("RESOURCE_EXHAUSTED");
  }

  @Test
  void grpc_callWithoutAMessage_isInvalidArgument() {
    var auth = AuthProto.getDescriptor().findServiceByName("AuthService");
    assertThat(node.grpc.callWithoutMessage(auth.findMethodByName("LogIn"))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
  }

  @Test
  void grpcHealth_saysServing() {
    var health = HealthProto.getDescriptor().findServiceByName("Health");
    HealthCheckResponse r = node.grpc.call(health.findMethodByName("Check"),
        HealthCheckRequest.getDefaultInstance(),
        HealthCheckResponse.getDefaultInstance(), null);
    assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void grpc_badInputNamesTheField() {
    var auth = AuthProto.getDescriptor().findServiceByName("AuthService");
    assertThatThrownBy(() -> node.grpc.call(auth.findMethodByName("SignUp"), SignUpRequest.newBuilder()
        .setEmail("not-an-email").setPassword("long-enough-password").build(), Session.getDefaultInstance(), null))
        .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> {
          assertThat(f.status).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
          assertThat(f.getMessage()).contains("email");
          assertThat(f.trailers.get("hearth-field")).isEqualTo("email");
        });
  }
}
