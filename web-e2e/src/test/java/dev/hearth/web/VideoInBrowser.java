package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The video room in real browsers ({@code ui-schemas/web/e2e/video.test.mjs}), on {@link WebTasksIT}'s
 * shared node (with the video module, its presence grace 1 s): two members open the room page in two
 * headless Chromiums with fake camera and microphone and reach an ICE-connected peer connection
 * through Hearth's signaling; a moderator's mute on the card reaches the other's microphone; a user
 * of another project is refused the room and its signal topics. Afterwards nobody is left in the
 * room (they left, or their realtime connection went away).
 */
final class VideoInBrowser {

  static final String EVE_EMAIL = "eve@video.web.test";
  static final String EVE_PASSWORD = "eve-password-1";

  private final TestNode node;
  private final TwoMembers members;
  private final Path shots;
  private final String rooms;
  final Browser.Job job;

  /** Ann's room Standup in her project Calls, of which Bob is a member; Eve, of another project. */
  VideoInBrowser(TestNode node, Path shots) throws Exception {
    this.node = node;
    this.shots = shots;
    members = TwoMembers.of(node, "video", "Calls");
    String eve = node.signUp(EVE_EMAIL, EVE_PASSWORD);
    String eveOrg = node.rest.post("/v1/orgs", eve, new JsonObject().put("name", "Elsewhere")).ok().getString("id");
    node.rest.post("/v1/orgs/" + eveOrg + "/projects", eve, new JsonObject().put("name", "Other calls")).ok();
    rooms = "/v1/projects/" + members.project() + "/video/rooms";
    String room = node.rest.post(rooms, members.ann(), new JsonObject().put("name", "Standup")).ok().getString("id");
    String annId = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", members.annEmail())
        .put("password", TwoMembers.ANN_PASSWORD)).ok().getString("userId");
    job = Browser.Job.script("video", "e2e/video.test.mjs", members.env(node, Map.of("HEARTH_ROOM", room,
        "HEARTH_SCREENSHOTS", shots.toString(),
        "HEARTH_ANN_ID", annId, "HEARTH_EVE_EMAIL", EVE_EMAIL, "HEARTH_EVE_PASSWORD", EVE_PASSWORD)));
  }

  /** Two browsers connected through Hearth's signaling and an outsider was refused; the rooms empty out. */
  void check(Browser.Result run) throws Exception {
    assertThat(run.exitCode()).as("e2e/video.test.mjs failed:%n%s", run.output()).isZero();
    assertThat(run.output()).contains("TIMING video-join-to-ice-connected-ms=");
    Browser.assertCaptured(shots, "video-two-tiles");

    // Both rooms (the one made here and the one opened from the lobby card) empty out: left, or disconnected.
    String ann = members.annNow(node);
    long deadline = System.currentTimeMillis() + 15_000;
    List<Object> counts;
    do {
      counts = node.rest.get(rooms, ann).ok().getJsonArray("rooms").stream()
          .map(r -> ((JsonObject) r).getValue("participantCount")).toList();
      if (counts.stream().allMatch(c -> ((Number) c).intValue() == 0)) break;
      Thread.sleep(200);
    } while (System.currentTimeMillis() < deadline);
    assertThat(counts).as("participants per room").hasSize(2).allMatch(c -> ((Number) c).intValue() == 0);
  }
}
