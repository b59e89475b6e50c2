package dev.hearth.kernel.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import com.google.common.io.BaseEncoding;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Runs a full auth flow with every logger at DEBUG and searches everything logged — messages,
 * arguments, stack traces — for the passwords, tokens, codes and secrets that went through it.
 */
class NoSecretsInLogsIT {

  @TempDir Path tmp;

  @Test
  void fullAuthFlow_logsNoSecret() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    root.setLevel(Level.DEBUG);
    List<String> secrets = new ArrayList<>();
    try (TestNode node = TestNode.start(tmp)) {
      TestRest rest = node.rest;
      secrets.add("first-password-123");
      JsonObject s = rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "sam@logs.test")
          .put("password", "first-password-123")).ok();
      secrets.add(s.getString("accessToken"));
      secrets.add(s.getString("refreshToken"));
      JsonObject r = rest.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", s.getString("refreshToken"))).ok();
      String access = r.getString("accessToken");
      secrets.add(access);
      secrets.add(r.getString("refreshToken"));
      // A wrong password and a reused refresh token: failures are where secrets tend to slip into logs.
      rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "sam@logs.test").put("password", "wrong-password-456"));
      secrets.add("wrong-password-456");
      rest.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", s.getString("refreshToken")));
      JsonObject login = rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "sam@logs.test")
          .put("password", "first-password-123")).ok();
      access = login.getString("accessToken");
      secrets.add(access);
      secrets.add(login.getString("refreshToken"));

      String apiToken = rest.post("/v1/me/api-tokens", access, new JsonObject().put("name", "logs")).ok().getString("secret");
      secrets.add(apiToken);
      rest.get("/v1/me", apiToken).ok();
      rest.get("/v1/me", apiToken + "x");

      rest.post("/v1/me/password", access, new JsonObject().put("currentPassword", "first-password-123")
          .put("newPassword", "second-password-789")).ok();
      secrets.add("second-password-789");
      JsonObject totp = rest.post("/v1/me/totp/enrol", access, new JsonObject().put("password", "second-password-789")).ok();
      secrets.add(totp.getString("secret"));
      String code = totpCode(totp.getString("secret"));
      rest.post("/v1/me/totp/verify", access, new JsonObject().put("code", code)).ok();

      String org = rest.post("/v1/orgs", access, new JsonObject().put("name", "Logs")).ok().getString("id");
      String invite = rest.post("/v1/orgs/" + org + "/invites", access, new JsonObject()).ok().getString("code");
      secrets.add(invite);

      node.createSysAdmin("root@logs.test", "root-password-123");
      secrets.add("root-password-123");
      String admin = rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@logs.test")
          .put("password", "root-password-123")).ok().getString("accessToken");
      String userId = s.getString("userId");
      String reset = rest.post("/v1/admin/users/" + userId + "/reset-password", admin, new JsonObject()).ok().getString("newPassword");
      secrets.add(reset);
    } finally {
      root.detachAppender(captured);
      root.setLevel(before);
    }
    StringBuilder all = new StringBuilder();
    for (ILoggingEvent e : captured.list) {
      all.append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) all.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
      if (e.getMDCPropertyMap() != null) all.append(e.getMDCPropertyMap()).append('\n');
    }
    assertThat(captured.list).as("the flow logged something, so the search means something").isNotEmpty();
    for (String secret : secrets) {
      assertThat(all.toString()).as("logs must not contain a secret").doesNotContain(secret);
      // Tokens also must not appear in part (a JWT's signature, a refresh token's secret half).
      String tail = secret.length() > 24 ? secret.substring(secret.length() - 24) : secret;
      assertThat(all.toString()).doesNotContain(tail);
    }
  }

  private static String totpCode(String base32) throws Exception {
    TimeBasedOneTimePasswordGenerator gen = new TimeBasedOneTimePasswordGenerator();
    SecretKeySpec key = new SecretKeySpec(BaseEncoding.base32().omitPadding().decode(base32), gen.getAlgorithm());
    return String.format("%06d", gen.generateOneTimePassword(key, Instant.now()));
  }
}
