package dev.hearth.kernel.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.module.ModuleException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The kernel's error bundles: translations only of known keys, every pattern valid, errors keep code and details. */
class ErrorBundlesTest {

  private static Properties load(String name) throws Exception {
    Properties p = new Properties();
    try (var in = ErrorBundlesTest.class.getClassLoader().getResourceAsStream(ErrorMessages.KERNEL_BUNDLE + name)) {
      assertThat(in).as(name).isNotNull();
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return p;
  }

  @Test
  void russian_translatesEveryKernelKey_andNoOther_withValidPatterns() throws Exception {
    Properties en = load(".properties");
    Properties ru = load("_ru.properties");
    assertThat(ru.stringPropertyNames()).isEqualTo(en.stringPropertyNames());
    for (String key : ru.stringPropertyNames()) {
      new MessageFormat(ru.getProperty(key), Locale.forLanguageTag("ru")); // throws on a bad pattern
      new MessageFormat(en.getProperty(key), Locale.ENGLISH);
    }
  }

  @Test
  void localize_translatesTheMessage_keepsCodeAndDetails_andFallsBackToEnglish() {
    ModuleException e = ModuleException.required("name");
    ModuleException ru = ErrorMessages.localize(e, getClass().getClassLoader(), Locale.forLanguageTag("ru"));
    assertThat(ru.getMessage()).isEqualTo("name: обязательное поле");
    assertThat(ru.code()).isEqualTo(ModuleException.Code.INVALID_ARGUMENT);
    assertThat(ru.details()).containsEntry("field", "name");
    assertThat(ErrorMessages.localize(e, getClass().getClassLoader(), Locale.ENGLISH)).isSameAs(e);
    ModuleException unknown = ModuleException.invalidArgument("x").localized("no.such.key");
    assertThat(ErrorMessages.localize(unknown, getClass().getClassLoader(), Locale.forLanguageTag("ru")).getMessage())
        .isEqualTo("x");
    ModuleException limit = new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED, "slow down").localized("rate.address", 86400L);
    assertThat(ErrorMessages.localize(limit, null, Locale.forLanguageTag("ru")).getMessage()).endsWith("через 86400 с");
  }
}
