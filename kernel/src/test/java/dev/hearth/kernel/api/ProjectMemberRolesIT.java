package dev.hearth.kernel.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UpdateProjectMember: a project-admin changes a member's role, the member gets exactly its powers,
 * the change is in the audit log, the last project-admin cannot be demoted, and bad input names
 * its field. Who may call it at all is in {@link AuthorizationMatrixIT}.
 */
class ProjectMemberRolesIT {

  @TempDir static Path tmp;
  static TestNode node;
  static String admin;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(tmp);
    node.createSysAdmin("root@roles.test", "root-password-1");
    admin = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@roles.test")
        .put("password", "root-password-1")).ok().getString("accessToken");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void anAdminPromotesAndDemotes_theMemberGetsExactlyThatRole_andTheAuditLogSaysSo() throws Exception {
    TestRest rest = node.rest;
    String ann = node.signUp("ann@roles.test", "ann-password-1");
    JsonObject bobSession = rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "bob@roles.test")
        .put("password", "bob-password-1")).ok();
    String bob = bobSession.getString("accessToken");
    String bobId = bobSession.getString("userId");
    String project = project(ann, "Promote");
    join(ann, bob, project, "project-user");
    String members = "/v1/projects/" + project + "/members/";
    // A project-user cannot invite; promoted to project-admin, Bob can.
    assertThat(rest.post("/v1/projects/" + project + "/invites", bob, new JsonObject().put("role", "project-user")).status())
        .isEqualTo(403);

    JsonObject promoted = rest.call("PATCH", members + bobId, ann, new JsonObject().put("role", "project-admin")).ok();
    assertThat(promoted.getString("role")).isEqualTo("project-admin");
    assertThat(promoted.getString("userId")).isEqualTo(bobId);
    rest.post("/v1/projects/" + project + "/invites", bob, new JsonObject().put("role", "project-user")).ok();
    JsonArray listed = rest.get("/v1/projects/" + project + "/members", ann).ok().getJsonArray("members");
    assertThat(listed.stream().map(m -> (JsonObject) m).filter(m -> m.getString("userId").equals(bobId))
        .map(m -> m.getString("role")).toList()).containsExactly("project-admin");
    assertThat(rest.get("/v1/me", bob).ok().getJsonArray("memberships").getJsonObject(0).getString("role"))
        .isEqualTo("project-admin");

    rest.call("PATCH", members + bobId, ann, new JsonObject().put("role", "project-user")).ok();
    assertThat(rest.post("/v1/projects/" + project + "/invites", bob, new JsonObject().put("role", "project-user")).status())
        .isEqualTo(403);
    // Demoted, Bob may no longer change roles himself.
    assertThat(rest.call("PATCH", members + bobId, bob, new JsonObject().put("role", "project-admin")).status())
        .isEqualTo(403);

    JsonArray events = rest.get("/v1/admin/audit", admin).ok().getJsonArray("events");
    assertThat(events.getJsonObject(0).getString("action")).endsWith("UpdateProjectMember");
    assertThat(events.getJsonObject(0).getString("target")).isEqualTo(bobId);
    assertThat(events.getJsonObject(0).getString("detail")).contains("project-admin -> project-user");
    assertThat(events.getJsonObject(1).getString("detail")).contains("project-user -> project-admin");

    // Removing a member is audited too, in the same transaction as the removal.
    rest.call("DELETE", members + bobId, ann, null).ok();
    JsonObject removed = rest.get("/v1/admin/audit", admin).ok().getJsonArray("events").getJsonObject(0);
    assertThat(removed.getString("action")).endsWith("RemoveProjectMember");
    assertThat(removed.getString("target")).isEqualTo(bobId);
    assertThat(removed.getString("detail")).isEqualTo("project " + project + ": removed");
  }

  @Test
  void theLastProjectAdminCannotBeDemotedOrRemoved_andBadInputNamesItsField() throws Exception {
    TestRest rest = node.rest;
    JsonObject annSession = rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "solo@roles.test")
        .put("password", "solo-password-1")).ok();
    String ann = annSession.getString("accessToken");
    String project = project(ann, "Solo");
    String self = "/v1/projects/" + project + "/members/" + annSession.getString("userId");

    TestRest.Response last = rest.call("PATCH", self, ann, new JsonObject().put("role", "project-user"));
    assertThat(last.status()).isEqualTo(412);
    assertThat(last.code()).isEqualTo("FAILED_PRECONDITION");
    assertThat(last.body().getString("message")).contains("last project-admin");

    TestRest.Response leaving = rest.call("DELETE", self, ann, null);
    assertThat(leaving.status()).isEqualTo(412);
    assertThat(leaving.body().getString("message")).contains("last project-admin");
    assertThat(rest.get("/v1/projects/" + project + "/members", ann).ok().getJsonArray("members")).hasSize(1);

    TestRest.Response badRole = rest.call("PATCH", self, ann, new JsonObject().put("role", "owner"));
    assertThat(badRole.code()).isEqualTo("INVALID_ARGUMENT");
    assertThat(badRole.body().getString("message")).contains("role");
    TestRest.Response stranger = rest.call("PATCH", "/v1/projects/" + project + "/members/nobody", ann,
        new JsonObject().put("role", "project-user"));
    assertThat(stranger.code()).isEqualTo("NOT_FOUND");
  }

  private static String project(String owner, String name) throws Exception {
    String org = node.rest.post("/v1/orgs", owner, new JsonObject().put("name", name + " org")).ok().getString("id");
    return node.rest.post("/v1/orgs/" + org + "/projects", owner, new JsonObject().put("name", name)).ok().getString("id");
  }

  private static void join(String admin, String who, String project, String role) throws Exception {
    String code = node.rest.post("/v1/projects/" + project + "/invites", admin, new JsonObject().put("role", role))
        .ok().getString("code");
    node.rest.post("/v1/invites/redeem", who, new JsonObject().put("code", code)).ok();
  }
}
