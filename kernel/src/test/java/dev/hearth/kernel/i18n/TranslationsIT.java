package dev.hearth.kernel.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRealtime;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sys-admin's translation overrides: applied on the next strings fetch, announced live on ui/pages. */
class TranslationsIT {

  @TempDir static Path tmp;
  static TestNode node;
  static String admin;
  static String user;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(tmp);
    node.createSysAdmin("root@tr.test", "root-password-1");
    admin = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@tr.test")
        .put("password", "root-password-1")).ok().getString("accessToken");
    user = node.signUp("ann@tr.test", "a-long-password");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static String text(String locale, String key) throws Exception {
    return node.rest.get("/v1/strings/hearth?locale=" + locale, user).ok().getJsonObject("texts").getString(key);
  }

  @Test
  void override_showsOnTheNextFetch_isAnnouncedLive_andRemovingItRestoresTheModulesText() throws Exception {
    String key = "hearth.page.members";
    assertThat(text("ru", key)).isEqualTo("Участники");
    try (TestRealtime rt = TestRealtime.connect(node, user)) {
      rt.subscribe("ui/pages", null);
      JsonObject set = node.rest.call("PUT", "/v1/translations/hearth/ru/" + key, admin,
          new JsonObject().put("value", "Люди проекта")).ok();
      assertThat(set.getString("value")).isEqualTo("Люди проекта");
      JsonObject event = rt.events("ui/pages", 1).get(0);
      assertThat(event.getJsonObject("data").getString("moduleId")).isEqualTo("hearth");
    }
    assertThat(text("ru", key)).isEqualTo("Люди проекта");
    assertThat(text("ru-RU", key)).isEqualTo("Люди проекта");
    assertThat(text("en", key)).isEqualTo("Members");
    // Navigation titles use it too, in the caller's language when the request names none.
    JsonObject pages = node.rest.call("GET", "/v1/pages", user, null, Map.of("accept-language", "ru")).ok();
    assertThat(pages.encode()).contains("Люди проекта");
    assertThat(node.rest.get("/v1/translations?moduleId=hearth&locale=ru", admin).ok().getJsonArray("translations")).hasSize(1);

    node.rest.call("DELETE", "/v1/translations/hearth/ru/" + key, admin, null).ok();
    assertThat(text("ru", key)).isEqualTo("Участники");
    assertThat(node.rest.get("/v1/admin/audit", admin).ok().encode())
        .contains("SetTranslation").contains("RemoveTranslation").contains("hearth/ru/" + key);
    assertThat(node.rest.call("DELETE", "/v1/translations/hearth/ru/" + key, admin, null).status()).isEqualTo(404);
  }

  @Test
  void anAdminMayAddALanguageTheModuleDoesNotShip() throws Exception {
    node.rest.call("PUT", "/v1/translations/hearth/de/hearth.page.members", admin, new JsonObject().put("value", "Mitglieder")).ok();
    assertThat(text("de-AT", "hearth.page.members")).isEqualTo("Mitglieder");
    assertThat(text("de", "hearth.page.usermodules")).isEqualTo("User modules");
  }

  @Test
  void badOverrides_areRefusedNamingTheField_andOnlySysAdminsMaySetThem() throws Exception {
    TestRest.Response noKey = node.rest.call("PUT", "/v1/translations/hearth/ru/no.such.key", admin,
        new JsonObject().put("value", "x"));
    assertThat(noKey.status()).isEqualTo(400);
    assertThat(noKey.body().getJsonObject("details").getString("field")).isEqualTo("key");
    TestRest.Response badLocale = node.rest.call("PUT", "/v1/translations/hearth/RU-x/hearth.page.members", admin,
        new JsonObject().put("value", "x"));
    assertThat(badLocale.body().getJsonObject("details").getString("field")).isEqualTo("locale");
    TestRest.Response noModule = node.rest.call("PUT", "/v1/translations/nope/ru/k", admin, new JsonObject().put("value", "x"));
    assertThat(noModule.status()).isEqualTo(404);
    TestRest.Response empty = node.rest.call("PUT", "/v1/translations/hearth/ru/hearth.page.members", admin,
        new JsonObject().put("value", " "), Map.of("accept-language", "ru"));
    assertThat(empty.body().getString("message")).isEqualTo("value: обязательное поле");
    assertThat(node.rest.call("PUT", "/v1/translations/hearth/ru/hearth.page.members", user,
        new JsonObject().put("value", "x")).status()).isEqualTo(403);
  }
}
