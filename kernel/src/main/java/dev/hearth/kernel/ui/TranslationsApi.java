package dev.hearth.kernel.ui;

import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.ui.v1.ListTranslationsRequest;
import dev.hearth.ui.v1.ListTranslationsResponse;
import dev.hearth.ui.v1.RemoveTranslationRequest;
import dev.hearth.ui.v1.RemoveTranslationResponse;
import dev.hearth.ui.v1.SetTranslationRequest;
import dev.hearth.ui.v1.Translation;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The translation-override methods of {@code hearth.ui.v1.PageService} (sys-admin): checked against
 * the running module's strings, stored in {@link Translations}, announced on {@code ui/pages}.
 */
final class TranslationsApi {

  static final int MAX_VALUE = 2000;
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}");

  private final PageRegistry registry;
  private final Translations translations;
  private final PagesApi.Audit audit;

  TranslationsApi(PageRegistry registry, Translations translations, PagesApi.Audit audit) {
    this.registry = registry;
    this.translations = translations;
    this.audit = audit;
  }

  /** The strings of a module for a requested locale, with the overrides of its language on top. */
  Map<String, String> texts(ModulePages module, String moduleId, String requested) {
    Map<String, String> texts = new LinkedHashMap<>(module.strings(requested));
    texts.putAll(translations.of(moduleId, language(requested)));
    return texts;
  }

  /** "ru" for "ru-RU"; "en" (the fallback's language) for an empty tag. */
  static String language(String tag) {
    String l = tag == null || tag.isEmpty() ? "" : Locale.forLanguageTag(tag.replace('_', '-')).getLanguage();
    return l.isEmpty() ? "en" : l;
  }

  Future<Translation> set(Call call, SetTranslationRequest r) {
    String key = checked(r.getModuleId(), r.getLocale(), r.getKey());
    if (r.getValue().isBlank()) throw ModuleException.required("value");
    if (r.getValue().length() > MAX_VALUE) {
      throw ModuleException.badField("value", "must have at most " + MAX_VALUE + " characters")
          .localized("field.tooLong", "value", MAX_VALUE);
    }
    String target = r.getModuleId() + "/" + r.getLocale() + "/" + key;
    return translations.set(call.userId(), r.getModuleId(), r.getLocale(), key, r.getValue(),
        tx -> audit.record(tx, call.userId(), call.method(), target, "set")).map(v -> {
      registry.announce(r.getModuleId());
      return Translation.newBuilder().setModuleId(r.getModuleId()).setLocale(r.getLocale()).setKey(key)
          .setValue(r.getValue()).build();
    });
  }

  Future<RemoveTranslationResponse> remove(Call call, RemoveTranslationRequest r) {
    String key = required("key", r.getKey());
    language(required("locale", r.getLocale()), "locale");
    required("module_id", r.getModuleId());
    String target = r.getModuleId() + "/" + r.getLocale() + "/" + key;
    return translations.remove(call.userId(), r.getModuleId(), r.getLocale(), key,
        tx -> audit.record(tx, call.userId(), call.method(), target, "removed")).map(had -> {
      if (!had) {
        throw ModuleException.notFound("no translation of " + key + " in " + r.getLocale() + " for module " + r.getModuleId())
            .localized("notFound", r.getModuleId() + "/" + r.getLocale() + "/" + key);
      }
      registry.announce(r.getModuleId());
      return RemoveTranslationResponse.getDefaultInstance();
    });
  }

  Future<ListTranslationsResponse> list(Call call, ListTranslationsRequest r) {
    if (!r.getLocale().isEmpty()) language(r.getLocale(), "locale");
    return Future.succeededFuture(ListTranslationsResponse.newBuilder()
        .addAllTranslations(translations.list(r.getModuleId(), r.getLocale())).build());
  }

  /** The key, once module, language and key are known to be right. */
  private String checked(String moduleId, String locale, String key) {
    ModulePages module = registry.module(required("module_id", moduleId));
    language(required("locale", locale), "locale");
    required("key", key);
    if (!module.strings("").containsKey(key)) {
      throw ModuleException.badField("key", "module " + moduleId + " has no string " + key);
    }
    return key;
  }

  private static void language(String value, String field) {
    if (!LANGUAGE.matcher(value).matches()) {
      throw ModuleException.badField(field, "must be a language code such as ru or de (2 or 3 lower case letters)");
    }
  }

  private static String required(String field, String value) {
    if (value.isEmpty()) throw ModuleException.required(field);
    return value;
  }
}
