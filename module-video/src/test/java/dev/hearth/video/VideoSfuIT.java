package dev.hearth.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.hearth.testkit.ModuleNode.User;
import dev.hearth.testkit.ModuleNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SFU mode: with {@code sfu} configured, JoinRoom hands out a LiveKit access token instead of ICE
 * servers, and the mesh relay is off. The token is checked with nimbus-jose-jwt, not with the
 * module's own code.
 */
class VideoSfuIT {

  static final String KEY = "APIhearthTestKey";
  static final String SECRET = "a-livekit-api-secret-of-32-chars-or-more";

  @TempDir
  Path dir;

  @Test
  void joinAnswersAnHs256TokenWithLiveKitClaims_validForTheConfiguredTtl() throws Exception {
    JsonObject config = new JsonObject().put("sfu", new JsonObject().put("url", "wss://sfu.test")
        .put("apiKey", KEY).put("apiSecret", SECRET).put("tokenTtl", 2));
    try (ModuleNode node = RoomCalls.start(dir.resolve("sfu"), config)) {
      User ann = node.signUp("ann@sfu.test");
      User bob = node.signUp("bob@sfu.test");
      String project = node.project(ann, "Town hall");
      node.invite(ann, project, bob);
      String room = new RoomCalls(node).createRoom(ann, project, "All hands");
      long before = System.currentTimeMillis() / 1000;
      JsonObject joined = new RoomCalls(node).join(bob, project, room).ok();
      long after = System.currentTimeMillis() / 1000;
      assertThat(joined.getString("mode")).isEqualTo("SFU");
      assertThat(joined.getJsonArray("iceServers")).isEmpty();
      JsonObject sfu = joined.getJsonObject("sfu");
      assertThat(sfu.getString("url")).isEqualTo("wss://sfu.test");

      SignedJWT jwt = SignedJWT.parse(sfu.getString("token"));
      assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
      assertThat(jwt.verify(new MACVerifier(SECRET))).isTrue();
      assertThat(jwt.verify(new MACVerifier(SECRET.replace('a', 'b')))).isFalse();
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      assertThat(claims.getIssuer()).isEqualTo(KEY);
      assertThat(claims.getSubject()).isEqualTo(bob.id());
      assertThat(claims.getStringClaim("name")).isEqualTo("u-" + bob.id().substring(0, 4));
      long nbf = claims.getNotBeforeTime().getTime() / 1000;
      long exp = claims.getExpirationTime().getTime() / 1000;
      assertThat(nbf).as("issued during the call").isBetween(before, after);
      assertThat(exp - nbf).isEqualTo(2);
      assertThat(Long.parseLong(sfu.getString("expiresAtSeconds"))).isEqualTo(exp);
      assertThat(claims.getJSONObjectClaim("video")).isEqualTo(Map.of("room", room, "roomJoin", true,
          "canPublish", true, "canSubscribe", true, "canPublishData", true));

      // That it stops being valid after the TTL is SfuTokensTest's, at chosen issue times (no sleeping
      // until it expires, which would test the JWT library's clock rather than Hearth).

      // No mesh relay in SFU mode.
      new RoomCalls(node).join(ann, project, room).ok();
      assertThat(new RoomCalls(node).signal(ann, project, room, bob, "OFFER", "{}").code()).isEqualTo("FAILED_PRECONDITION");
    }
  }

  @Test
  void aBadSfuConfig_failsTheModuleStart_namingTheKey() {
    JsonObject config = new JsonObject().put("sfu", new JsonObject().put("url", "wss://sfu.test")
        .put("apiKey", KEY).put("apiSecret", "short"));
    assertThatThrownBy(() -> RoomCalls.start(dir.resolve("bad"), config).close())
        .hasMessageContaining("moduleConfig.video.sfu.apiSecret").hasMessageContaining("32 characters");
  }
}
