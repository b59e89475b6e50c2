package dev.hearth.video;

import dev.hearth.kernel.testing.ModuleJars;
import dev.hearth.kernel.testing.TestNode;
import dev.hearth.kernel.testing.TestRest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** A test node with the built video jar installed and the given module config; short ways to set up tenants and call VideoService. */
final class VideoNode implements AutoCloseable {

  /** A signed-up user: their id and access token. */
  record User(String id, String token) {}

  final TestNode node;

  VideoNode(Path dir, JsonObject videoConfig) {
    node = TestNode.start(dir, o -> o.setModuleConfig(new JsonObject().put("video", videoConfig)));
    try {
      node.installModule(builtJar());
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /** The jar Maven just packaged (integration tests run after {@code package}). */
  static Path builtJar() {
    return ModuleJars.built(Path.of("target"), "hearth-module-video");
  }

  User signUp(String email) throws Exception {
    JsonObject s = node.rest.post("/v1/auth/sign-up", null,
        new JsonObject().put("email", email).put("password", "a-long-password-1")).ok();
    return new User(s.getString("userId"), s.getString("accessToken"));
  }

  /** A new org and project owned (administered) by {@code owner}; returns the project id. */
  String project(User owner, String name) throws Exception {
    String org = node.rest.post("/v1/orgs", owner.token(), new JsonObject().put("name", name + " org")).ok().getString("id");
    return node.rest.post("/v1/orgs/" + org + "/projects", owner.token(), new JsonObject().put("name", name)).ok().getString("id");
  }

  /** Makes each of {@code users} a project-user of {@code project}. */
  void invite(User admin, String project, User... users) throws Exception {
    String code = node.rest.post("/v1/projects/" + project + "/invites", admin.token(),
        new JsonObject().put("role", "project-user").put("maxUses", users.length)).ok().getString("code");
    for (User u : users) node.rest.post("/v1/invites/redeem", u.token(), new JsonObject().put("code", code)).ok();
  }

  static String rooms(String project) {
    return "/v1/projects/" + project + "/video/rooms";
  }

  static String room(String project, String roomId) {
    return rooms(project) + "/" + roomId;
  }

  String createRoom(User user, String project, String name) throws Exception {
    return node.rest.post(rooms(project), user.token(), new JsonObject().put("name", name)).ok().getString("id");
  }

  TestRest.Response join(User user, String project, String roomId) throws Exception {
    return node.rest.post(room(project, roomId) + "/join", user.token(),
        new JsonObject().put("displayName", "u-" + user.id().substring(0, 4)).put("audio", true).put("video", true));
  }

  TestRest.Response post(User user, String path, JsonObject body) throws Exception {
    return node.rest.post(path, user.token(), body);
  }

  JsonObject getRoom(User user, String project, String roomId) throws Exception {
    return node.rest.get(room(project, roomId), user.token()).ok();
  }

  TestRest.Response signal(User from, String project, String roomId, User to, String kind, String payload) throws Exception {
    return node.rest.post(room(project, roomId) + "/signal", from.token(),
        new JsonObject().put("toUserId", to.id()).put("kind", kind).put("payload", payload));
  }

  @Override
  public void close() {
    node.close();
  }
}
