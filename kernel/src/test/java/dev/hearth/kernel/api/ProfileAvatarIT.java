package dev.hearth.kernel.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's avatar is a file of a project: UpdateProfile takes the file's id with its project's id
 * (the id alone is refused, naming avatar_project_id), Me and GetProfile give both back, and a
 * project's member listing carries them, so a client can show members' pictures.
 */
class ProfileAvatarIT {

  @TempDir static Path tmp;
  static TestNode node;
  static String token;
  static String userId;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(tmp);
    JsonObject s = node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "av@profile.test")
        .put("password", "av-password-123").put("displayName", "Av")).ok();
    token = s.getString("accessToken");
    userId = s.getString("userId");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void avatar_isAFileOfAProject_givenBackAndListedWithMembers() throws Exception {
    JsonObject org = node.rest.post("/v1/orgs", token, new JsonObject().put("name", "Pictures")).ok();
    String orgId = org.getString("id");
    JsonObject project = node.rest.post("/v1/orgs/" + orgId + "/projects", token,
        new JsonObject().put("orgId", orgId).put("name", "Gallery")).ok();
    String projectId = project.getString("id");

    var refused = node.rest.call("PATCH", "/v1/me/profile", token, new JsonObject().put("avatarFileId", "f-1"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().getJsonObject("details").getString("field")).isEqualTo("avatarProjectId");

    JsonObject p = node.rest.call("PATCH", "/v1/me/profile", token,
        new JsonObject().put("avatarFileId", "f-1").put("avatarProjectId", projectId)).ok();
    assertThat(p.getString("avatarFileId")).isEqualTo("f-1");
    assertThat(p.getString("avatarProjectId")).isEqualTo(projectId);
    JsonObject me = node.rest.get("/v1/me", token).ok().getJsonObject("profile");
    assertThat(me.getString("avatarProjectId")).isEqualTo(projectId);

    JsonObject member = node.rest.get("/v1/projects/" + projectId + "/members", token).ok()
        .getJsonArray("members").getJsonObject(0);
    assertThat(member.getString("userId")).isEqualTo(userId);
    assertThat(member.getString("avatarFileId")).isEqualTo("f-1");
    assertThat(member.getString("avatarProjectId")).isEqualTo(projectId);

    // An empty id removes the picture, and its project with it.
    JsonObject cleared = node.rest.call("PATCH", "/v1/me/profile", token, new JsonObject().put("avatarFileId", "")).ok();
    assertThat(cleared.getString("avatarFileId")).isEmpty();
    assertThat(cleared.getString("avatarProjectId")).isEmpty();
  }
}
