package dev.hearth.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class VideoConfigTest {

  @Test
  void noConfig_isMeshModeWithDefaultLimitAndNoIceServers() {
    VideoConfig c = VideoConfig.from(new JsonObject());
    assertThat(c.sfuMode()).isFalse();
    assertThat(c.maxParticipants()).isEqualTo(VideoConfig.DEFAULT_MESH_MAX);
    assertThat(new IceServers(c).forUser("u", 0)).isEmpty();
  }

  @Test
  void staticTurnCredentials_arePassedAsGiven() {
    VideoConfig c = VideoConfig.from(new JsonObject().put("turn", new JsonObject()
        .put("urls", new JsonArray().add("turns:turn.example:5349")).put("username", "u1").put("credential", "pw")));
    var turn = new IceServers(c).forUser("someone", 100).get(0);
    assertThat(turn.getUsername()).isEqualTo("u1");
    assertThat(turn.getCredential()).isEqualTo("pw");
  }

  @Test
  void mistakes_nameTheKey() {
    assertThatThrownBy(() -> VideoConfig.from(new JsonObject().put("stunn", new JsonArray())))
        .hasMessageContaining("moduleConfig.video.stunn: unknown setting");
    assertThatThrownBy(() -> VideoConfig.from(new JsonObject().put("mesh", new JsonObject().put("maxParticipants", 50))))
        .hasMessageContaining("moduleConfig.video.mesh.maxParticipants").hasMessageContaining("2 to 16");
    assertThatThrownBy(() -> VideoConfig.from(new JsonObject().put("stun", new JsonArray().add("http://x"))))
        .hasMessageContaining("moduleConfig.video.stun").hasMessageContaining("'http://x'");
    assertThatThrownBy(() -> VideoConfig.from(new JsonObject().put("turn", new JsonObject()
        .put("urls", new JsonArray().add("turn:t")).put("username", "only"))))
        .hasMessageContaining("moduleConfig.video.turn: give either 'secret'");
    assertThatThrownBy(() -> VideoConfig.from(new JsonObject().put("sfu", new JsonObject().put("url", "ftp://x"))))
        .hasMessageContaining("moduleConfig.video.sfu.url");
  }
}
