package dev.hearth.ui;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Best effort: the names a card template reads from its page's data that the page does not have.
 * A page's data is its sources by name plus what the shell adds ({@link #SHELL}), so a
 * {@code ${...}} expression at the card's level may start a property path only with one of those
 * ({@code channel} in {@code ${channel.name}}). Inside an object with {@code $data} the names are
 * the item's, which only the data knows: not checked. Nor are names after a dot, function names
 * ({@code count(}), names starting with {@code $} ({@code $root}, {@code $index}) and text in
 * string literals. A misspelt source would otherwise expand to nothing, silently.
 */
public final class TemplateNames {

  /** The names the web shell puts at the root of every page's data besides its sources. */
  public static final Set<String> SHELL = Set.of("strings", "params", "project", "user");

  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern LITERAL = Pattern.compile("'[^']*'|\"[^\"]*\"");
  private static final Pattern NAME = Pattern.compile("(?<![\\w.$])([A-Za-z_][A-Za-z0-9_]*+)(?!\\s*\\()");
  private static final Set<String> WORDS = Set.of("true", "false", "null");

  private TemplateNames() {}

  /**
   * JSON pointer of each string that reads names neither in {@code sources} nor {@link #SHELL},
   * outside any {@code $data} scope → those names, in card order.
   */
  public static Map<String, Set<String>> unknown(JsonNode card, Set<String> sources) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    walk(card, "", sources, out);
    return out;
  }

  private static void walk(JsonNode node, String pointer, Set<String> sources, Map<String, Set<String>> out) {
    if (node.isObject()) {
      if (node.has("$data")) {
        walk(node.get("$data"), pointer + "/$data", sources, out); // evaluated in the outer scope
        return; // the rest is per item
      }
      node.fields().forEachRemaining(e -> walk(e.getValue(), pointer + "/" + escape(e.getKey()), sources, out));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) walk(node.get(i), pointer + "/" + i, sources, out);
    } else if (node.isTextual()) {
      Matcher expression = EXPRESSION.matcher(node.asText());
      while (expression.find()) {
        Matcher name = NAME.matcher(LITERAL.matcher(expression.group(1)).replaceAll("''"));
        while (name.find()) {
          String n = name.group(1);
          if (!WORDS.contains(n) && !SHELL.contains(n) && !sources.contains(n)) {
            out.computeIfAbsent(pointer, k -> new LinkedHashSet<>()).add(n);
          }
        }
      }
    }
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
