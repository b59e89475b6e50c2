package dev.hearth.video;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.Main;
import dev.hearth.testkit.ModuleNode;
import dev.hearth.testkit.ModuleNode.User;
import dev.hearth.testkit.TestRealtime;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The built video jar in a real node in mesh mode (rooms of at most 3, STUN and TURN with a shared
 * secret), used over REST and the realtime WebSocket by a project's admin and users and by an
 * outsider. {@link VideoSfuIT} covers SFU mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VideoIT {

  static final String TURN_SECRET = "turn-shared-secret-for-tests";
  /** Signals per 10 s per user here: few, so the flood test is quick. */
  static final int FLOOD = 40;

  Path dir;
  ModuleNode node;
  /** ann administers the project; bob, carol and dave are its users; eve is in another project. */
  User ann;
  User bob;
  User carol;
  User dave;
  User eve;
  String project;
  String eveProject;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("video-it");
    node = RoomCalls.start(dir, new JsonObject()
        .put("mesh", new JsonObject().put("maxParticipants", 3).put("maxSignalsPer10s", FLOOD))
        .put("stun", new JsonArray().add("stun:stun.test:3478"))
        .put("turn", new JsonObject().put("urls", new JsonArray().add("turn:turn.test:3478")).put("secret", TURN_SECRET)
            .put("ttlSeconds", 600))
        .put("presenceGraceSeconds", 1));
    ann = node.signUp("ann@video.test");
    bob = node.signUp("bob@video.test");
    carol = node.signUp("carol@video.test");
    dave = node.signUp("dave@video.test");
    eve = node.signUp("eve@video.test");
    project = node.project(ann, "Calls");
    eveProject = node.project(eve, "Elsewhere");
    node.invite(ann, project, bob, carol, dave);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) node.close();
    try (var files = Files.walk(dir)) {
      files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void aRoom_isJoinedUpToTheMeshLimit_moderatedByItsCreatorAndAdmins_andClosed() throws Exception {
    String room = new RoomCalls(node).createRoom(bob, project, "Standup");
    assertThat(ids(node.node.rest.get(RoomCalls.rooms(project), carol.token()).ok())).contains(room);

    JsonObject joined = new RoomCalls(node).join(bob, project, room).ok();
    assertThat(joined.getString("mode")).isEqualTo("MESH");
    assertThat(joined.getString("signalTopic")).isEqualTo("video/signal/" + room + "/" + bob.id());
    assertThat(joined.getJsonArray("others")).isEmpty();
    assertThat(new RoomCalls(node).join(carol, project, room).ok().getJsonArray("others").getJsonObject(0).getString("userId"))
        .isEqualTo(bob.id());
    new RoomCalls(node).join(dave, project, room).ok();
    TestRest.Response full = new RoomCalls(node).join(ann, project, room);
    assertThat(full.status()).isEqualTo(429);
    assertThat(full.code()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(full.body().getString("message")).contains("at most 3 participants");

    JsonObject view = new RoomCalls(node).getRoom(carol, project, room);
    assertThat(view.getJsonArray("participants").stream().map(p -> ((JsonObject) p).getString("userId")))
        .containsExactly(bob.id(), carol.id(), dave.id());
    assertThat(view.getBoolean("moderator")).isFalse();
    assertThat(view.getBoolean("joined")).isTrue();
    assertThat(view.getInteger("maxParticipants")).isEqualTo(3);
    assertThat(new RoomCalls(node).getRoom(bob, project, room).getBoolean("moderator")).isTrue();

    // Own media state: only the fields sent change.
    JsonObject me = new RoomCalls(node).post(carol, RoomCalls.room(project, room) + "/media", new JsonObject().put("handRaised", true)).ok();
    assertThat(me.getBoolean("handRaised")).isTrue();
    assertThat(me.getBoolean("audio")).isTrue();
    assertThat(me.getBoolean("video")).isTrue();

    // Moderation: a user may not; the creator and a project admin may.
    String carolRef = RoomCalls.room(project, room) + "/participants/" + carol.id();
    String daveRef = RoomCalls.room(project, room) + "/participants/" + dave.id();
    assertThat(new RoomCalls(node).post(dave, carolRef + "/mute", new JsonObject()).code()).isEqualTo("PERMISSION_DENIED");
    JsonObject muted = new RoomCalls(node).post(bob, carolRef + "/mute", new JsonObject()).ok();
    assertThat(muted.getBoolean("audio")).isFalse();
    assertThat(muted.getString("mutedBy")).isEqualTo(bob.id());
    assertThat(new RoomCalls(node).post(carol, RoomCalls.room(project, room) + "/media", new JsonObject().put("audio", true)).ok()
        .getString("mutedBy")).isEmpty();
    assertThat(new RoomCalls(node).post(ann, daveRef + "/remove", new JsonObject()).ok().getBoolean("removed")).isTrue();
    TestRest.Response back = new RoomCalls(node).join(dave, project, room);
    assertThat(back.code()).isEqualTo("PERMISSION_DENIED");
    assertThat(back.body().getString("message")).contains("removed you");
    new RoomCalls(node).join(ann, project, room).ok(); // dave's place is free again

    assertThat(new RoomCalls(node).post(carol, RoomCalls.room(project, room) + "/leave", new JsonObject()).ok().getBoolean("left")).isTrue();
    assertThat(new RoomCalls(node).post(carol, RoomCalls.room(project, room) + "/close", new JsonObject()).code()).isEqualTo("PERMISSION_DENIED");
    assertThat(new RoomCalls(node).post(bob, RoomCalls.room(project, room) + "/close", new JsonObject()).ok().getString("status")).isEqualTo("CLOSED");
    assertThat(new RoomCalls(node).getRoom(bob, project, room).getJsonArray("participants")).isEmpty();
    assertThat(ids(node.node.rest.get(RoomCalls.rooms(project), carol.token()).ok())).doesNotContain(room);
    TestRest.Response late = new RoomCalls(node).join(carol, project, room);
    assertThat(late.status()).isEqualTo(412);
    assertThat(late.code()).isEqualTo("FAILED_PRECONDITION");
  }

  @Test
  void anotherProjectsUser_cannotSeeJoinOrSignalARoom() throws Exception {
    String room = new RoomCalls(node).createRoom(bob, project, "Private");
    new RoomCalls(node).join(bob, project, room).ok();
    assertThat(node.node.rest.get(RoomCalls.rooms(project), eve.token()).code()).isEqualTo("PERMISSION_DENIED");
    assertThat(new RoomCalls(node).join(eve, project, room).code()).isEqualTo("PERMISSION_DENIED");
    assertThat(new RoomCalls(node).signal(eve, project, room, bob, "OFFER", "{}").code()).isEqualTo("PERMISSION_DENIED");
    // Through her own project the room does not exist.
    assertThat(new RoomCalls(node).join(eve, eveProject, room).code()).isEqualTo("NOT_FOUND");
    assertThat(node.node.rest.get(RoomCalls.room(eveProject, room), eve.token()).code()).isEqualTo("NOT_FOUND");
    try (TestRealtime rt = TestRealtime.connect(node.node, eve.token())) {
      for (String topic : List.of("video/signal/" + room + "/" + bob.id(), "video/signal/" + room + "/" + eve.id(),
          "video/room/" + room, "video/rooms/" + project)) {
        JsonObject reply = rt.request(new JsonObject().put("type", "subscribe").put("topic", topic));
        assertThat(reply.getString("type")).as(topic).isEqualTo("error");
        assertThat(reply.getString("code")).as(topic).isIn("NOT_FOUND", "PERMISSION_DENIED");
      }
    }
  }

  @Test
  void signals_reachTheOtherParticipantOnly_andOnlyBetweenParticipants() throws Exception {
    String room = new RoomCalls(node).createRoom(ann, project, "Pairs");
    new RoomCalls(node).join(bob, project, room).ok();
    new RoomCalls(node).join(carol, project, room).ok();
    try (TestRealtime carolRt = TestRealtime.connect(node.node, carol.token());
        TestRealtime daveRt = TestRealtime.connect(node.node, dave.token())) {
      String carolTopic = "video/signal/" + room + "/" + carol.id();
      carolRt.subscribe(carolTopic, null);
      // dave is in the project but not in the room: neither his own signals nor carol's.
      JsonObject own = daveRt.request(new JsonObject().put("type", "subscribe").put("topic", "video/signal/" + room + "/" + dave.id()));
      assertThat(own.getString("code")).isEqualTo("PERMISSION_DENIED");
      assertThat(own.getString("message")).contains("join room");
      JsonObject others = daveRt.request(new JsonObject().put("type", "subscribe").put("topic", carolTopic));
      assertThat(others.getString("code")).isEqualTo("PERMISSION_DENIED");

      String sdp = new JsonObject().put("type", "offer").put("sdp", "v=0\r\n").encode();
      new RoomCalls(node).signal(bob, project, room, carol, "OFFER", sdp).ok();
      JsonObject event = carolRt.events(carolTopic, 1).get(0);
      assertThat(event.getString("event")).isEqualTo("signal");
      assertThat(event.containsKey("seq")).as("ephemeral, not from the log").isFalse();
      assertThat(event.getJsonObject("data")).isEqualTo(new JsonObject().put("roomId", room).put("from", bob.id())
          .put("kind", "OFFER").put("payload", sdp));

      assertThat(new RoomCalls(node).signal(bob, project, room, dave, "OFFER", sdp).code()).isEqualTo("FAILED_PRECONDITION");
      TestRest.Response outsider = new RoomCalls(node).signal(dave, project, room, carol, "CANDIDATE", "{}");
      assertThat(outsider.code()).isEqualTo("FAILED_PRECONDITION");
      assertThat(outsider.body().getString("message")).contains("you are not in room");
      TestRest.Response kind = new RoomCalls(node).signal(bob, project, room, carol, "SIGNAL_KIND_UNSPECIFIED", sdp);
      assertThat(kind.code()).isEqualTo("INVALID_ARGUMENT");
      assertThat(kind.body().getJsonObject("details").getString("field")).isEqualTo("kind");
      TestRest.Response big = new RoomCalls(node).signal(bob, project, room, carol, "OFFER", "x".repeat(Signaling.MAX_PAYLOAD + 1));
      assertThat(big.code()).isEqualTo("INVALID_ARGUMENT");
      assertThat(big.body().getString("message")).contains("payload").contains("16384");
      assertThat(new RoomCalls(node).signal(bob, project, room, bob, "OFFER", sdp).code()).isEqualTo("INVALID_ARGUMENT");
      assertThat(carolRt.drain().stream().filter(f -> "event".equals(f.getString("type")))).isEmpty();

      // Removed: the signal topic is no longer carol's to read, and signals to her are refused.
      new RoomCalls(node).post(ann, RoomCalls.room(project, room) + "/participants/" + carol.id() + "/remove", new JsonObject()).ok();
      assertThat(new RoomCalls(node).signal(bob, project, room, carol, "OFFER", sdp).code()).isEqualTo("FAILED_PRECONDITION");
      carolRt.request(new JsonObject().put("type", "unsubscribe").put("topic", carolTopic));
      assertThat(carolRt.request(new JsonObject().put("type", "subscribe").put("topic", carolTopic)).getString("code"))
          .isEqualTo("PERMISSION_DENIED");
    }
  }

  @Test
  void aFloodOfSignals_isCutOffWithResourceExhausted_namingTheLimit() throws Exception {
    String room = new RoomCalls(node).createRoom(dave, project, "Flood");
    new RoomCalls(node).join(dave, project, room).ok();
    new RoomCalls(node).join(ann, project, room).ok();
    TestRest.Response last = null;
    for (int i = 0; i <= FLOOD; i++) {
      last = new RoomCalls(node).signal(dave, project, room, ann, "CANDIDATE", "{}");
      if (last.status() != 200) break;
    }
    assertThat(last.code()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(last.body().getString("message")).contains("more than " + FLOOD + " signals");
    assertThat(last.body().getJsonObject("details").getString("retryAfterSeconds")).isNotEmpty();
    // Another sender is not held up by it.
    assertThat(new RoomCalls(node).signal(ann, project, room, dave, "CANDIDATE", "{}").status()).isEqualTo(200);
  }

  @Test
  void joinAnswersIceServers_stunAndTurnWithTimeLimitedCredentials() throws Exception {
    String room = new RoomCalls(node).createRoom(bob, project, "Ice");
    long before = System.currentTimeMillis() / 1000;
    JsonArray servers = new RoomCalls(node).join(bob, project, room).ok().getJsonArray("iceServers");
    assertThat(servers.getJsonObject(0).getJsonArray("urls")).containsExactly("stun:stun.test:3478");
    JsonObject turn = servers.getJsonObject(1);
    assertThat(turn.getJsonArray("urls")).containsExactly("turn:turn.test:3478");
    String[] user = turn.getString("username").split(":");
    assertThat(user[1]).isEqualTo(bob.id());
    assertThat(Long.parseLong(user[0])).isBetween(before + 600, before + 602);
    // What coturn checks with use-auth-secret: base64(HMAC-SHA1(secret, username)).
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(TURN_SECRET.getBytes(), "HmacSHA1"));
    assertThat(turn.getString("credential"))
        .isEqualTo(Base64.getEncoder().encodeToString(mac.doFinal(turn.getString("username").getBytes())));
  }

  @Test
  void roomTopic_tellsJoinsMediaChangesAndLeaves_andADisconnectedUserLeavesAfterTheGrace() throws Exception {
    String room = new RoomCalls(node).createRoom(bob, project, "Live");
    try (TestRealtime bobRt = TestRealtime.connect(node.node, bob.token())) {
      String topic = "video/room/" + room;
      bobRt.subscribe(topic, null);
      TestRealtime carolRt = TestRealtime.connect(node.node, carol.token());
      new RoomCalls(node).join(carol, project, room).ok();
      JsonObject joined = bobRt.events(topic, 1).get(0);
      assertThat(joined.getString("event")).isEqualTo("participant.joined");
      assertThat(joined.getJsonObject("data").getString("userId")).isEqualTo(carol.id());
      new RoomCalls(node).post(carol, RoomCalls.room(project, room) + "/media", new JsonObject().put("video", false)).ok();
      JsonObject updated = bobRt.events(topic, 1).get(0);
      assertThat(updated.getString("event")).isEqualTo("participant.updated");
      assertThat(updated.getJsonObject("data").getBoolean("video")).isFalse();

      carolRt.close(); // her browser is gone: after the 1 s grace she leaves, written by the module
      JsonObject left = bobRt.events(topic, 1).get(0);
      assertThat(left.getString("event")).isEqualTo("participant.left");
      assertThat(left.getJsonObject("data")).isEqualTo(new JsonObject().put("roomId", room).put("userId", carol.id())
          .put("by", "video"));
      assertThat(new RoomCalls(node).getRoom(bob, project, room).getJsonArray("participants")).isEmpty();
    }
  }

  @Test
  void aKeyedRoom_isTheProjectsOneOpenRoomOfThatKey_untilClosed_andNeverAnotherProjects() throws Exception {
    String key = "chat/0193a1b2-0000-7000-8000-00000000abcd";
    JsonObject first = new RoomCalls(node).post(bob, RoomCalls.rooms(project), new JsonObject().put("name", "# general").put("key", key)).ok();
    assertThat(first.getString("key")).isEqualTo(key);
    // Starting the same call again, by someone else and under another name, answers the open room as it is.
    JsonObject again = new RoomCalls(node).post(carol, RoomCalls.rooms(project), new JsonObject().put("name", "# other").put("key", key)).ok();
    assertThat(again.getString("id")).isEqualTo(first.getString("id"));
    assertThat(again.getString("name")).isEqualTo("# general");
    assertThat(again.getString("creatorId")).isEqualTo(bob.id());
    // Another project's key space is its own: the same key there is another room.
    JsonObject elsewhere = new RoomCalls(node).post(eve, RoomCalls.rooms(eveProject), new JsonObject().put("name", "# general").put("key", key)).ok();
    assertThat(elsewhere.getString("id")).isNotEqualTo(first.getString("id"));
    assertThat(new RoomCalls(node).post(eve, RoomCalls.rooms(project), new JsonObject().put("name", "x").put("key", key)).code())
        .isEqualTo("PERMISSION_DENIED");
    // Once closed, the key opens a new room; a room without a key is never answered for one.
    new RoomCalls(node).post(bob, RoomCalls.room(project, first.getString("id")) + "/close", new JsonObject()).ok();
    JsonObject next = new RoomCalls(node).post(carol, RoomCalls.rooms(project), new JsonObject().put("name", "# general").put("key", key)).ok();
    assertThat(next.getString("id")).isNotEqualTo(first.getString("id"));
    assertThat(next.getString("creatorId")).isEqualTo(carol.id());
    TestRest.Response bad = new RoomCalls(node).post(bob, RoomCalls.rooms(project), new JsonObject().put("name", "x").put("key", "no spaces"));
    assertThat(bad.code()).isEqualTo("INVALID_ARGUMENT");
    assertThat(bad.body().getJsonObject("details").getString("field")).isEqualTo("key");
  }

  @Test
  void badInput_namesTheField_andTheCliSeesTheService() throws Exception {
    TestRest.Response noName = node.node.rest.post(RoomCalls.rooms(project), bob.token(), new JsonObject().put("name", " "));
    assertThat(noName.code()).isEqualTo("INVALID_ARGUMENT");
    assertThat(noName.body().getJsonObject("details").getString("field")).isEqualTo("name");
    TestRest.Response badId = node.node.rest.post(RoomCalls.room(project, "nope") + "/join", bob.token(), new JsonObject());
    assertThat(badId.code()).isEqualTo("INVALID_ARGUMENT");
    assertThat(badId.body().getString("message")).contains("roomId");
    String room = new RoomCalls(node).createRoom(bob, project, "Cli");
    String[] cli = Main.run(node.node.cliEnv(carol.token()), "video", "list-rooms", "--project-id", project);
    assertThat(cli[0]).as(cli[2]).isEqualTo("0");
    assertThat(cli[1]).contains(room);
  }

  private static List<String> ids(JsonObject list) {
    return list.getJsonArray("rooms").stream().map(r -> ((JsonObject) r).getString("id")).toList();
  }
}
