package dev.hearth.ops.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.ops.OpsMain;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code hearth ops dashboards push} against {@link FakeGrafana}, Grafana's API as the command uses it. */
class PushCommandTest {

  private static final String TOKEN = "glsa_test-token-not-for-logs";

  private record Run(int code, String out, String err) {}

  private static Run push(Map<String, String> env, String... args) {
    CommandLine cl = new CommandLine(new OpsMain());
    PushCommand push = cl.getSubcommands().get("ops").getSubcommands().get("dashboards").getSubcommands().get("push").getCommand();
    push.env = env;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 3];
    all[0] = "ops";
    all[1] = "dashboards";
    all[2] = "push";
    System.arraycopy(args, 0, all, 3, args.length);
    int code = cl.execute(all);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void push_createsTheFolder_andSavesEveryDashboardWithOverwrite_asBearer() throws Exception {
    try (FakeGrafana grafana = new FakeGrafana(TOKEN)) {
      Run run = push(Map.of(), "--grafana-url", grafana.url(), "--token", TOKEN);

      assertThat(run.code()).as(run.err()).isZero();
      JsonObject result = new JsonObject(run.out());
      assertThat(result.getJsonObject("folder").getBoolean("created")).isTrue();
      assertThat(result.getJsonArray("dashboards")).hasSize(3);
      assertThat(grafana.dashboards.keySet()).containsExactlyInAnyOrder("hearth-node-overview", "hearth-modules", "hearth-federation");
      assertThat(grafana.requests).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
      assertThat(grafana.requests.stream().map(r -> r.method() + " " + r.path()).toList()).containsExactly(
          "GET /api/folders", "POST /api/folders", "POST /api/dashboards/db", "POST /api/dashboards/db", "POST /api/dashboards/db");
      JsonObject saved = grafana.requests.get(2).body();
      assertThat(saved.getBoolean("overwrite")).isTrue();
      assertThat(saved.getString("folderUid")).isEqualTo(result.getJsonObject("folder").getString("uid"));
      assertThat(saved.getJsonObject("dashboard").getString("title")).startsWith("Hearth / ");
      assertThat(run.out() + run.err()).doesNotContain(TOKEN);
    }
  }

  @Test
  void pushAgain_reusesTheFolder_andReplacesTheDashboards_tokenFromTheEnvironment() throws Exception {
    try (FakeGrafana grafana = new FakeGrafana(TOKEN)) {
      assertThat(push(Map.of("GRAFANA_TOKEN", TOKEN), "--grafana-url", grafana.url()).code()).isZero();
      Run again = push(Map.of("GRAFANA_TOKEN", TOKEN), "--grafana-url", grafana.url());

      assertThat(again.code()).as(again.err()).isZero();
      JsonObject result = new JsonObject(again.out());
      assertThat(result.getJsonObject("folder").getBoolean("created")).isFalse();
      assertThat(grafana.folders).hasSize(1);
      assertThat(result.getJsonArray("dashboards").getJsonObject(0).getInteger("version")).isEqualTo(2);
    }
  }

  @Test
  void aRefusedToken_exits1_sayingSo_withoutPrintingIt() throws Exception {
    try (FakeGrafana grafana = new FakeGrafana(TOKEN)) {
      Run run = push(Map.of(), "--grafana-url", grafana.url(), "--token", "wrong-secret-123");

      assertThat(run.code()).isEqualTo(1);
      assertThat(run.err()).contains("refused the token (401)").doesNotContain("wrong-secret-123");
      assertThat(run.out()).isEmpty();
      assertThat(grafana.dashboards).isEmpty();
    }
  }

  @Test
  void anUnreachableGrafana_exits1_namingTheUrl() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    Run run = push(Map.of(), "--grafana-url", "http://127.0.0.1:" + port, "--token", TOKEN);

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("cannot reach Grafana at http://127.0.0.1:" + port);
  }

  @Test
  void noToken_orABadUrl_isAUsageError() {
    assertThat(push(Map.of(), "--grafana-url", "http://127.0.0.1:1").code()).isEqualTo(2);
    Run bad = push(Map.of(), "--grafana-url", "localhost:3000", "--token", TOKEN);
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--grafana-url 'localhost:3000'");
  }
}
