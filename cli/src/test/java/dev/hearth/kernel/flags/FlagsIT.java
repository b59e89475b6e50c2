package dev.hearth.kernel.flags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.Main;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feature flags on a live node: flipped through the API and the CLI, seen by the very next request. */
class FlagsIT {

  @TempDir static Path tmp;
  static TestNode node;
  static String admin;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(tmp);
    node.createSysAdmin("root@flags.test", "root-password-1");
    admin = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@flags.test")
        .put("password", "root-password-1")).ok().getString("accessToken");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static TestRest.Response signUp(String email) throws Exception {
    return node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", email).put("password", "a-long-password"));
  }

  private static JsonObject flag(JsonObject list, String name) {
    JsonArray flags = list.getJsonArray("flags");
    for (int i = 0; i < flags.size(); i++) {
      if (flags.getJsonObject(i).getString("name").equals(name)) return flags.getJsonObject(i);
    }
    throw new AssertionError("no flag " + name + " in " + list.encode());
  }

  @Test
  void signupFlag_flippedThroughTheApi_refusesTheVeryNextSignUp_andClearingItReopens() throws Exception {
    assertThat(signUp("before@flags.test").status()).isEqualTo(200);
    JsonObject off = node.rest.call("PUT", "/v1/flags/auth.signup", admin, new JsonObject().put("enabled", false)).ok();
    assertThat(off.getBoolean("enabled")).isFalse();
    assertThat(off.getString("source")).isEqualTo("NODE");
    try {
      TestRest.Response refused = signUp("during@flags.test");
      assertThat(refused.status()).isEqualTo(412);
      assertThat(refused.code()).isEqualTo("FAILED_PRECONDITION");
      // One switch, two ways to set it: the older admin setting reads the same value.
      assertThat(node.rest.get("/v1/admin/settings", admin).ok().getBoolean("registrationsOpen")).isFalse();
    } finally {
      node.rest.call("DELETE", "/v1/flags/auth.signup", admin, null).ok();
    }
    assertThat(signUp("after@flags.test").status()).isEqualTo(200);
    JsonObject listed = node.rest.get("/v1/flags", admin).ok();
    assertThat(flag(listed, "auth.signup").getBoolean("enabled")).isTrue();
    assertThat(flag(listed, "auth.signup").getString("owner")).isEqualTo("kernel");
    JsonObject audit = node.rest.get("/v1/admin/audit", admin).ok();
    assertThat(audit.encode()).contains("auth.signup=false").contains("auth.signup=cleared");
  }

  @Test
  void flags_refuseWhatTheyCannotDo_withTheCodeAndTheField() throws Exception {
    String user = signUp("plain@flags.test").ok().getString("accessToken");
    assertThat(node.rest.call("PUT", "/v1/flags/auth.signup", user, new JsonObject().put("enabled", false)).status())
        .isEqualTo(403);
    TestRest.Response unknown = node.rest.call("PUT", "/v1/flags/no.such", admin, new JsonObject().put("enabled", true));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().getJsonObject("details").getString("field")).isEqualTo("name");
    String org = node.rest.post("/v1/orgs", user, new JsonObject().put("name", "Flagged")).ok().getString("id");
    TestRest.Response nodeOnly = node.rest.call("PUT", "/v1/orgs/" + org + "/flags/auth.signup", user,
        new JsonObject().put("enabled", false));
    assertThat(nodeOnly.status()).isEqualTo(400);
    assertThat(nodeOnly.body().getString("message")).contains("auth.signup").contains("SetNodeFlag");
    assertThat(signUp("still@flags.test").status()).isEqualTo(200);
  }

  @Test
  void cli_listsAndFlipsFlags_asJson() throws Exception {
    String[] help = Main.run(node.cliEnv(admin), "flags", "--help");
    assertThat(help[1] + help[2]).contains("set-node-flag").contains("list-project-flags").contains("clear-org-flag");
    String[] off = Main.run(node.cliEnv(admin), "flags", "set-node-flag", "--name", "auth.signup", "--enabled=false");
    assertThat(off[0]).as(off[2]).isEqualTo("0");
    assertThat(new JsonObject(off[1]).getBoolean("enabled")).isFalse();
    try {
      assertThat(signUp("cli@flags.test").status()).isEqualTo(412);
    } finally {
      String[] cleared = Main.run(node.cliEnv(admin), "flags", "clear-node-flag", "--name", "auth.signup");
      assertThat(cleared[0]).as(cleared[2]).isEqualTo("0");
    }
    String[] list = Main.run(node.cliEnv(admin), "flags", "list-flags");
    assertThat(list[0]).as(list[2]).isEqualTo("0");
    assertThat(flag(new JsonObject(list[1]), "auth.signup").getBoolean("enabled")).isTrue();
    assertThat(signUp("cli2@flags.test").status()).isEqualTo(200);
  }
}
