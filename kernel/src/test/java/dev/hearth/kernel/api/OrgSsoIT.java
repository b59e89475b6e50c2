package dev.hearth.kernel.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.testing.MockOidcProvider;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * An org's own OpenID Connect provider against a real provider process (mock-oauth2-server, issuer
 * "acme"): its admin configures it (discovery checked, the secret never read back), and people of
 * its domain sign in into the org with the roles its claim mapping gives, followed at each sign-in.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrgSsoIT {

  @TempDir static Path tmp;
  static MockOidcProvider idp;
  static TestNode node;
  static TestRest rest;
  static String alice;
  static String org;
  static String eng;
  static String sales;
  static String ops;

  @BeforeAll
  static void start() throws Exception {
    idp = MockOidcProvider.start(tmp);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // No node-wide provider: the public address alone, and the provider on loopback allowed (it runs here).
    JsonObject sso = new JsonObject().put("publicUrl", "http://127.0.0.1:" + port).put("allowPrivateIssuers", true);
    node = TestNode.start(tmp, options -> options.setPort(port).setIdentity(TestNode.testIdentity().put("sso", sso)));
    rest = node.rest;
    alice = node.signUp("alice@acme.test", "alice's long password");
    org = rest.post("/v1/orgs", alice, new JsonObject().put("name", "Acme")).ok().getString("id");
    eng = project("Eng");
    sales = project("Sales");
    ops = project("Ops");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
    if (idp != null) idp.close();
  }

  static String project(String name) throws Exception {
    return rest.post("/v1/orgs/" + org + "/projects", alice, new JsonObject().put("name", name)).ok().getString("id");
  }

  static JsonObject provider(String issuer) {
    return new JsonObject().put("name", "Acme ID").put("issuer", issuer).put("clientId", "hearth-acme")
        .put("clientSecret", "acme-client-secret-123").put("allowedDomains", new JsonArray().add("acme.test"))
        .put("rules", new JsonArray()
            .add(rule("groups", "eng", eng, "project-user"))
            .add(rule("groups", "eng-leads", eng, "project-admin"))
            .add(rule("groups", "sales", sales, "project-user"))
            .add(rule("groups", "admins", "", "org-admin")));
  }

  static JsonObject rule(String claim, String value, String project, String role) {
    return new JsonObject().put("claim", claim).put("value", value).put("projectId", project).put("role", role);
  }

  static TestRest.Response put(String token, JsonObject body) throws Exception {
    return rest.call("PUT", "/v1/orgs/" + org + "/sso", token, body);
  }

  @Test
  @Order(1)
  void theOrgAdmin_configuresTheProvider_checkedByDiscovery_andTheSecretIsNeverReadBack() throws Exception {
    assertThat(rest.get("/v1/orgs/" + org + "/sso", alice).ok().getBoolean("configured")).isFalse();

    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    TestRest.Response unreachable = put(alice, provider("http://127.0.0.1:" + closed + "/nobody"));
    assertThat(unreachable.code()).isEqualTo("INVALID_ARGUMENT");
    assertThat(unreachable.body().getJsonObject("details").getString("field")).isEqualTo("issuer");
    assertThat(unreachable.body().getString("message")).startsWith("issuer: cannot reach");
    // The node itself answers HTTP but is no OpenID Connect provider.
    TestRest.Response notOidc = put(alice, provider("http://127.0.0.1:" + node.port() + "/v1"));
    assertThat(notOidc.code()).isEqualTo("INVALID_ARGUMENT");
    assertThat(notOidc.body().getJsonObject("details").getString("field")).isEqualTo("issuer");
    TestRest.Response noDomain = put(alice, provider(idp.issuer("acme")).put("allowedDomains", new JsonArray()));
    assertThat(noDomain.body().getJsonObject("details").getString("field")).isEqualTo("allowedDomains");
    String otherOrg = rest.post("/v1/orgs", alice, new JsonObject().put("name", "Elsewhere")).ok().getString("id");
    String foreign = rest.post("/v1/orgs/" + otherOrg + "/projects", alice, new JsonObject().put("name", "X")).ok().getString("id");
    TestRest.Response foreignProject = put(alice, provider(idp.issuer("acme"))
        .put("rules", new JsonArray().add(rule("groups", "x", foreign, "project-user"))));
    assertThat(foreignProject.body().getJsonObject("details").getString("field")).isEqualTo("rules[0].projectId");
    assertThat(rest.get("/v1/orgs/" + org + "/sso", alice).ok().getBoolean("configured")).isFalse();

    JsonObject saved = put(alice, provider(idp.issuer("acme"))).ok();
    assertThat(saved.getBoolean("configured")).isTrue();
    assertThat(saved.getBoolean("hasClientSecret")).isTrue();
    assertThat(saved.getString("providerId")).isEqualTo("org-" + org);
    assertThat(saved.getString("signInPath")).isEqualTo("/#/o/" + org);
    assertThat(saved.getString("redirectUri")).isEqualTo("http://127.0.0.1:" + node.port() + "/v1/auth/sso/callback");
    assertThat(saved.getJsonArray("rules")).hasSize(4);
    assertThat(saved.encode()).doesNotContain("acme-client-secret-123");
    JsonObject read = rest.get("/v1/orgs/" + org + "/sso", alice).ok();
    assertThat(read.encode()).doesNotContain("acme-client-secret-123");
    assertThat(read.getString("issuer")).isEqualTo(idp.issuer("acme"));
    // Saved again without a secret: the stored one stays.
    JsonObject withoutSecret = provider(idp.issuer("acme"));
    withoutSecret.remove("clientSecret");
    JsonObject kept = put(alice, withoutSecret).ok();
    assertThat(kept.getBoolean("hasClientSecret")).isTrue();
    assertThat(kept.getString("name")).isEqualTo("Acme ID");
  }

  @Test
  @Order(2)
  void anotherOrgsAdmin_cannotReadOrChangeTheProvider_aSysAdminCan() throws Exception {
    String bob = node.signUp("bob@bob.test", "bob's long password");
    rest.post("/v1/orgs", bob, new JsonObject().put("name", "Bob's")).ok();
    assertThat(rest.get("/v1/orgs/" + org + "/sso", bob).code()).isEqualTo("PERMISSION_DENIED");
    assertThat(put(bob, provider(idp.issuer("other"))).code()).isEqualTo("PERMISSION_DENIED");
    assertThat(rest.call("DELETE", "/v1/orgs/" + org + "/sso", bob, null).code()).isEqualTo("PERMISSION_DENIED");
    assertThat(rest.get("/v1/orgs/" + org + "/sso", null).status()).isEqualTo(401);
    node.createSysAdmin("root@node.test", "root's long password");
    String root = rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@node.test")
        .put("password", "root's long password")).ok().getString("accessToken");
    JsonObject asRoot = rest.get("/v1/orgs/" + org + "/sso", root).ok();
    assertThat(asRoot.getString("issuer")).isEqualTo(idp.issuer("acme"));
    assertThat(asRoot.encode()).doesNotContain("acme-client-secret-123");
  }

  static JsonObject claims(String email, String... groups) {
    JsonArray g = new JsonArray();
    for (String s : groups) g.add(s);
    return new JsonObject().put("email", email).put("email_verified", true).put("name", "Carol Acme").put("groups", g);
  }

  record Flow(JsonObject started, String flowId) {}

  static Flow signIn(String subject, JsonObject claims) throws Exception {
    JsonObject started = rest.post("/v1/auth/sso/start", null, new JsonObject().put("provider", "org-" + org)
        .put("returnTo", "/o/" + org)).ok();
    assertThat(started.getString("authorizationUrl")).startsWith(idp.issuer("acme") + "/authorize?");
    URI redirect = idp.logIn(started.getString("authorizationUrl"), subject, claims.encode());
    String[] callback = MockOidcProvider.get(redirect);
    assertThat(callback[0]).isEqualTo("303");
    Matcher m = Pattern.compile("^/o/" + org + "\\?sso=([^&#]+)").matcher(callback[1]);
    assertThat(m.find()).as(callback[1]).isTrue();
    return new Flow(started, m.group(1));
  }

  static TestRest.Response complete(Flow f, String password) throws Exception {
    JsonObject body = new JsonObject().put("flowId", f.flowId()).put("handoff", f.started().getString("handoff"));
    if (password != null) body.put("password", password);
    return rest.post("/v1/auth/sso/complete", null, body);
  }

  /** The caller's roles in the org: scope ("org" or the project's id) → role. */
  static Map<String, String> roles(String token) throws Exception {
    Map<String, String> out = new TreeMap<>();
    JsonArray all = rest.get("/v1/me", token).ok().getJsonArray("memberships", new JsonArray());
    for (Object o : all) {
      JsonObject m = (JsonObject) o;
      if (!org.equals(m.getString("orgId"))) continue;
      out.put(m.getString("projectId", "").isEmpty() ? "org" : m.getString("projectId"), m.getString("role"));
    }
    return out;
  }

  @Test
  @Order(3)
  void theSignInPage_findsTheProvider_byTheOrgsAddressOrByTheEmailsDomain() throws Exception {
    JsonArray byOrg = rest.get("/v1/auth/sso/providers?orgId=" + org, null).ok().getJsonArray("providers");
    assertThat(byOrg).hasSize(1);
    assertThat(byOrg.getJsonObject(0).getMap()).containsEntry("id", "org-" + org).containsEntry("name", "Acme ID")
        .containsEntry("orgName", "Acme");
    JsonArray byEmail = rest.get("/v1/auth/sso/providers?email=someone%40ACME.test", null).ok().getJsonArray("providers");
    assertThat(byEmail.getJsonObject(0).getString("id")).isEqualTo("org-" + org);
    assertThat(rest.get("/v1/auth/sso/providers?email=someone%40other.test", null).ok()
        .getJsonArray("providers", new JsonArray())).isEmpty();
  }

  @Test
  @Order(4)
  void aFirstSignIn_createsTheAccountInTheOrg_withTheMappedRoles_andEachSignInFollowsTheProvider() throws Exception {
    JsonObject first = complete(signIn("carol-sub", claims("carol@acme.test", "eng", "sales")), null).ok();
    String carol = first.getString("accessToken");
    assertThat(rest.get("/v1/me", carol).ok().getString("email")).isEqualTo("carol@acme.test");
    assertThat(roles(carol)).isEqualTo(Map.of(eng, "project-user", sales, "project-user"));
    assertThat(rest.get("/v1/projects/" + eng, carol).status()).isEqualTo(200);

    // An admin gives her a role of their own in Ops: the provider never takes that away.
    String code = rest.post("/v1/projects/" + ops + "/invites", alice, new JsonObject().put("role", "project-user"))
        .ok().getString("code");
    rest.post("/v1/invites/redeem", carol, new JsonObject().put("code", code)).ok();

    // Promoted to eng-leads and out of sales at the provider: the next sign-in follows.
    JsonObject second = complete(signIn("carol-sub", claims("carol@acme.test", "eng-leads", "admins")), null).ok();
    assertThat(second.getString("userId")).isEqualTo(first.getString("userId"));
    assertThat(roles(second.getString("accessToken")))
        .isEqualTo(Map.of("org", "org-admin", eng, "project-admin", ops, "project-user"));

    // Out of every group: what the mapping gave goes; the invite's role stays.
    JsonObject third = complete(signIn("carol-sub", claims("carol@acme.test")), null).ok();
    assertThat(roles(third.getString("accessToken"))).isEqualTo(Map.of(ops, "project-user"));
    assertThat(rest.get("/v1/projects/" + eng, third.getString("accessToken")).code()).isEqualTo("PERMISSION_DENIED");
  }

  @Test
  @Order(5)
  void aUserOfAnotherDomain_isRefused_andNoAccountIsMade() throws Exception {
    TestRest.Response r = complete(signIn("dave-sub", claims("dave@other.test", "eng")), null);
    assertThat(r.code()).isEqualTo("PERMISSION_DENIED");
    assertThat(r.body().getJsonObject("details").getString("field")).isEqualTo("email");
    assertThat(r.body().getString("message")).contains("dave@other.test may not sign in with Acme ID (allowed: acme.test)");
    // The address is still free: nobody was created for it.
    assertThat(rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "dave@other.test")
        .put("password", "dave's long password")).status()).isEqualTo(200);
  }

  @Test
  @Order(6)
  void anExistingPasswordAccount_isLinkedOnlyWithItsPassword_thenMapped() throws Exception {
    node.signUp("erin@acme.test", "erin's long password");
    Flow f = signIn("erin-sub", claims("erin@acme.test", "sales"));
    TestRest.Response asked = complete(f, null);
    assertThat(asked.code()).isEqualTo("FAILED_PRECONDITION");
    assertThat(asked.body().getJsonObject("details").getString("linkRequired")).isEqualTo("true");
    assertThat(complete(f, "not erin's password").code()).isEqualTo("UNAUTHENTICATED");
    JsonObject linked = complete(f, "erin's long password").ok();
    assertThat(roles(linked.getString("accessToken"))).isEqualTo(Map.of(sales, "project-user"));
  }

  @Test
  @Order(7)
  void theAdminRemovesTheProvider_andItCanNoLongerStartASignIn() throws Exception {
    assertThat(rest.call("DELETE", "/v1/orgs/" + org + "/sso", alice, null).status()).isEqualTo(200);
    assertThat(rest.get("/v1/orgs/" + org + "/sso", alice).ok().getBoolean("configured")).isFalse();
    TestRest.Response r = rest.post("/v1/auth/sso/start", null, new JsonObject().put("provider", "org-" + org));
    assertThat(r.code()).isEqualTo("INVALID_ARGUMENT");
    assertThat(r.body().getJsonObject("details").getString("field")).isEqualTo("provider");
  }
}
