package dev.hearth.kernel.i18n;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.cli.Main;
import dev.hearth.kernel.settings.UserSettingsBook;
import dev.hearth.testkit.TestGrpc;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRest;
import dev.hearth.tenancy.v1.CreateOrgRequest;
import dev.hearth.tenancy.v1.Org;
import dev.hearth.tenancy.v1.TenancyProto;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request's language on a live node: the user's setting, else {@code Accept-Language}, else the
 * node's default; errors (REST and gRPC) and strings follow it, the error code never does.
 */
class LocalizationIT {

  @TempDir static Path tmp;
  static TestNode node;
  static String admin;

  static final Map<String, String> RU = Map.of("accept-language", "ru-RU,ru;q=0.9,en;q=0.5");
  static final Map<String, String> EN = Map.of("accept-language", "en-US,en;q=0.8");

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(tmp);
    node.createSysAdmin("root@i18n.test", "root-password-1");
    admin = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@i18n.test")
        .put("password", "root-password-1")).ok().getString("accessToken");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static TestRest.Response createOrg(String token, Map<String, String> headers) throws Exception {
    return node.rest.call("POST", "/v1/orgs", token, new JsonObject().put("name", ""), headers);
  }

  @Test
  void acceptLanguageRu_getsRussianErrors_withTheSameCodeAndField() throws Exception {
    String ann = node.signUp("ann@i18n.test", "a-long-password");
    TestRest.Response ru = createOrg(ann, RU);
    assertThat(ru.status()).isEqualTo(400);
    assertThat(ru.code()).isEqualTo("INVALID_ARGUMENT");
    assertThat(ru.body().getString("message")).isEqualTo("name: обязательное поле");
    assertThat(ru.body().getJsonObject("details").getString("field")).isEqualTo("name");
    assertThat(createOrg(ann, Map.of()).body().getString("message")).isEqualTo("name: is required");
    assertThat(createOrg(ann, EN).body().getString("message")).isEqualTo("name: is required");

    // Refused by the guard, before anyone is known: the header alone decides.
    TestRest.Response anonymous = node.rest.call("GET", "/v1/me", null, null, RU);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.body().getString("message")).contains("нужно войти");
    TestRest.Response wrong = node.rest.call("POST", "/v1/auth/log-in", null,
        new JsonObject().put("email", "ann@i18n.test").put("password", "not the password"), RU);
    assertThat(wrong.body().getString("message")).isEqualTo("неверный адрес электронной почты или пароль");
    TestRest.Response shortPassword = node.rest.call("POST", "/v1/auth/sign-up", null,
        new JsonObject().put("email", "short@i18n.test").put("password", "short"), RU);
    assertThat(shortPassword.code()).isEqualTo("INVALID_ARGUMENT");
    assertThat(shortPassword.body().getString("message")).isEqualTo("password: нужно не меньше 10 символов");
    assertThat(shortPassword.body().getJsonObject("details").getString("field")).isEqualTo("password");
    TestRest.Response denied = node.rest.call("GET", "/v1/admin/settings", ann, null, RU);
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.body().getString("message")).startsWith("нет доступа: для hearth.admin.v1.AdminService/GetSettings");
  }

  @Test
  void grpcMetadata_acceptLanguageRu_getsARussianStatusMessage() throws Exception {
    String bob = node.signUp("bob@i18n.test", "a-long-password");
    var method = TenancyProto.getDescriptor().findServiceByName("TenancyService").findMethodByName("CreateOrg");
    assertThatThrownBy(() -> node.grpc.call(method, CreateOrgRequest.newBuilder().build(), Org.getDefaultInstance(), bob,
        Map.of("accept-language", "ru")))
        .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> {
          assertThat(f.status).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
          assertThat(f.getMessage()).contains("name: обязательное поле");
          assertThat(f.trailers.get("hearth-field")).isEqualTo("name");
        });
  }

  @Test
  void userSetting_winsOverAcceptLanguage_fromTheNextRequestOn() throws Exception {
    String carol = node.signUp("carol@i18n.test", "a-long-password");
    assertThat(node.rest.call("GET", "/v1/me/settings", carol, null, RU).ok().getString("effectiveLanguage")).isEqualTo("ru");

    JsonObject saved = node.rest.call("PATCH", "/v1/me/settings", carol, new JsonObject().put("language", "en")
        .put("theme", "dark").put("notifications", new JsonObject().put("chat", "mentions")), RU).ok();
    assertThat(saved.getString("language")).isEqualTo("en");
    assertThat(saved.getString("theme")).isEqualTo("dark");
    assertThat(saved.getString("effectiveLanguage")).isEqualTo("en");
    assertThat(createOrg(carol, RU).body().getString("message")).isEqualTo("name: is required");

    node.rest.call("PATCH", "/v1/me/settings", carol, new JsonObject().put("language", "ru"), EN).ok();
    assertThat(createOrg(carol, EN).body().getString("message")).isEqualTo("name: обязательное поле");
    assertThat(createOrg(carol, Map.of()).body().getString("message")).isEqualTo("name: обязательное поле");
    // Strings follow the same choice when the request names no locale.
    assertThat(node.rest.call("GET", "/v1/strings/hearth", carol, null, EN).ok().getString("locale")).isEqualTo("ru");

    // Back to following the browser.
    node.rest.call("PATCH", "/v1/me/settings", carol, new JsonObject().put("language", ""), EN).ok();
    assertThat(createOrg(carol, EN).body().getString("message")).isEqualTo("name: is required");
    assertThat(node.rest.call("GET", "/v1/strings/hearth", carol, null, RU).ok().getString("locale")).isEqualTo("ru");
    JsonObject kept = node.rest.get("/v1/me/settings", carol).ok();
    assertThat(kept.getString("theme")).isEqualTo("dark");
    assertThat(kept.getJsonObject("notifications").getString("chat")).isEqualTo("mentions");
  }

  @Test
  void badSettings_areRefused_namingTheField_inTheCallersLanguage() throws Exception {
    String dan = node.signUp("dan@i18n.test", "a-long-password");
    TestRest.Response lang = node.rest.call("PATCH", "/v1/me/settings", dan, new JsonObject().put("language", "xx"), RU);
    assertThat(lang.status()).isEqualTo(400);
    assertThat(lang.body().getJsonObject("details").getString("field")).isEqualTo("language");
    assertThat(lang.body().getString("message")).startsWith("language: должно быть одним из");
    TestRest.Response theme = node.rest.call("PATCH", "/v1/me/settings", dan, new JsonObject().put("theme", "blue"), EN);
    assertThat(theme.body().getString("message")).isEqualTo("theme: must be one of [system, light, dark]");
    TestRest.Response level = node.rest.call("PATCH", "/v1/me/settings", dan,
        new JsonObject().put("notifications", new JsonObject().put("chat", "loud")), EN);
    assertThat(level.body().getJsonObject("details").getString("field")).isEqualTo("notifications");
    TestRest.Response time = node.rest.call("PATCH", "/v1/me/settings", dan,
        new JsonObject().put("quietHoursStart", "25:00").put("quietHoursEnd", "07:00"), RU);
    assertThat(time.status()).isEqualTo(400);
    assertThat(time.body().getJsonObject("details").getString("protoField")).isEqualTo("quiet_hours_start");
    assertThat(time.body().getString("message")).isEqualTo("quietHoursStart: '25:00' — не время суток в виде ЧЧ:ММ (от 00:00 до 23:59)");
    TestRest.Response half = node.rest.call("PATCH", "/v1/me/settings", dan, new JsonObject().put("quietHoursStart", "22:00"), EN);
    assertThat(half.body().getJsonObject("details").getString("field")).isEqualTo("quietHoursEnd");
    TestRest.Response zone = node.rest.call("PATCH", "/v1/me/settings", dan, new JsonObject().put("timeZone", "Mars/Olympus"), EN);
    assertThat(zone.body().getString("message")).isEqualTo("timeZone: 'Mars/Olympus' is not a time zone id such as Europe/Moscow");
    JsonObject quiet = node.rest.call("PATCH", "/v1/me/settings", dan, new JsonObject().put("quietHoursStart", "22:00")
        .put("quietHoursEnd", "07:00").put("timeZone", "Europe/Moscow"), EN).ok();
    assertThat(quiet.getString("quietHoursStart") + "-" + quiet.getString("quietHoursEnd") + " " + quiet.getString("timeZone"))
        .isEqualTo("22:00-07:00 Europe/Moscow");
    JsonObject options = node.rest.get("/v1/settings/options", null).ok();
    assertThat(options.getJsonArray("languages").getList()).containsExactly("en", "ru");
  }

  @Test
  void nodeDefaultLanguage_appliesWhenNeitherUserNorHeaderSays() throws Exception {
    node.rest.call("PATCH", "/v1/admin/settings", admin, new JsonObject().put("defaultLanguage", "ru")).ok();
    try {
      TestRest.Response anonymous = node.rest.get("/v1/me", null);
      assertThat(anonymous.body().getString("message")).contains("нужно войти");
      assertThat(node.rest.call("GET", "/v1/me", null, null, EN).body().getString("message")).contains("needs a signed-in");
      TestRest.Response bad = node.rest.call("PATCH", "/v1/admin/settings", admin, new JsonObject().put("defaultLanguage", "xx"));
      assertThat(bad.body().getJsonObject("details").getString("field")).isEqualTo("defaultLanguage");
    } finally {
      node.rest.call("PATCH", "/v1/admin/settings", admin, new JsonObject().put("defaultLanguage", "en")).ok();
    }
  }

  @Test
  void cli_settingsCommands_readAndWriteTheCallersSettings_asJson() throws Exception {
    String erin = node.signUp("erin@i18n.test", "a-long-password");
    String[] help = Main.run(node.cliEnv(erin), "settings", "--help");
    assertThat(help[1] + help[2]).contains("update").contains("get-options");
    String[] set = Main.run(node.cliEnv(erin), "settings", "update", "--language", "ru", "--theme", "light");
    assertThat(set[0]).as(set[2]).isEqualTo("0");
    assertThat(new JsonObject(set[1]).getString("language")).isEqualTo("ru");
    String[] got = Main.run(node.cliEnv(erin), "settings", "get");
    assertThat(new JsonObject(got[1]).getString("theme")).isEqualTo("light");
    assertThat(createOrg(erin, EN).body().getString("message")).isEqualTo("name: обязательное поле");
  }

  @Test
  void deletingAUser_deletesTheirSettings() throws Exception {
    JsonObject fay = node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "fay@i18n.test")
        .put("password", "a-long-password")).ok();
    node.rest.call("PATCH", "/v1/me/settings", fay.getString("accessToken"), new JsonObject().put("theme", "dark")).ok();
    var stored = new UserSettingsBook(node.stores().store("kernel"));
    assertThat(stored.get(fay.getString("userId"))).isPresent();
    node.rest.call("DELETE", "/v1/admin/users/" + fay.getString("userId"), admin, null).ok();
    // The settings go in a write of their own that follows the deletion's change event (identity.Deletions,
    // docs/architecture.md): moments later, not in the deletion's transaction.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (stored.get(fay.getString("userId")).isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(stored.get(fay.getString("userId"))).isEmpty();
  }
}
