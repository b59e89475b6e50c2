package dev.hearth.video;

import dev.hearth.video.v1.IceServer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ICE servers a mesh participant gets: the configured STUN URLs, and TURN with credentials.
 * With a shared secret, credentials are the "TURN REST API" kind coturn checks with
 * {@code use-auth-secret}: username {@code <expiry unix seconds>:<userId>}, credential
 * base64(HMAC-SHA1(secret, username)). They expire on their own, so a leaked one is short-lived and
 * the secret never leaves the node.
 */
final class IceServers {

  private final VideoConfig config;

  IceServers(VideoConfig config) {
    this.config = config;
  }

  List<IceServer> forUser(String userId, long nowSeconds) {
    List<IceServer> out = new ArrayList<>();
    if (!config.stun().isEmpty()) out.add(IceServer.newBuilder().addAllUrls(config.stun()).build());
    VideoConfig.Turn turn = config.turn();
    if (turn != null) {
      IceServer.Builder b = IceServer.newBuilder().addAllUrls(turn.urls());
      if (turn.secret().isEmpty()) {
        b.setUsername(turn.username()).setCredential(turn.credential());
      } else {
        String username = (nowSeconds + turn.ttlSeconds()) + ":" + userId;
        b.setUsername(username).setCredential(restCredential(turn.secret(), username));
      }
      out.add(b.build());
    }
    return out;
  }

  static String restCredential(String secret, String username) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA1", e);
    }
  }
}
