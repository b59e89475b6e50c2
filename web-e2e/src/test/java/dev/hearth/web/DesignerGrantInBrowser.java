package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Who gets the user-module designer ({@code e2e/designer-grant.test.mjs}, run twice on {@link WebTasksIT}'s
 * shared node): a project-admin only once the sys-admin allows it, and then for his own project only.
 * The designer itself (task 25) is {@code e2e/tasks-designer.test.mjs}. The first run ("off", the node's
 * default) goes with the scripts that leave the setting alone and install no user module; then
 * {@link #allow} turns the grant on; the second run ("on") goes with the scripts that install user
 * modules for the whole node, and the grant is turned off again before tasks-admin, which starts from off.
 */
final class DesignerGrantInBrowser {

  static final String PAT_EMAIL = "pat@grant.web.test";
  static final String PAT_PASSWORD = "pat-password-1";
  static final String UMA_EMAIL = "uma@grant.web.test";
  static final String UMA_PASSWORD = "uma-password-1";

  private final TestNode node;
  private final String kitchen;
  final Browser.Job off;
  final Browser.Job on;

  /**
   * The sys-admin's ({@code admin}'s token) org Home with projects Kitchen, where Pat is a project-admin and Uma
   * a project user, and Garden, where Pat is a project user.
   */
  DesignerGrantInBrowser(TestNode node, Path shots, String admin) throws Exception {
    this.node = node;
    String pat = node.signUp(PAT_EMAIL, PAT_PASSWORD);
    String uma = node.signUp(UMA_EMAIL, UMA_PASSWORD);
    String org = node.rest.post("/v1/orgs", admin, new JsonObject().put("name", "Home")).ok().getString("id");
    kitchen = node.rest.post("/v1/orgs/" + org + "/projects", admin, new JsonObject().put("name", "Kitchen")).ok().getString("id");
    String garden = node.rest.post("/v1/orgs/" + org + "/projects", admin, new JsonObject().put("name", "Garden")).ok().getString("id");
    join(node, admin, kitchen, "project-admin", pat);
    join(node, admin, garden, "project-user", pat);
    join(node, admin, kitchen, "project-user", uma);

    Map<String, String> env = new HashMap<>(Map.of(
        "HEARTH_URL", "http://127.0.0.1:" + node.port(), "HEARTH_PROJECT", kitchen, "HEARTH_OTHER_PROJECT", garden,
        "HEARTH_PAT_EMAIL", PAT_EMAIL, "HEARTH_PAT_PASSWORD", PAT_PASSWORD,
        "HEARTH_UMA_EMAIL", UMA_EMAIL, "HEARTH_UMA_PASSWORD", UMA_PASSWORD, "HEARTH_SCREENSHOTS", shots.toString()));
    env.put("HEARTH_PHASE", "off");
    off = Browser.Job.script("designer-grant off", "e2e/designer-grant.test.mjs", Map.copyOf(env));
    env.put("HEARTH_PHASE", "on");
    on = Browser.Job.script("designer-grant on", "e2e/designer-grant.test.mjs", Map.copyOf(env));
  }

  /**
   * After the "off" run, with no script that installs user modules run yet: nothing was installed; then lets
   * project-admins install user modules (as {@code admin}, a sys-admin's token).
   */
  void allow(Browser.Result offRun, String admin) throws Exception {
    assertThat(offRun.exitCode()).as("e2e/designer-grant.test.mjs failed (setting off):%n%s", offRun.output()).isZero();
    assertThat(node.rest.get("/v1/user-modules", admin).ok().getJsonArray("userModules")).isEmpty();
    grant(admin, true);
  }

  /** After the "on" run: the grant is off again, and the module Pat installed is his project's, which Uma may not install for. */
  void check(Browser.Result onRun, String admin) throws Exception {
    grant(admin, false);
    assertThat(onRun.exitCode()).as("e2e/designer-grant.test.mjs failed (setting on):%n%s", onRun.output()).isZero();
    assertThat(node.rest.get("/v1/user-modules/shelf", admin).ok().getString("projectId")).isEqualTo(kitchen);
    // What the UI left out, the node refuses: Uma installing for the project she is a user of.
    String uma = TwoMembers.logIn(node, UMA_EMAIL, UMA_PASSWORD);
    assertThat(node.rest.post("/v1/user-modules", uma, new JsonObject().put("projectId", kitchen)
        .put("definitionJson", node.rest.get("/v1/user-modules/shelf", admin).ok().getString("definitionJson")
            .replace("\"shelf\"", "\"shelf2\""))).code()).isEqualTo("PERMISSION_DENIED");
  }

  private void grant(String admin, boolean on) throws Exception {
    node.rest.call("PATCH", "/v1/admin/settings", admin, new JsonObject().put("projectAdminsInstallUserModules", on)).ok();
  }

  private static void join(TestNode node, String admin, String project, String role, String token) throws Exception {
    String code = node.rest.post("/v1/projects/" + project + "/invites", admin, new JsonObject().put("role", role))
        .ok().getString("code");
    node.rest.post("/v1/invites/redeem", token, new JsonObject().put("code", code)).ok();
  }
}
