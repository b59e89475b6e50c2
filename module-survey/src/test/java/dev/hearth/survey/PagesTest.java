package dev.hearth.survey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.ui.CardValidator;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The module's pages pass the node's card validation, and every string they use exists in each locale. */
class PagesTest {

  private static final Pattern STRING_KEY = Pattern.compile("strings\\['([^']+)'\\]");

  private static byte[] resource(String path) throws Exception {
    try (InputStream in = PagesTest.class.getClassLoader().getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pages/surveys.json", "pages/new.json", "pages/form.json", "pages/results.json"})
  void eachPage_isAValidCard_whoseStringsExistInEveryLocale(String page) throws Exception {
    byte[] card = resource(page);
    CardValidator.validate(page, card);
    JsonObject en = new JsonObject(new String(resource("i18n/survey.json"), StandardCharsets.UTF_8));
    JsonObject ru = new JsonObject(new String(resource("i18n/survey_ru.json"), StandardCharsets.UTF_8));
    Matcher m = STRING_KEY.matcher(new String(card, StandardCharsets.UTF_8));
    while (m.find()) {
      assertThat(en.containsKey(m.group(1))).as(page + " uses " + m.group(1)).isTrue();
      assertThat(ru.containsKey(m.group(1))).as("ru: " + m.group(1)).isTrue();
    }
  }

  @Test
  void theLocales_haveTheSameKeys() throws Exception {
    JsonObject en = new JsonObject(new String(resource("i18n/survey.json"), StandardCharsets.UTF_8));
    JsonObject ru = new JsonObject(new String(resource("i18n/survey_ru.json"), StandardCharsets.UTF_8));
    assertThat(ru.fieldNames()).containsExactlyInAnyOrderElementsOf(en.fieldNames());
    assertThat(en.getString("survey.page.list")).isEqualTo("Surveys");
  }
}
