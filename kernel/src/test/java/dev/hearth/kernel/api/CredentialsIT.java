package dev.hearth.kernel.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import com.google.common.io.BaseEncoding;
import dev.hearth.kernel.crypto.KeyVault;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.identity.JwtKeys;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials against a live node: forged or stale access tokens are refused with 401
 * UNAUTHENTICATED, refresh tokens rotate and their reuse ends the session, log-in is rate
 * limited per account, and a disabled account or ended session stops working at once.
 */
class CredentialsIT {

  @TempDir static Path tmp;
  static TestNode node;
  static JsonObject session;
  static final String ME = "/v1/me";

  @BeforeAll
  static void start() throws Exception {
    // Ten failures per account (the default), a roomy per-address limit so the test's own calls fit.
    node = TestNode.start(tmp, new JsonObject().put("authAttemptsPerAddress", 1000).put("writesPerUserPerMinute", 30));
    session = node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "jo@cred.test")
        .put("password", "jo-password-123")).ok();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject part(String jwt, int i) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]), StandardCharsets.UTF_8));
  }

  private static void assertRefused(String token) throws Exception {
    TestRest.Response r = node.rest.get(ME, token);
    assertThat(r.status()).as(r.body().encode()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("UNAUTHENTICATED");
  }

  @Test
  void forgedAndStaleTokens_areUnauthenticated() throws Exception {
    String good = session.getString("accessToken");
    assertThat(node.rest.get(ME, good).status()).isEqualTo(200);
    JsonObject header = part(good, 0);
    JsonObject payload = part(good, 1);

    // alg: none, no signature.
    assertRefused(b64(header.copy().put("alg", "none").encode()) + "." + b64(payload.encode()) + ".");
    // HS256 "signed" with the node's public key as the HMAC secret (the classic key-confusion attack).
    String jwks = node.rest.get("/.well-known/jwks.json", null).ok().encode();
    String hsInput = b64(header.copy().put("alg", "HS256").encode()) + "." + b64(payload.encode());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(jwks.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    assertRefused(hsInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        mac.doFinal(hsInput.getBytes(StandardCharsets.US_ASCII))));
    // Tampered payload: another subject, signature kept.
    String[] p = good.split("\\.");
    assertRefused(p[0] + "." + b64(payload.copy().put("sub", "someone-else").encode()) + "." + p[2]);
    // Unknown kid.
    assertRefused(b64(header.copy().put("kid", "AAAAAA").encode()) + "." + p[1] + "." + p[2]);

    // Correctly signed with the node's own key, but for another audience, and expired: made with the
    // node's keyset through a second JwtKeys over the same vault.
    KeyVault vault = KeyVault.open(tmp.resolve("data/keys"), MasterKey.loadOrCreate(tmp.resolve("master.key")).key());
    String issuer = payload.getString("iss");
    JwtKeys other = JwtKeys.open(vault, JwtKeys.Options.of(issuer, "not-hearth"));
    assertRefused(other.issue(payload.getString("sub"), payload.getString("sid"), Map.of()));
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
    JwtKeys stale = JwtKeys.open(vault, JwtKeys.Options.of(issuer, "hearth").withClock(past));
    String expired = stale.issue(payload.getString("sub"), payload.getString("sid"), Map.of());
    assertRefused(expired);
    assertThat(node.rest.get(ME, expired).body().getString("message")).contains("expired");
    // The same keys, fresh and for the right audience: accepted (so the refusals above are about the claims).
    JwtKeys same = JwtKeys.open(vault, JwtKeys.Options.of(issuer, "hearth"));
    assertThat(node.rest.get(ME, same.issue(payload.getString("sub"), payload.getString("sid"), Map.of())).status())
        .isEqualTo(200);
  }

  @Test
  void refreshRotates_andReuseEndsTheSession() throws Exception {
    JsonObject s = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "jo@cred.test")
        .put("password", "jo-password-123")).ok();
    String r1 = s.getString("refreshToken");
    JsonObject s2 = node.rest.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", r1)).ok();
    assertThat(s2.getString("refreshToken")).isNotEqualTo(r1);
    assertThat(node.rest.get(ME, s2.getString("accessToken")).status()).isEqualTo(200);
    // r1 is spent: presenting it again is reuse, and ends the whole session.
    TestRest.Response reuse = node.rest.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", r1));
    assertThat(reuse.status()).isEqualTo(401);
    assertRefused(s2.getString("accessToken"));
    assertThat(node.rest.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", s2.getString("refreshToken")))
        .status()).isEqualTo(401);
  }

  @Test
  void writesBeyondTheUsersLimit_get429_readsDoNot() throws Exception {
    String t = node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "busy@cred.test")
        .put("password", "busy-password-1")).ok().getString("accessToken");
    String org = node.rest.post("/v1/orgs", t, new JsonObject().put("name", "Busy")).ok().getString("id");
    TestRest.Response last = null;
    for (int i = 0; i < 30; i++) {
      last = node.rest.call("PATCH", "/v1/orgs/" + org, t, new JsonObject().put("description", "edit " + i));
      if (last.status() == 429) break;
    }
    assertThat(last.status()).isEqualTo(429);
    assertThat(last.body().getString("message")).contains("too many changes");
    assertThat(node.rest.get("/v1/orgs/" + org, t).status()).isEqualTo(200);
  }

  @Test
  void publicCalls_ignoreAStaleBearer() throws Exception {
    JsonObject s = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "jo@cred.test")
        .put("password", "jo-password-123")).ok();
    // A client that always sends its last access token, now garbage, can still refresh and log in.
    node.rest.post("/v1/auth/refresh", "not-a-token", new JsonObject().put("refreshToken", s.getString("refreshToken"))).ok();
    node.rest.post("/v1/auth/log-in", "not-a-token", new JsonObject().put("email", "jo@cred.test")
        .put("password", "jo-password-123")).ok();
    assertThat(node.rest.get(ME, "not-a-token").status()).isEqualTo(401);
  }

  @Test
  void logOut_endsTheSessionAtOnce() throws Exception {
    JsonObject s = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "jo@cred.test")
        .put("password", "jo-password-123")).ok();
    String access = s.getString("accessToken");
    node.rest.post("/v1/auth/log-out", access, new JsonObject()).ok();
    assertRefused(access);
  }

  @Test
  void eleventhFailedLogIn_isRefusedWith429_whileOtherAccountsLogIn() throws Exception {
    node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "victim@cred.test").put("password", "victim-password-1")).ok();
    node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "other@cred.test").put("password", "other-password-1")).ok();
    for (int i = 1; i <= 10; i++) {
      TestRest.Response r = node.rest.post("/v1/auth/log-in", null,
          new JsonObject().put("email", "victim@cred.test").put("password", "guess-" + i + "-wrong"));
      assertThat(r.status()).as("attempt %d", i).isEqualTo(401);
    }
    TestRest.Response eleventh = node.rest.post("/v1/auth/log-in", null,
        new JsonObject().put("email", "victim@cred.test").put("password", "victim-password-1"));
    assertThat(eleventh.status()).isEqualTo(429);
    assertThat(eleventh.code()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(eleventh.headers().firstValue("Retry-After")).isPresent();
    assertThat(eleventh.body().getJsonObject("details").getString("retryAfterSeconds")).isNotEmpty();
    node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "other@cred.test").put("password", "other-password-1")).ok();
  }

  @Test
  void apiToken_worksUntilRevoked_andIsShownOnce() throws Exception {
    String access = session.getString("accessToken");
    JsonObject created = node.rest.post("/v1/me/api-tokens", access, new JsonObject().put("name", "ci")).ok();
    String secret = created.getString("secret");
    assertThat(node.rest.get(ME, secret).status()).isEqualTo(200);
    JsonObject listed = node.rest.get("/v1/me/api-tokens", access).ok();
    for (int i = 0; i < 50 && !listed.getJsonArray("tokens").getJsonObject(0).containsKey("lastUsedAt"); i++) {
      Thread.sleep(100); // the use is recorded asynchronously
      listed = node.rest.get("/v1/me/api-tokens", access).ok();
    }
    assertThat(listed.getJsonArray("tokens").getJsonObject(0).getString("lastUsedAt")).isNotEmpty();
    String id = created.getJsonObject("token").getString("id");
    assertThat(secret).startsWith("hth_" + id + "_");
    // The list names the token but never holds its secret part.
    assertThat(listed.encode()).contains(id).doesNotContain(secret.substring(("hth_" + id + "_").length()));
    node.rest.call("DELETE", "/v1/me/api-tokens/" + created.getJsonObject("token").getString("id"), access, null).ok();
    assertRefused(secret);
  }

  @Test
  void closedRegistration_needsAnInvite() throws Exception {
    node.createSysAdmin("admin@cred.test", "admin-password-1");
    String admin = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "admin@cred.test")
        .put("password", "admin-password-1")).ok().getString("accessToken");
    node.rest.call("PATCH", "/v1/admin/settings", admin, new JsonObject().put("registrationsOpen", false)).ok();
    try {
      TestRest.Response closed = node.rest.post("/v1/auth/sign-up", null,
          new JsonObject().put("email", "late@cred.test").put("password", "late-password-1"));
      assertThat(closed.status()).isEqualTo(412);
      String org = node.rest.post("/v1/orgs", admin, new JsonObject().put("name", "Closed")).ok().getString("id");
      String code = node.rest.post("/v1/orgs/" + org + "/invites", admin, new JsonObject()).ok().getString("code");
      node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "late@cred.test")
          .put("password", "late-password-1").put("inviteCode", code)).ok();
      JsonObject audit = node.rest.get("/v1/admin/audit", admin).ok();
      assertThat(audit.getJsonArray("events").getJsonObject(0).getString("action"))
          .isEqualTo("hearth.admin.v1.AdminService/UpdateSettings");
    } finally {
      node.rest.call("PATCH", "/v1/admin/settings", admin, new JsonObject().put("registrationsOpen", true)).ok();
    }
  }

  @Test
  void totp_onceOn_isNeededToLogIn_andACodeWorksOnce() throws Exception {
    JsonObject s = node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "otp@cred.test")
        .put("password", "otp-password-123")).ok();
    String access = s.getString("accessToken");
    JsonObject enrol = node.rest.post("/v1/me/totp/enrol", access, new JsonObject().put("password", "otp-password-123")).ok();
    assertThat(enrol.getString("uri")).startsWith("otpauth://totp/").contains("secret=" + enrol.getString("secret"));
    TestRest.Response wrong = node.rest.post("/v1/me/totp/verify", access, new JsonObject().put("code", "000000"));
    assertThat(wrong.status()).isEqualTo(400);
    String secret = enrol.getString("secret");
    node.rest.post("/v1/me/totp/verify", access, new JsonObject().put("code", code(secret, 0))).ok();

    JsonObject login = new JsonObject().put("email", "otp@cred.test").put("password", "otp-password-123");
    TestRest.Response noCode = node.rest.post("/v1/auth/log-in", null, login);
    assertThat(noCode.status()).isEqualTo(401);
    assertThat(noCode.body().getJsonObject("details").getString("field")).isEqualTo("totpCode");
    // The code used to turn TOTP on is spent; the next step's code (accepted for clock drift) works once.
    String next = code(secret, 30);
    node.rest.post("/v1/auth/log-in", null, login.copy().put("totpCode", next)).ok();
    assertThat(node.rest.post("/v1/auth/log-in", null, login.copy().put("totpCode", next)).status()).isEqualTo(401);
  }

  private static String code(String base32, int secondsAhead) throws Exception {
    var gen = new TimeBasedOneTimePasswordGenerator();
    var key = new SecretKeySpec(
        BaseEncoding.base32().omitPadding().decode(base32), gen.getAlgorithm());
    return String.format("%06d", gen.generateOneTimePassword(key, Instant.now().plusSeconds(secondsAhead)));
  }

  @Test
  void disabledAccount_losesAccessAtOnce() throws Exception {
    node.createSysAdmin("ops@cred.test", "ops-password-123");
    String admin = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "ops@cred.test")
        .put("password", "ops-password-123")).ok().getString("accessToken");
    JsonObject victim = node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "gone@cred.test")
        .put("password", "gone-password-1")).ok();
    node.rest.post("/v1/admin/users/" + victim.getString("userId") + "/disable", admin, new JsonObject()).ok();
    assertRefused(victim.getString("accessToken"));
    assertThat(node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "gone@cred.test")
        .put("password", "gone-password-1")).status()).isEqualTo(401);
  }
}
