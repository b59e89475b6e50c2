package dev.hearth.kernel.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.Main;
import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The invite flow through the {@code hearth} CLI against a real node: sign up, log in, create an org
 * and a project, invite, redeem under another profile — and the invitee has exactly the role granted.
 * Every API command here is generated from the node's reflection; no CLI code knows these services.
 */
class CliFlowIT {

  @TempDir static Path tmp;
  static TestNode node;
  static String url;
  String out;
  String err;

  @BeforeAll
  static void start() {
    node = TestNode.start(tmp.resolve("node"));
    url = "http://127.0.0.1:" + node.port();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private int run(Map<String, String> extraEnv, String... args) {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("HEARTH_CONFIG_DIR", tmp.resolve("cli").toString());
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    CommandLine cl = Main.commandLine(env);
    cl.setOut(new PrintWriter(o, true));
    cl.setErr(new PrintWriter(e, true));
    int code = cl.execute(args);
    out = o.toString();
    err = e.toString();
    return code;
  }

  private JsonObject ok(String... args) {
    int code = run(Map.of(), args);
    assertThat(code).as("hearth %s: %s", String.join(" ", args), err).isZero();
    return new JsonObject(out);
  }

  @Test
  void signUpCreateInviteRedeem_throughTheCli() {
    ok("--url", url, "auth", "sign-up", "--email", "owner@cli.test", "--password", "owner-password-1");
    assertThat(run(Map.of("HEARTH_PASSWORD", "owner-password-1"), "login", "--url", url, "--user", "owner@cli.test"))
        .as(err).isZero();
    assertThat(out + err).doesNotContain("eyJ"); // no token printed

    String org = ok("tenancy", "create-org", "--name", "Cli Org").getString("id");
    String project = ok("tenancy", "create-project", "--org-id", org, "--name", "Cli Project").getString("id");
    String code = ok("tenancy", "create-project-invite", "--project-id", project, "--role", "project-user").getString("code");

    ok("call", "--url", url, "hearth.auth.v1.AuthService/SignUp",
        "--json", "{\"email\":\"guest@cli.test\",\"password\":\"guest-password-1\"}");
    assertThat(run(Map.of("HEARTH_PASSWORD", "guest-password-1"), "login", "--profile", "guest", "--url", url,
        "--user", "guest@cli.test")).as(err).isZero();
    JsonObject m = ok("--profile", "guest", "tenancy", "redeem-invite", "--code", code);
    assertThat(m.getString("role")).isEqualTo("project-user");

    JsonObject me = ok("--profile", "guest", "auth", "me");
    assertThat(me.getJsonArray("memberships")).hasSize(1);
    JsonObject role = me.getJsonArray("memberships").getJsonObject(0);
    assertThat(role.getString("projectId")).isEqualTo(project);
    assertThat(role.getString("role")).isEqualTo("project-user");

    // The role is exactly project-user: the guest may read the project but not administer it.
    ok("--profile", "guest", "tenancy", "get-project", "--project-id", project);
    assertThat(run(Map.of(), "--profile", "guest", "tenancy", "update-project", "--project-id", project, "--name", "x"))
        .isEqualTo(1);
    assertThat(err).contains("PERMISSION_DENIED");
  }

  @Test
  void createSysAdmin_thenAdminServiceCommands() {
    int created = run(Map.of("HEARTH_PASSWORD", "root-password-12"), "admin", "create-sysadmin",
        "--data", tmp.resolve("node/data").toString(), "--email", "root@cli.test");
    assertThat(created).as(err).isZero();
    assertThat(new JsonObject(out).getBoolean("sysAdmin")).isTrue();
    assertThat(run(Map.of("HEARTH_PASSWORD", "root-password-12"), "login", "--profile", "root", "--url", url,
        "--user", "root@cli.test")).as(err).isZero();
    JsonObject settings = ok("--profile", "root", "admin-service", "update-settings", "--read-only=false",
        "--slow-mode-seconds", "5");
    assertThat(settings.getInteger("slowModeSeconds")).isEqualTo(5);
    JsonObject audit = ok("--profile", "root", "admin-service", "list-audit-events");
    assertThat(audit.getJsonArray("events").getJsonObject(0).getString("action"))
        .isEqualTo("hearth.admin.v1.AdminService/UpdateSettings");
    assertThat(audit.getJsonArray("events").getJsonObject(1).getString("action")).isEqualTo("hearth admin create-sysadmin");
    JsonObject users = ok("--profile", "root", "admin-service", "list-users");
    assertThat(users.getJsonArray("users").encode()).contains("root@cli.test");
    // A bad flag value is a usage error (2) that names the flag.
    assertThat(run(Map.of(), "--profile", "root", "admin-service", "update-settings", "--slow-mode-seconds", "soon"))
        .isEqualTo(2);
    assertThat(err).contains("slow-mode-seconds");
  }
}
