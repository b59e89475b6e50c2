package dev.hearth.usermodules.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.module.ui.PageData;
import dev.hearth.module.ui.Pages;
import dev.hearth.usermodules.DescriptorCompiler;
import dev.hearth.usermodules.UserModuleDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers a user module's pages: each page's card, with {@code Action.Submit} data
 * {@code {"action": "<name>"}} turned into the generated method ({@code {"rpc": "<Service>/<Method>"}}),
 * loading its query's records as {@code items} and refreshed by its entity's topic. Page titles and
 * the module's name become its strings ({@code page.<name>}, {@code module.name}) per locale.
 */
final class RecordPages {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RecordPages() {}

  static void register(String moduleId, UserModuleDefinition definition, DescriptorCompiler.Compiled compiled, Pages pages) {
    Map<String, String> fallback = new LinkedHashMap<>();
    Map<String, Map<String, String>> locales = new HashMap<>();
    text("module.name", definition.names(), fallback, locales);
    String service = compiled.service().getFullName();
    for (UserModuleDefinition.Page page : definition.pages()) {
      text("page." + page.name(), page.titles(), fallback, locales);
      UserModuleDefinition.Query query = definition.queries().stream()
          .filter(q -> q.name().equals(page.query())).findFirst().orElseThrow();
      PageData data = PageData.of()
          .load("items", service + "/" + compiled.queries().get(query.name()).getName(), "{}", "items")
          // A deleted record leaves the list by id; a put carries only the id, and the query decides
          // (filter, order) whether and where it shows, so the list is loaded again (docs/web.md, "Live").
          .live("items", PageData.Live.remove("delete"), PageData.Live.reload("put"))
          .topic(RecordTopics.topic(moduleId, query.entity(), "${project}"));
      pages.card(page.name(), "page." + page.name(), rewrite(page.card(), service, compiled), data);
    }
    pages.strings(fallback, locales);
  }

  private static void text(String key, Map<String, String> byLocale, Map<String, String> fallback,
      Map<String, Map<String, String>> locales) {
    byLocale.forEach((locale, value) -> {
      if (locale.equals("en")) fallback.put(key, value);
      else locales.computeIfAbsent(locale, l -> new LinkedHashMap<>()).put(key, value);
    });
  }

  /** The card with every {@code "action": name} of an {@code Action.Submit}'s data replaced by its method. */
  static String rewrite(String card, String service, DescriptorCompiler.Compiled compiled) {
    try {
      JsonNode root = JSON.readTree(card);
      walk(root, service, compiled);
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the validator parsed this card already
    }
  }

  private static void walk(JsonNode node, String service, DescriptorCompiler.Compiled compiled) {
    if (node.isObject()) {
      JsonNode data = node.get("data");
      if ("Action.Submit".equals(node.path("type").asText()) && data instanceof ObjectNode d && d.has("action")) {
        var method = compiled.actions().get(d.get("action").asText());
        if (method != null) {
          d.remove("action");
          d.put("rpc", service + "/" + method.getName());
        }
      }
      node.forEach(child -> walk(child, service, compiled));
    } else if (node.isArray()) {
      node.forEach(child -> walk(child, service, compiled));
    }
  }
}
