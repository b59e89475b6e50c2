package dev.hearth.kernel.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's avatar is a file of a project: UpdateProfile takes the file's id with its project's id
 * (the id alone is refused, naming avatar_project_id), Me and GetProfile give both back, and a
 * project's member listing carries them, so a client can show members' pictures. The file must be
 * an image the user uploaded; once it is the avatar, replacing or removing the avatar deletes it,
 * its encrypted blob included, so no old picture stays on disk.
 */
class ProfileAvatarIT {

  @TempDir static Path tmp;
  static TestNode node;
  static FileClient files;
  static String token;
  static String userId;
  static String projectId;
  static String orgId;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(tmp);
    files = new FileClient(node.port());
    JsonObject s = node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "av@profile.test")
        .put("password", "av-password-123").put("displayName", "Av")).ok();
    token = s.getString("accessToken");
    userId = s.getString("userId");
    orgId = node.rest.post("/v1/orgs", token, new JsonObject().put("name", "Pictures")).ok().getString("id");
    projectId = node.rest.post("/v1/orgs/" + orgId + "/projects", token,
        new JsonObject().put("orgId", orgId).put("name", "Gallery")).ok().getString("id");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void avatar_isAnImageFileOfAProject_givenBackAndListedWithMembers() throws Exception {
    var refused = node.rest.call("PATCH", "/v1/me/profile", token, new JsonObject().put("avatarFileId", "f-1"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().getJsonObject("details").getString("field")).isEqualTo("avatarProjectId");

    // An id that is no file of the project, and a file that is no image, are refused naming the field.
    var unknown = node.rest.call("PATCH", "/v1/me/profile", token,
        new JsonObject().put("avatarFileId", "f-1").put("avatarProjectId", projectId));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().getJsonObject("details").getString("field")).isEqualTo("avatarFileId");
    String text = upload("notes.txt", "text/plain", "not a picture".getBytes());
    var notImage = node.rest.call("PATCH", "/v1/me/profile", token,
        new JsonObject().put("avatarFileId", text).put("avatarProjectId", projectId));
    assertThat(notImage.status()).isEqualTo(400);
    assertThat(notImage.body().getJsonObject("details").getString("field")).isEqualTo("avatarFileId");
    assertThat(notImage.body().getString("message")).contains("not an image");

    String file = upload("me.png", "image/png", png(1));
    JsonObject p = setAvatar(file);
    assertThat(p.getString("avatarFileId")).isEqualTo(file);
    assertThat(p.getString("avatarProjectId")).isEqualTo(projectId);
    JsonObject me = node.rest.get("/v1/me", token).ok().getJsonObject("profile");
    assertThat(me.getString("avatarProjectId")).isEqualTo(projectId);

    JsonObject member = node.rest.get("/v1/projects/" + projectId + "/members", token).ok()
        .getJsonArray("members").getJsonObject(0);
    assertThat(member.getString("userId")).isEqualTo(userId);
    assertThat(member.getString("avatarFileId")).isEqualTo(file);
    assertThat(member.getString("avatarProjectId")).isEqualTo(projectId);
  }

  @Test
  void aReplacedAvatar_isDeletedWithItsBlob_andTheNewOneServed_thenRemovingDeletesTheLast() throws Exception {
    byte[] second = png(3);
    List<Path> before = blobFiles();
    String one = upload("first.png", "image/png", png(2));
    Path oneBlob = onlyNew(before, blobFiles());
    setAvatar(one);

    List<Path> withOne = blobFiles();
    String two = upload("second.png", "image/png", second);
    Path twoBlob = onlyNew(withOne, blobFiles());
    assertThat(blobFiles()).contains(oneBlob, twoBlob);

    JsonObject replaced = setAvatar(two);
    assertThat(replaced.getString("avatarFileId")).isEqualTo(two);
    // The old picture's entry is gone and its blob file with it; the new one is on disk and served.
    assertThat(node.rest.get("/v1/projects/" + projectId + "/files/" + one, token).status()).isEqualTo(404);
    assertThat(files.download(token, projectId, one, Map.of()).status()).isEqualTo(404);
    assertThat(blobFiles()).doesNotContain(oneBlob).contains(twoBlob);
    FileClient.Answer served = files.download(token, projectId, two, Map.of());
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.body()).isEqualTo(second);

    // Setting the same file again deletes nothing.
    setAvatar(two);
    assertThat(files.download(token, projectId, two, Map.of()).body()).isEqualTo(second);

    // Removing the avatar deletes its file too.
    JsonObject cleared = node.rest.call("PATCH", "/v1/me/profile", token, new JsonObject().put("avatarFileId", "")).ok();
    assertThat(cleared.getString("avatarFileId")).isEmpty();
    assertThat(cleared.getString("avatarProjectId")).isEmpty();
    assertThat(node.rest.get("/v1/projects/" + projectId + "/files/" + two, token).status()).isEqualTo(404);
    assertThat(blobFiles()).doesNotContain(oneBlob, twoBlob);
    assertThat(Long.parseLong(node.rest.get("/v1/projects/" + projectId + "/files-quota", token).ok().getString("usedBytes", "0")))
        .as("the deleted pictures no longer count").isEqualTo(usedWithout());
  }

  /** What the project's other files use: every file it still lists. */
  static long usedWithout() throws Exception {
    return node.rest.get("/v1/projects/" + projectId + "/files?pageSize=500", token).ok().getJsonArray("entries").stream()
        .mapToLong(e -> Long.parseLong(String.valueOf(((JsonObject) e).getValue("size", "0")))).sum();
  }

  static Path onlyNew(List<Path> before, List<Path> after) {
    List<Path> added = after.stream().filter(f -> !before.contains(f)).toList();
    assertThat(added).as("blob files the upload added").hasSize(1);
    return added.get(0);
  }

  @Test
  void anotherUsersFile_cannotBecomeAnAvatar_soReplacingNeverDeletesIt() throws Exception {
    String bob = node.signUp("bob@profile.test", "bob-password-123");
    String code = node.rest.post("/v1/projects/" + projectId + "/invites", token,
        new JsonObject().put("projectId", projectId).put("role", "project-user").put("expiresInSeconds", 3600).put("maxUses", 1)).ok().getString("code");
    node.rest.post("/v1/invites/redeem", bob, new JsonObject().put("code", code)).ok();
    String mine = upload("team.png", "image/png", png(4));
    var refused = node.rest.call("PATCH", "/v1/me/profile", bob,
        new JsonObject().put("avatarFileId", mine).put("avatarProjectId", projectId));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().getJsonObject("details").getString("field")).isEqualTo("avatarFileId");
    assertThat(refused.body().getString("message")).contains("someone else");
    assertThat(files.download(token, projectId, mine, Map.of()).status()).isEqualTo(200);
  }

  static JsonObject setAvatar(String file) throws Exception {
    return node.rest.call("PATCH", "/v1/me/profile", token,
        new JsonObject().put("avatarFileId", file).put("avatarProjectId", projectId)).ok();
  }

  static String upload(String name, String type, byte[] content) throws Exception {
    return files.raw(token, projectId, "name=" + name, type, content).ok().getString("id");
  }

  /** PNG magic bytes then content of its own, so each picture is its own blob. */
  static byte[] png(int seed) {
    byte[] b = new byte[4096];
    new Random(seed).nextBytes(b);
    System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, b, 0, 8);
    return b;
  }

  static List<Path> blobFiles() throws Exception {
    Path blobs = node.dir.resolve("data/blobs");
    if (!Files.exists(blobs)) return List.of();
    try (Stream<Path> s = Files.walk(blobs)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }
}
