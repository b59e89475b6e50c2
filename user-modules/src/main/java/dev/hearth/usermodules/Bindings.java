package dev.hearth.usermodules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Best effort: the names a card template's {@code ${...}} expressions read that are not fields of
 * the page's entity. A page's data is {@code {"items": [record, ...]}}, so a name must be
 * {@code items}, one of the engine's fields ({@code id}, {@code created_at}, ...) or a field of the
 * entity. Only names that start a property path are checked ({@code title} in {@code ${title}} or
 * {@code ${location.name}}); names after a dot, function names ({@code count(}), names starting
 * with {@code $} ({@code $root}, {@code $index}) and names inside string literals are not.
 */
final class Bindings {

  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern LITERAL = Pattern.compile("'[^']*'|\"[^\"]*\"");
  private static final Pattern NAME = Pattern.compile("(?<![\\w.$])([A-Za-z_][A-Za-z0-9_]*+)(?!\\s*\\()");
  /** Literals, and the names the web shell puts at the root of every page's data besides the fields. */
  private static final Set<String> WORDS = Set.of("true", "false", "null", "items", "strings", "params", "project", "user");

  private Bindings() {}

  /** JSON path of each string holding unknown names → those names, in card order. */
  static Map<String, Set<String>> unknown(JsonNode card, String path, Set<String> fields) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    walk(card, path, fields, out);
    return out;
  }

  private static void walk(JsonNode node, String path, Set<String> fields, Map<String, Set<String>> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> walk(e.getValue(), Paths.key(path, e.getKey()), fields, out));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) walk(node.get(i), Paths.index(path, i), fields, out);
    } else if (node.isTextual()) {
      Matcher expression = EXPRESSION.matcher(node.asText());
      while (expression.find()) {
        Matcher name = NAME.matcher(LITERAL.matcher(expression.group(1)).replaceAll("''"));
        while (name.find()) {
          String n = name.group(1);
          if (!WORDS.contains(n) && !fields.contains(n) && !UserModuleDefinition.RESERVED_FIELDS.contains(n)) {
            out.computeIfAbsent(path, k -> new LinkedHashSet<>()).add(n);
          }
        }
      }
    }
  }
}
