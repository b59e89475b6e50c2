package dev.hearth.kernel.usermodules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The designer for whoever the sys-admin allows: a project-admin is refused installing a user module
 * until the node's setting lets project-admins, then installs one for their own project only (which
 * it then serves alone), upgrades that one and no other, and every change is in the audit log.
 */
class UserModuleGrantIT {

  /** The worked example of docs/user-modules.md, as shipped (as UserModuleIT, in the cli module, reads it). */
  static JsonObject inventory() throws Exception {
    return new JsonObject(Files.readString(Path.of("../docs/examples/inventory.json"), StandardCharsets.UTF_8));
  }

  static final String SERVICE = "/v1/rpc/hearth.um.inventory.v1.InventoryService/";

  @TempDir Path tmp;

  @Test
  void aProjectAdmin_installsAndUpgradesForTheirOwnProjectOnly_onceTheSysAdminAllows() throws Exception {
    try (TestNode node = TestNode.start(tmp)) {
      node.createSysAdmin("root@grant.test", "root-password-1");
      String root = logIn(node, "root@grant.test", "root-password-1");
      String ann = node.signUp("ann@grant.test", "ann-password-1"); // admin of Depot
      String bob = node.signUp("bob@grant.test", "bob-password-1"); // a user of Depot
      String cat = node.signUp("cat@grant.test", "cat-password-1"); // admin of Shop, elsewhere
      String org = node.rest.post("/v1/orgs", ann, new JsonObject().put("name", "Acme")).ok().getString("id");
      String depot = node.rest.post("/v1/orgs/" + org + "/projects", ann, new JsonObject().put("name", "Depot")).ok().getString("id");
      String code = node.rest.post("/v1/projects/" + depot + "/invites", ann, new JsonObject().put("role", "project-user"))
          .ok().getString("code");
      node.rest.post("/v1/invites/redeem", bob, new JsonObject().put("code", code)).ok();
      String org2 = node.rest.post("/v1/orgs", cat, new JsonObject().put("name", "Beta")).ok().getString("id");
      String shop = node.rest.post("/v1/orgs/" + org2 + "/projects", cat, new JsonObject().put("name", "Shop")).ok().getString("id");
      String def = inventory().encode();

      // Off (the default): a project-admin is refused, even for her own project, and the shell is told so.
      assertThat(node.rest.get("/v1/user-module-designer", ann).ok().getBoolean("projectAdmins")).isFalse();
      TestRest.Response refused = install(node, ann, def, depot);
      assertThat(refused.code()).isEqualTo("PERMISSION_DENIED");
      assertThat(refused.body().getString("message")).contains("only sys-admins");
      // Only a sys-admin turns it on; the change is audited.
      assertThat(node.rest.call("PATCH", "/v1/admin/settings", ann, new JsonObject().put("projectAdminsInstallUserModules", true))
          .code()).isEqualTo("PERMISSION_DENIED");
      assertThat(node.rest.call("PATCH", "/v1/admin/settings", root, new JsonObject().put("projectAdminsInstallUserModules", true))
          .ok().getBoolean("projectAdminsInstallUserModules")).isTrue();
      assertThat(node.rest.get("/v1/user-module-designer", bob).ok().getBoolean("projectAdmins")).isTrue();

      // On: not for another project, not for the whole node, not by a project user.
      assertThat(install(node, ann, def, shop).code()).isEqualTo("PERMISSION_DENIED");
      TestRest.Response nodeWide = install(node, ann, def, "");
      assertThat(nodeWide.code()).isEqualTo("INVALID_ARGUMENT");
      assertThat(nodeWide.body().getJsonObject("details").getString("field")).isEqualTo("projectId");
      assertThat(install(node, bob, def, depot).code()).isEqualTo("PERMISSION_DENIED");
      // For her own project: installed, and it serves Depot alone.
      JsonObject info = install(node, ann, def, depot).ok();
      assertThat(info.getString("projectId")).isEqualTo(depot);
      assertThat(call(node, bob, depot, "AddItem", new JsonObject().put("title", "Lamp")).ok().getString("title")).isEqualTo("Lamp");
      TestRest.Response elsewhere = call(node, cat, shop, "AddItem", new JsonObject().put("title", "Lamp"));
      assertThat(elsewhere.code()).isEqualTo("FAILED_PRECONDITION");
      assertThat(pages(node, cat, shop)).doesNotContain("um-inventory/items");
      assertThat(pages(node, bob, depot)).contains("um-inventory/items");

      // Upgrades: hers, naming her project; not Cat's (her own project named, or Depot), not a user's.
      String next = inventory().put("version", "1.0.1").encode();
      assertThat(upgrade(node, cat, next, shop).code()).isEqualTo("PERMISSION_DENIED");
      assertThat(upgrade(node, cat, next, depot).code()).isEqualTo("PERMISSION_DENIED");
      assertThat(upgrade(node, bob, next, depot).code()).isEqualTo("PERMISSION_DENIED");
      assertThat(upgrade(node, ann, next, depot).ok().getString("version")).isEqualTo("1.0.1");
      // Removing stays a sys-admin's.
      assertThat(node.rest.call("DELETE", "/v1/user-modules/inventory", ann, null).code()).isEqualTo("PERMISSION_DENIED");

      // A module a sys-admin installed for the node is not a project-admin's to upgrade.
      String other = inventory().put("id", "stock").encode().replace("hearth.um.inventory", "hearth.um.stock");
      assertThat(node.rest.post("/v1/user-modules", root, new JsonObject().put("definitionJson", other)).ok().getString("projectId"))
          .isEmpty();
      assertThat(node.rest.post("/v1/user-modules/stock/upgrade", ann, new JsonObject().put("definitionJson", other)
          .put("projectId", depot)).code()).isEqualTo("PERMISSION_DENIED");

      // Turned off again: her own module is hers to upgrade no more.
      node.rest.call("PATCH", "/v1/admin/settings", root, new JsonObject().put("projectAdminsInstallUserModules", false)).ok();
      assertThat(upgrade(node, ann, inventory().put("version", "1.0.2").encode(), depot).code())
          .isEqualTo("PERMISSION_DENIED");

      // The audit log has the setting, the install and the upgrade, each with who and for which project.
      List<String> audit = node.rest.get("/v1/admin/audit?pageSize=50", root).ok().getJsonArray("events").stream()
          .map(e -> (JsonObject) e).map(e -> e.getString("action") + " " + e.getString("target") + " " + e.getString("detail"))
          .toList();
      assertThat(audit).anyMatch(a -> a.startsWith("hearth.usermodules.v1.UsermoduleService/Install user-module/inventory")
          && a.endsWith("version=1.0.0 project=" + depot));
      assertThat(audit).anyMatch(a -> a.startsWith("hearth.usermodules.v1.UsermoduleService/Upgrade user-module/inventory")
          && a.endsWith("version=1.0.1 project=" + depot));
      assertThat(audit).anyMatch(a -> a.contains("project_admins_install_user_modules=true"));
    }
  }

  private static TestRest.Response install(TestNode node, String token, String def, String project) throws Exception {
    return node.rest.post("/v1/user-modules", token, new JsonObject().put("definitionJson", def).put("projectId", project));
  }

  private static TestRest.Response upgrade(TestNode node, String token, String def, String project) throws Exception {
    return node.rest.post("/v1/user-modules/inventory/upgrade", token,
        new JsonObject().put("definitionJson", def).put("projectId", project));
  }

  private static TestRest.Response call(TestNode node, String token, String project, String method, JsonObject body)
      throws Exception {
    return node.rest.call("POST", SERVICE + method, token, body, Map.of("X-Hearth-Project", project));
  }

  private static List<String> pages(TestNode node, String token, String project) throws Exception {
    JsonArray pages = node.rest.get("/v1/pages?projectId=" + project, token).ok().getJsonArray("pages");
    return pages.stream().map(p -> ((JsonObject) p).getString("moduleId") + "/" + ((JsonObject) p).getString("name")).toList();
  }

  private static String logIn(TestNode node, String email, String password) throws Exception {
    return node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", email).put("password", password))
        .ok().getString("accessToken");
  }
}
