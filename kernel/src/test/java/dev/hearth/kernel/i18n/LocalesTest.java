package dev.hearth.kernel.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class LocalesTest {

  private static String resolve(String user, String header, String nodeDefault) {
    return Locales.resolve(user, header, nodeDefault).getLanguage();
  }

  @Test
  void userSetting_winsOverHeader_whichWinsOverNodeDefault() {
    assertThat(resolve("en", "ru", "ru")).isEqualTo("en");
    assertThat(resolve("", "ru-RU,ru;q=0.9,en;q=0.5", "en")).isEqualTo("ru");
    assertThat(resolve("", null, "ru")).isEqualTo("ru");
    assertThat(resolve(null, "", "")).isEqualTo("en");
  }

  @Test
  void header_picksTheBestSupportedLanguage_byWeight() {
    assertThat(resolve("", "de-DE,de;q=0.9,ru;q=0.8,en;q=0.1", "en")).isEqualTo("ru");
    assertThat(resolve("", "fr, de", "ru")).isEqualTo("ru"); // nothing supported: the node's default
    assertThat(resolve("", "en;q=0.2, ru;q=0.7", "en")).isEqualTo("ru");
  }

  @Test
  void malformedHeaderOrSetting_countsAsNone() {
    assertThat(resolve("", "ru;q=bogus", "en")).isEqualTo("en");
    assertThat(resolve("xx", ";;;", "ru")).isEqualTo("ru");
    assertThat(Locales.supported("ru-RU")).contains(Locale.forLanguageTag("ru"));
    assertThat(Locales.supported("de")).isEmpty();
  }
}
