package dev.hearth.video;

import dev.hearth.testkit.ModuleNode;
import dev.hearth.testkit.ModuleNode.User;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/** Short ways to call VideoService over REST on a {@link ModuleNode} with the video jar (the node itself is the test kit's). */
final class RoomCalls {

  final ModuleNode node;

  RoomCalls(ModuleNode node) {
    this.node = node;
  }

  /** A node under {@code dir} with the built video jar installed and {@code videoConfig} as its config. */
  static ModuleNode start(Path dir, JsonObject videoConfig) {
    return ModuleNode.start(dir, "hearth-module-video", List.of(), o -> o.setModuleConfig(new JsonObject().put("video", videoConfig)));
  }

  static String rooms(String project) {
    return "/v1/projects/" + project + "/video/rooms";
  }

  static String room(String project, String roomId) {
    return rooms(project) + "/" + roomId;
  }

  String createRoom(User user, String project, String name) throws Exception {
    return node.node.rest.post(rooms(project), user.token(), new JsonObject().put("name", name)).ok().getString("id");
  }

  TestRest.Response join(User user, String project, String roomId) throws Exception {
    return node.node.rest.post(room(project, roomId) + "/join", user.token(),
        new JsonObject().put("displayName", "u-" + user.id().substring(0, 4)).put("audio", true).put("video", true));
  }

  TestRest.Response post(User user, String path, JsonObject body) throws Exception {
    return node.node.rest.post(path, user.token(), body);
  }

  JsonObject getRoom(User user, String project, String roomId) throws Exception {
    return node.node.rest.get(room(project, roomId), user.token()).ok();
  }

  TestRest.Response signal(User from, String project, String roomId, User to, String kind, String payload) throws Exception {
    return node.node.rest.post(room(project, roomId) + "/signal", from.token(),
        new JsonObject().put("toUserId", to.id()).put("kind", kind).put("payload", payload));
  }
}
