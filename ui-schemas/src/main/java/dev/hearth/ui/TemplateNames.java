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
 * ({@code count(}), names starting with {@code $} ({@code $root}, {@code $index}), text in
 * string literals and the item names a lambda function binds ({@code c} in
 * {@code where(channels, c, c.kind != 'DIRECT')}). A misspelt source would otherwise expand to
 * nothing, silently.
 */
public final class TemplateNames {

  /** The names the web shell puts at the root of every page's data besides its sources. */
  public static final Set<String> SHELL = Set.of("strings", "params", "project", "user");

  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern LITERAL = Pattern.compile("'[^']*'|\"[^\"]*\"");
  private static final Pattern NAME = Pattern.compile("(?<![\\w.$])([A-Za-z_][A-Za-z0-9_]*+)(?!\\s*\\()");
  private static final Set<String> WORDS = Set.of("true", "false", "null");
  /** A lambda function's item name: its second argument, a bare name. */
  private static final Pattern ITEM = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*,");
  /** The expression language's functions whose second argument names each item of the first. */
  private static final Pattern LAMBDA = Pattern.compile("(?<![\\w.$])(?:where|foreach|select|any|all)\\s*\\(");

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
        String text = LITERAL.matcher(expression.group(1)).replaceAll("''");
        Set<String> bound = lambdaNames(text);
        Matcher name = NAME.matcher(text);
        while (name.find()) {
          String n = name.group(1);
          if (!WORDS.contains(n) && !SHELL.contains(n) && !sources.contains(n) && !bound.contains(n)) {
            out.computeIfAbsent(pointer, k -> new LinkedHashSet<>()).add(n);
          }
        }
      }
    }
  }

  /** The item names lambda functions bind in {@code text} (its literals blanked): each one's second argument. */
  private static Set<String> lambdaNames(String text) {
    Set<String> names = new LinkedHashSet<>();
    Matcher lambda = LAMBDA.matcher(text);
    while (lambda.find()) {
      int depth = 0;
      int i = lambda.end();
      // Skip the first argument (which may hold calls and brackets of its own) up to its comma.
      for (; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '(' || c == '[') depth++;
        else if (c == ')' || c == ']') {
          if (depth-- == 0) break;
        } else if (c == ',' && depth == 0) {
          Matcher item = ITEM.matcher(text).region(i + 1, text.length());
          if (item.lookingAt()) names.add(item.group(1));
          break;
        }
      }
    }
    return names;
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
