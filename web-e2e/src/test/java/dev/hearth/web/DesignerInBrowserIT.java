package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who gets the user-module designer: a project-admin only once the sys-admin allows it, and then for
 * his own project only. The designer itself (task 25: design, preview, install, use, upgrade) is
 * {@code e2e/tasks-designer.test.mjs}, run by {@link WebTasksIT} on its shared node; this test needs
 * a node of its own because it turns the node's grant on between two runs of its script.
 */
class DesignerInBrowserIT {

  static final String EMAIL = "root@web.test";
  static final String PASSWORD = "root-password-1";

  @TempDir Path tmp;

  /**
   * {@code e2e/designer-grant.test.mjs}: a project-admin has no designer until the sys-admin lets
   * project-admins install; then he installs a module for his own project (not for the project
   * where he is a user), which the node records as that project's; a project user never gets it.
   */
  @Test
  void aProjectAdminGetsTheDesigner_onlyOnceTheSysAdminAllows_andInstallsForHisProjectOnly() throws Exception {
    try (TestNode node = TestNode.start(tmp)) {
      node.createSysAdmin(EMAIL, PASSWORD);
      String admin = logIn(node, EMAIL, PASSWORD);
      String pat = node.signUp("pat@web.test", "pat-password-1");
      String uma = node.signUp("uma@web.test", "uma-password-1");
      String org = node.rest.post("/v1/orgs", admin, new JsonObject().put("name", "Home")).ok().getString("id");
      String kitchen = node.rest.post("/v1/orgs/" + org + "/projects", admin, new JsonObject().put("name", "Kitchen")).ok().getString("id");
      String garden = node.rest.post("/v1/orgs/" + org + "/projects", admin, new JsonObject().put("name", "Garden")).ok().getString("id");
      join(node, admin, kitchen, "project-admin", pat);
      join(node, admin, garden, "project-user", pat);
      join(node, admin, kitchen, "project-user", uma);

      Path shots = Path.of("target", "screenshots").toAbsolutePath();
      Map<String, String> env = new HashMap<>(Map.of(
          "HEARTH_URL", "http://127.0.0.1:" + node.port(), "HEARTH_PROJECT", kitchen, "HEARTH_OTHER_PROJECT", garden,
          "HEARTH_PAT_EMAIL", "pat@web.test", "HEARTH_PAT_PASSWORD", "pat-password-1",
          "HEARTH_UMA_EMAIL", "uma@web.test", "HEARTH_UMA_PASSWORD", "uma-password-1", "HEARTH_SCREENSHOTS", shots.toString()));
      env.put("HEARTH_PHASE", "off");
      Browser.Result off = Browser.runE2e("e2e/designer-grant.test.mjs", env);
      assertThat(off.exitCode()).as("the browser test failed (setting off):%n%s", off.output()).isZero();
      assertThat(node.rest.get("/v1/user-modules", admin).ok().getJsonArray("userModules")).isEmpty();

      node.rest.call("PATCH", "/v1/admin/settings", admin, new JsonObject().put("projectAdminsInstallUserModules", true)).ok();
      env.put("HEARTH_PHASE", "on");
      Browser.Result on = Browser.runE2e("e2e/designer-grant.test.mjs", env);
      assertThat(on.exitCode()).as("the browser test failed (setting on):%n%s", on.output()).isZero();
      assertThat(node.rest.get("/v1/user-modules/shelf", admin).ok().getString("projectId")).isEqualTo(kitchen);
      // What the UI left out, the node refuses: Uma installing for the project she is a user of.
      assertThat(node.rest.post("/v1/user-modules", uma, new JsonObject().put("projectId", kitchen)
          .put("definitionJson", node.rest.get("/v1/user-modules/shelf", admin).ok().getString("definitionJson")
              .replace("\"shelf\"", "\"shelf2\""))).code()).isEqualTo("PERMISSION_DENIED");
    }
  }

  private static String logIn(TestNode node, String email, String password) throws Exception {
    return node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", email).put("password", password))
        .ok().getString("accessToken");
  }

  private static void join(TestNode node, String admin, String project, String role, String token) throws Exception {
    String code = node.rest.post("/v1/projects/" + project + "/invites", admin, new JsonObject().put("role", role))
        .ok().getString("code");
    node.rest.post("/v1/invites/redeem", token, new JsonObject().put("code", code)).ok();
  }
}
