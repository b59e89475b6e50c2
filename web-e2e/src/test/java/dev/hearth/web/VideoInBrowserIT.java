package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.testing.ModuleJars;
import dev.hearth.kernel.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The video room in real browsers ({@code ui-schemas/web/e2e/video.test.mjs}): two members open
 * the room page in two headless Chromiums with fake camera and microphone and reach an
 * ICE-connected peer connection through Hearth's signaling; a moderator's mute on the card reaches
 * the other's microphone; a user of another project is refused the room and its signal topics.
 * Afterwards nobody is left in the room (they left, or their realtime connection went away).
 */
class VideoInBrowserIT {

  static final String EVE_EMAIL = "eve@web.test";
  static final String EVE_PASSWORD = "eve-password-1";

  @TempDir Path tmp;

  @Test
  void twoBrowsersConnect_throughHearthsSignaling_andAnOutsiderIsRefused() throws Exception {
    // A short presence grace, so browsers that just closed leave the room within the test.
    JsonObject video = new JsonObject().put("presenceGraceSeconds", 1);
    try (TestNode node = TestNode.start(tmp, o -> o.setModuleConfig(new JsonObject().put("video", video)))) {
      node.installModule(ModuleJars.built(Path.of("..", "module-video", "target"), "hearth-module-video"));
      TwoMembers members = TwoMembers.of(node, "Calls");
      String eve = node.signUp(EVE_EMAIL, EVE_PASSWORD);
      String eveOrg = node.rest.post("/v1/orgs", eve, new JsonObject().put("name", "Elsewhere")).ok().getString("id");
      node.rest.post("/v1/orgs/" + eveOrg + "/projects", eve, new JsonObject().put("name", "Other calls")).ok();
      String rooms = "/v1/projects/" + members.project() + "/video/rooms";
      String room = node.rest.post(rooms, members.ann(), new JsonObject().put("name", "Standup")).ok().getString("id");
      String annId = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", TwoMembers.ANN_EMAIL)
          .put("password", TwoMembers.ANN_PASSWORD)).ok().getString("userId");

      Path shots = Path.of("target", "screenshots").toAbsolutePath();
      Browser.Result run = Browser.runE2e("e2e/video.test.mjs", members.env(node, Map.of("HEARTH_ROOM", room,
          "HEARTH_SCREENSHOTS", shots.toString(),
          "HEARTH_ANN_ID", annId, "HEARTH_EVE_EMAIL", EVE_EMAIL, "HEARTH_EVE_PASSWORD", EVE_PASSWORD)));
      assertThat(run.exitCode()).as("the browser test failed:%n%s", run.output()).isZero();
      assertThat(run.output()).contains("TIMING video-join-to-ice-connected-ms=");
      Browser.assertCaptured(shots, "video-two-tiles");

      // Both rooms (the IT's and the one opened from the lobby card) empty out: left, or disconnected.
      long deadline = System.currentTimeMillis() + 15_000;
      List<Object> counts;
      do {
        counts = node.rest.get(rooms, members.ann()).ok().getJsonArray("rooms").stream()
            .map(r -> ((JsonObject) r).getValue("participantCount")).toList();
        if (counts.stream().allMatch(c -> ((Number) c).intValue() == 0)) break;
        Thread.sleep(200);
      } while (System.currentTimeMillis() < deadline);
      assertThat(counts).as("participants per room").hasSize(2).allMatch(c -> ((Number) c).intValue() == 0);
    }
  }
}
