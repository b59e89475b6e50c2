package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.testing.MockOidcProvider;
import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * "Sign in with …" in Chromium through a real OpenID Connect provider's login page
 * ({@code ui-schemas/web/e2e/sso.test.mjs}). A node of its own: single sign-on is node configuration,
 * and the shared node's sign-in page would change for every other script. {@link WebTasksIT} runs it
 * beside tasks-admin, which has the shared node to itself: this node is not that one.
 */
final class SsoInBrowser implements AutoCloseable {

  private final MockOidcProvider idp;
  private TestNode node;
  private final Path shots;
  final Browser.Job job;

  /**
   * Starts the provider and a node under {@code dir} that trusts it for example.org (and lets an org
   * admin name it, on loopback, as their org's provider); Lin has an account already.
   */
  SsoInBrowser(Path dir, Path shots) throws Exception {
    this.shots = shots;
    idp = MockOidcProvider.start(Files.createDirectories(dir));
    try {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      JsonObject sso = new JsonObject().put("publicUrl", "http://127.0.0.1:" + port).put("providers", new JsonArray()
          .add(new JsonObject().put("id", "corp").put("name", "Corp ID").put("issuer", idp.issuer("default"))
              .put("clientId", "hearth-web").put("allowedDomains", new JsonArray().add("example.org"))))
          // An org's own provider runs on this machine too (issuer "northwind" of the same process).
          .put("allowPrivateIssuers", true);
      node = TestNode.start(dir, o -> o.setPort(port).setIdentity(TestNode.testIdentity().put("sso", sso)));
      String linked = node.signUp("lin@example.org", "lin-password-1");
      assertThat(linked).isNotBlank();
      job = Browser.Job.script("sso", "e2e/sso.test.mjs", Map.of("HEARTH_URL", "http://127.0.0.1:" + port,
          "HEARTH_SCREENSHOTS", shots.toString(), "HEARTH_LINK_EMAIL", "lin@example.org",
          "HEARTH_LINK_PASSWORD", "lin-password-1", "HEARTH_ORG_ISSUER", idp.issuer("northwind")));
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /** Signing in with the provider created or linked the account, and a foreign domain was refused, in the browser. */
  void check(Browser.Result run) throws Exception {
    assertThat(run.exitCode()).as("e2e/sso.test.mjs failed:%n%s", run.output()).isZero();
    for (String shot : new String[] {"sso-sign-in", "sso-link", "sso-org-admin", "sso-org-sign-in"}) {
      for (String v : new String[] {"desktop-light", "desktop-dark", "phone-light", "phone-dark"}) {
        assertThat(shots.resolve(shot + "-" + v + ".png")).isNotEmptyFile();
      }
    }
    // Nina's account was made by her first sign-in; Lin's existing one was linked, not duplicated.
    JsonObject root = new JsonObject().put("email", "root@sso.test").put("password", "root-password-1");
    node.createSysAdmin(root.getString("email"), root.getString("password"));
    String admin = node.rest.post("/v1/auth/log-in", null, root).ok().getString("accessToken");
    JsonArray users = node.rest.get("/v1/admin/users", admin).ok().getJsonArray("users");
    assertThat(users.stream().map(u -> ((JsonObject) u).getString("email")))
        .contains("nina@example.org", "lin@example.org", "max@northwind.test").doesNotContain("eve@evil.test")
        .filteredOn("lin@example.org"::equals).hasSize(1);
  }

  /** The node, then the provider. */
  @Override
  public void close() throws InterruptedException {
    try {
      if (node != null) node.close();
    } finally {
      idp.close();
    }
  }
}
