package dev.hearth.kernel.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.module.ModuleException;
import dev.hearth.module.ui.PageData;
import dev.hearth.module.ui.Pages;
import dev.hearth.ui.CardValidator;
import dev.hearth.ui.TemplateNames;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One running module's pages and strings, read from its own jar through its class loader. Pages
 * are validated when registered ({@link CardValidator}, and {@link TemplateNames} against the
 * sources the page loads), so a module with a bad page fails to start. Reads happen in the module's {@code start}: a few small jar entries, once.
 */
final class ModulePages implements Pages {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  private static final Pattern LOCALE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})*");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A registered page: its title (a strings key or plain text) and its template as JSON text. */
  record Page(String name, String title, String template, PageData data) {}

  private final String moduleId;
  private final ClassLoader loader;
  private final Map<String, Page> pages = new LinkedHashMap<>();
  private volatile Map<String, String> fallback = Map.of();
  private volatile Map<String, Map<String, String>> locales = Map.of();

  ModulePages(String moduleId, ClassLoader loader) {
    this.moduleId = moduleId;
    this.loader = loader;
  }

  @Override
  public void page(String name, String title, String resourcePath, PageData data) {
    String what = "module " + moduleId + ": page '" + name + "' (" + resourcePath + ")";
    add(name, title, what, read(resourcePath, what), data);
  }

  @Override
  public void card(String name, String title, String cardJson, PageData data) {
    add(name, title, "module " + moduleId + ": page '" + name + "'",
        cardJson == null ? new byte[0] : cardJson.getBytes(StandardCharsets.UTF_8), data);
  }

  private synchronized void add(String name, String title, String what, byte[] json, PageData data) {
    if (name == null || !NAME.matcher(name).matches()) throw ModuleException.invalidArgument("module " + moduleId
        + ": page name '" + name + "' must match " + NAME);
    if (title == null || title.isBlank()) throw ModuleException.invalidArgument("module " + moduleId + ": page "
        + name + " needs a title");
    if (pages.containsKey(name)) throw ModuleException.invalidArgument("module " + moduleId + ": page " + name
        + " is registered twice");
    JsonNode card = CardValidator.validate(what, json);
    PageData loads = data == null ? PageData.of() : data;
    Set<String> sources = loads.sources().stream().map(PageData.Source::name).collect(Collectors.toSet());
    Map<String, Set<String>> unknown = TemplateNames.unknown(card, sources);
    if (!unknown.isEmpty()) throw ModuleException.invalidArgument(what + " reads data the page does not load: "
        + unknown.entrySet().stream().map(e -> e.getKey() + ": " + String.join(", ", e.getValue()))
            .collect(Collectors.joining("; ")) + " (its sources: " + String.join(", ", sources)
        + "; and " + String.join(", ", TemplateNames.SHELL) + ")");
    pages.put(name, new Page(name, title, card.toString(), loads));
  }

  @Override
  public void strings(String resourcePrefix, String... locales) {
    Map<String, Map<String, String>> byLocale = new LinkedHashMap<>();
    for (String locale : locales) byLocale.put(checkLocale(locale), table(resourcePrefix + "_" + locale + ".json"));
    strings(table(resourcePrefix + ".json"), byLocale);
  }

  @Override
  public synchronized void strings(Map<String, String> base, Map<String, Map<String, String>> tables) {
    if (!fallback.isEmpty() || !this.locales.isEmpty()) throw ModuleException.failedPrecondition("module "
        + moduleId + ": strings are registered already");
    Map<String, Map<String, String>> byLocale = new LinkedHashMap<>();
    tables.forEach((locale, texts) -> byLocale.put(checkLocale(locale).toLowerCase(Locale.ROOT), Map.copyOf(texts)));
    this.fallback = Map.copyOf(base);
    this.locales = Map.copyOf(byLocale);
  }

  private String checkLocale(String locale) {
    if (locale == null || !LOCALE.matcher(locale).matches()) throw ModuleException.invalidArgument("module "
        + moduleId + ": locale '" + locale + "' is not a language tag such as fr or pt-BR");
    return locale;
  }

  synchronized List<Page> pages() {
    return List.copyOf(pages.values());
  }

  synchronized Optional<Page> page(String name) {
    return Optional.ofNullable(pages.get(name));
  }

  /**
   * The best shipped locale for {@code requested} (exact tag, then its language), or empty for the
   * fallback strings.
   */
  String resolveLocale(String requested) {
    if (requested == null || requested.isEmpty()) return "";
    String tag = requested.toLowerCase(Locale.ROOT).replace('_', '-');
    if (locales.containsKey(tag)) return tag;
    int dash = tag.indexOf('-');
    String language = dash < 0 ? tag : tag.substring(0, dash);
    return locales.containsKey(language) ? language : "";
  }

  /** The strings for {@code requested}: the locale's texts over the fallback's. */
  Map<String, String> strings(String requested) {
    Map<String, String> merged = new LinkedHashMap<>(fallback);
    String locale = resolveLocale(requested);
    if (!locale.isEmpty()) merged.putAll(locales.get(locale));
    return merged;
  }

  /** A page title as navigation shows it: the text of the key when it is one, else the title itself. */
  String title(Page page, String requested) {
    return strings(requested).getOrDefault(page.title(), page.title());
  }

  private Map<String, String> table(String resource) {
    String what = "module " + moduleId + ": strings " + resource;
    JsonNode node;
    try {
      node = JSON.readTree(read(resource, what));
    } catch (IOException e) {
      throw ModuleException.invalidArgument(what + " is not JSON: " + e.getMessage());
    }
    if (node == null || !node.isObject()) throw ModuleException.invalidArgument(what
        + " must be one JSON object of key to text");
    Map<String, String> texts = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) throw ModuleException.invalidArgument(what + ": /" + e.getKey()
          + " must be a string");
      texts.put(e.getKey(), e.getValue().asText());
    });
    return texts;
  }

  /** The bytes of a resource of the module's own jar (not the node's: PF4J loads parent first). */
  private byte[] read(String resource, String what) {
    String path = resource.startsWith("/") ? resource.substring(1) : resource;
    URL url = loader instanceof URLClassLoader own ? own.findResource(path) : loader.getResource(path);
    if (url == null) throw ModuleException.invalidArgument(what + ": no such resource in the module's jar");
    try {
      URLConnection connection = url.openConnection();
      connection.setUseCaches(false); // a cached JarFile would outlive the module's class loader
      try (InputStream in = connection.getInputStream()) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw ModuleException.invalidArgument(what + ": cannot be read: " + e.getMessage());
    }
  }
}
