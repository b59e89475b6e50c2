package dev.hearth.kernel.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.Main;
import dev.hearth.kernel.testing.MockOidcProvider;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Files;
import java.util.Map;

/**
 * OpenID Connect sign-in against a real provider process (mock-oauth2-server): the whole
 * authorization code flow with PKCE through the provider's login form, the node's callback and
 * CompleteSso; and every forged or misdirected answer refused with a message that says why.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SsoIT {

  @TempDir static Path tmp;
  static MockOidcProvider idp;
  static TestNode node;
  static TestRest rest;

  @BeforeAll
  static void start() throws Exception {
    idp = MockOidcProvider.start(tmp);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // Private issuers allowed: the org provider of the last test is this machine's mock provider too.
    JsonObject sso = new JsonObject().put("publicUrl", "http://127.0.0.1:" + port).put("allowPrivateIssuers", true)
        .put("providers", new JsonArray()
        .add(new JsonObject().put("id", "corp").put("name", "Corp ID").put("issuer", idp.issuer("default"))
            .put("clientId", "hearth-test").put("clientSecret", "s3cret")
            .put("allowedDomains", new JsonArray().add("example.org"))));
    node = TestNode.start(tmp, options -> options.setPort(port).setIdentity(TestNode.testIdentity().put("sso", sso)));
    rest = node.rest;
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
    if (idp != null) idp.close();
  }

  /** StartSso → the provider's login form → the node's callback; the callback's answer (status, location or text). */
  record Answer(JsonObject started, String[] callback) {
    String flowId() {
      Matcher m = Pattern.compile("[?&]sso=([^&#]+)").matcher(callback[1]);
      assertThat(m.find()).as("callback went to " + callback[1]).isTrue();
      return m.group(1);
    }
  }

  static JsonObject start(String returnTo) throws Exception {
    return rest.post("/v1/auth/sso/start", null, new JsonObject().put("provider", "corp").put("returnTo", returnTo)).ok();
  }

  static Answer signIn(String subject, JsonObject claims) throws Exception {
    JsonObject started = start("/");
    return new Answer(started, callback(idp.logIn(started.getString("authorizationUrl"), subject, claims.encode())));
  }

  static String[] callback(URI redirect) throws Exception {
    assertThat(redirect.toString()).startsWith("http://127.0.0.1:" + node.port() + "/v1/auth/sso/callback?");
    return MockOidcProvider.get(redirect);
  }

  static TestRest.Response complete(Answer a, String password) throws Exception {
    JsonObject body = new JsonObject().put("flowId", a.flowId()).put("handoff", a.started().getString("handoff"));
    if (password != null) body.put("password", password);
    return rest.post("/v1/auth/sso/complete", null, body);
  }

  static JsonObject claims(String email) {
    return new JsonObject().put("email", email).put("email_verified", true).put("name", "Ann Example");
  }

  @Test
  @Order(1)
  void firstSignIn_createsTheAccount_withASessionLikeAPasswordLogIn_andTheNextOneFindsIt() throws Exception {
    assertThat(rest.get("/v1/auth/sso/providers", null).ok().getJsonArray("providers").getJsonObject(0).getMap())
        .containsEntry("id", "corp").containsEntry("name", "Corp ID");
    Answer a = signIn("ann-sub-1", claims("ann@example.org"));
    assertThat(a.callback()[0]).isEqualTo("303");
    assertThat(a.callback()[1]).startsWith("/?sso=");
    JsonObject session = complete(a, null).ok();
    JsonObject me = rest.get("/v1/me", session.getString("accessToken")).ok();
    assertThat(me.getString("email")).isEqualTo("ann@example.org");
    assertThat(me.getJsonObject("profile").getString("displayName")).isEqualTo("Ann Example");
    // The same refresh-token rotation as a password session.
    JsonObject refreshed = rest.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", session.getString("refreshToken"))).ok();
    assertThat(refreshed.getString("userId")).isEqualTo(session.getString("userId"));
    // No password works for an account made by sign-on.
    assertThat(rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "ann@example.org")
        .put("password", "any password at all")).code()).isEqualTo("UNAUTHENTICATED");
    // The flow is spent: completing it again is refused.
    assertThat(complete(a, null).code()).isEqualTo("UNAUTHENTICATED");

    JsonObject again = complete(signIn("ann-sub-1", claims("ann@example.org")), null).ok();
    assertThat(again.getString("userId")).isEqualTo(session.getString("userId"));
  }

  @Test
  @Order(2)
  void anExistingPasswordAccount_isLinkedOnlyWithItsPassword() throws Exception {
    String bobId = node.signUp("bob@example.org", "bob's long password");
    Answer a = signIn("bob-sub", claims("bob@example.org"));
    TestRest.Response asked = complete(a, null);
    assertThat(asked.code()).isEqualTo("FAILED_PRECONDITION");
    assertThat(asked.body().getJsonObject("details").getString("linkRequired")).isEqualTo("true");
    assertThat(asked.body().getString("message")).contains("bob@example.org exists");
    TestRest.Response wrong = complete(a, "not bob's password");
    assertThat(wrong.code()).isEqualTo("UNAUTHENTICATED");
    assertThat(wrong.body().getString("message")).contains("password");
    JsonObject linked = complete(a, "bob's long password").ok();
    assertThat(rest.get("/v1/me", linked.getString("accessToken")).ok().getString("email")).isEqualTo("bob@example.org");
    // Linked: the next sign-in needs no password.
    JsonObject next = complete(signIn("bob-sub", claims("bob@example.org")), null).ok();
    assertThat(next.getString("userId")).isEqualTo(linked.getString("userId"));
    assertThat(bobId).isNotBlank();
  }

  @Test
  @Order(3)
  void anIdTokenFromAnotherIssuer_isRefused() throws Exception {
    TestRest.Response r = complete(signIn("mallory", claims("mallory@example.org").put("iss", idp.issuer("other"))), null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body().getString("message")).contains("issued by " + idp.issuer("other")).contains("not by " + idp.issuer("default"));
  }

  @Test
  @Order(4)
  void anExpiredIdToken_isRefused() throws Exception {
    long now = Instant.now().getEpochSecond();
    JsonObject c = claims("late@example.org").put("iat", now - 7200).put("nbf", now - 7200).put("exp", now - 3600);
    TestRest.Response r = complete(signIn("late", c), null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body().getString("message")).contains("expired");
  }

  @Test
  @Order(5)
  void aReplayedAnswerOrAnIdTokenOfAnotherSignIn_isRefused() throws Exception {
    // An answer delivered twice: its state was taken the first time.
    JsonObject started = start("/");
    URI redirect = idp.logIn(started.getString("authorizationUrl"), "ann-sub-1", claims("ann@example.org").encode());
    assertThat(callback(redirect)[0]).isEqualTo("303");
    String[] again = callback(redirect);
    assertThat(again[0]).isEqualTo("400");
    assertThat(again[1]).contains("unknown, expired or was used already");

    // An ID token minted for an earlier sign-in (its nonce) slipped into a new one.
    JsonObject first = start("/");
    JsonObject second = start("/");
    String oldNonce = param(first.getString("authorizationUrl"), "nonce");
    String tampered = second.getString("authorizationUrl").replace("nonce=" + param(second.getString("authorizationUrl"), "nonce"),
        "nonce=" + oldNonce);
    Answer a = new Answer(second, callback(idp.logIn(tampered, "ann-sub-1", claims("ann@example.org").encode())));
    TestRest.Response r = complete(a, null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body().getString("message")).contains("nonce does not match");
  }

  @Test
  @Order(5)
  void aDisallowedDomain_anUnverifiedEmail_aForeignReturnAddress_andAWrongHandoff_areRefused() throws Exception {
    TestRest.Response domain = complete(signIn("eve", claims("eve@evil.test")), null);
    assertThat(domain.code()).isEqualTo("PERMISSION_DENIED");
    assertThat(domain.body().getString("message")).contains("eve@evil.test may not sign in with Corp ID");
    assertThat(domain.body().getJsonObject("details").getString("field")).isEqualTo("email");

    TestRest.Response unverified = complete(signIn("una", claims("una@example.org").put("email_verified", false)), null);
    assertThat(unverified.code()).isEqualTo("PERMISSION_DENIED");
    assertThat(unverified.body().getString("message")).contains("has not verified una@example.org");

    TestRest.Response away = rest.post("/v1/auth/sso/start", null, new JsonObject().put("provider", "corp")
        .put("returnTo", "https://evil.example/steal"));
    assertThat(away.code()).isEqualTo("INVALID_ARGUMENT");
    assertThat(away.body().getString("message")).startsWith("returnTo:");
    assertThat(rest.post("/v1/auth/sso/start", null, new JsonObject().put("provider", "nope")).body().getString("message"))
        .contains("nope");

    Answer a = signIn("ann-sub-1", claims("ann@example.org"));
    TestRest.Response stolen = rest.post("/v1/auth/sso/complete", null,
        new JsonObject().put("flowId", a.flowId()).put("handoff", "guessed"));
    assertThat(stolen.code()).isEqualTo("UNAUTHENTICATED");
    assertThat(complete(a, null).status()).isEqualTo(200);
  }

  @Test
  @Order(6)
  void theCli_logsInThroughTheBrowser_withTheLoopbackFlow() throws Exception {
    // The "browser": curl posts the provider's login form and follows the redirects (to the node, then
    // to the CLI's loopback listener), as a browser would.
    Path browser = tmp.resolve("browser.sh");
    Files.writeString(browser, "#!/bin/sh\nexec curl -s -L -o /dev/null --data-urlencode username=cli-sub "
        + "--data-urlencode 'claims={\"email\":\"cli@example.org\",\"email_verified\":true,\"name\":\"Cli\"}' \"$1\"\n");
    browser.toFile().setExecutable(true);
    Map<String, String> env = Map.of("HEARTH_CONFIG_DIR", tmp.resolve("cli").toString(),
        "BROWSER", browser.toString());
    String[] login = Main.run(env, "login", "--url", "http://127.0.0.1:" + node.port(), "--sso", "corp");
    assertThat(login[0]).as(login[2]).isEqualTo("0");
    assertThat(new JsonObject(login[1]).getString("user")).isEqualTo("cli@example.org");
    assertThat(login[2]).contains("sign in with corp in your browser").contains(idp.issuer("default") + "/authorize?");
    // The profile's session works for the next command, as after a password log-in.
    String[] me = Main.run(env, "auth", "me");
    assertThat(me[0]).as(me[2]).isEqualTo("0");
    assertThat(new JsonObject(me[1]).getString("email")).isEqualTo("cli@example.org");
  }

  @Test
  @Order(7)
  void anIdTokenChangedAfterTheProviderSignedIt_isRefused() throws Exception {
    // Between the provider and the node the ID token's email becomes mallory's; the signature is the
    // provider's, over the original payload.
    idp.tamperIdTokens(true);
    try {
      TestRest.Response r = complete(signIn("ann-sub-1", claims("ann@example.org")), null);
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.body().getString("message")).contains("signature does not match the keys Corp ID publishes");
      assertThat(rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "mallory@example.org")
          .put("password", "whatever it is")).code()).isEqualTo("UNAUTHENTICATED");
    } finally {
      idp.tamperIdTokens(false);
    }
    // Untouched tokens pass again: it was the change that was refused.
    assertThat(complete(signIn("ann-sub-1", claims("ann@example.org")), null).status()).isEqualTo(200);
  }

  @Test
  @Order(8)
  void theCli_logsInThroughAnOrgsOwnProvider_intoThatOrg() throws Exception {
    String alice = rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "alice@acme.test")
        .put("password", "a-long-password-1").put("displayName", "Alice")).ok().getString("accessToken");
    String org = rest.post("/v1/orgs", alice, new JsonObject().put("name", "Acme")).ok().getString("id");
    rest.call("PUT", "/v1/orgs/" + org + "/sso", alice, new JsonObject().put("name", "Acme ID")
        .put("issuer", idp.issuer("acme")).put("clientId", "hearth-acme").put("clientSecret", "acme-client-secret-123")
        .put("allowedDomains", new JsonArray().add("acme.test"))
        .put("rules", new JsonArray().add(new JsonObject().put("claim", "groups").put("value", "admins")
            .put("projectId", "").put("role", "org-admin")))).ok();
    Path browser = tmp.resolve("browser-acme.sh");
    Files.writeString(browser, "#!/bin/sh\nexec curl -s -L -o /dev/null --data-urlencode username=acme-sub "
        + "--data-urlencode 'claims={\"email\":\"olga@acme.test\",\"email_verified\":true,\"name\":\"Olga\",\"groups\":[\"admins\"]}' \"$1\"\n");
    browser.toFile().setExecutable(true);
    Map<String, String> env = Map.of("HEARTH_CONFIG_DIR", tmp.resolve("cli-acme").toString(),
        "BROWSER", browser.toString());
    String[] login = Main.run(env, "login", "--url", "http://127.0.0.1:" + node.port(), "--sso", "org-" + org);
    assertThat(login[0]).as(login[2]).isEqualTo("0");
    assertThat(new JsonObject(login[1]).getString("user")).isEqualTo("olga@acme.test");
    assertThat(login[2]).contains(idp.issuer("acme") + "/authorize?");
    // Signed in through Acme's provider, she is in Acme with the role its rule maps her group to.
    String[] orgs = Main.run(env, "tenancy", "list-orgs");
    assertThat(orgs[0]).as(orgs[2]).isEqualTo("0");
    assertThat(orgs[1]).contains(org);
    JsonObject members = rest.get("/v1/orgs/" + org + "/members", alice).ok();
    assertThat(members.getJsonArray("members").stream().map(m -> (JsonObject) m)
        .filter(m -> "Olga".equals(m.getString("displayName"))).map(m -> m.getString("role")))
        .containsExactly("org-admin");
  }

  private static String param(String url, String name) {
    Matcher m = Pattern.compile("[?&]" + name + "=([^&]+)").matcher(url);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }
}
