package dev.hearth.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import dev.hearth.ui.CardValidator.CardProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The schema validator's findings in the words of the card language: the element or action a
 * problem is in, the property by name, enum values as the card author writes them. A card author
 * reads these (on a module's start, in {@code hearth usermodule validate}), not a schema author.
 */
final class Messages {

  private static final Map<String, String> PATTERNS = Map.of(
      "^[0-9]+px$", "must be a size in pixels such as \"80px\"",
      "^[0-9]{2}:[0-9]{2}$", "must be a time such as \"09:30\" (HH:MM)",
      "^[0-9]+(px)?$", "must be a weight such as \"2\" or a size in pixels such as \"80px\"",
      "^[a-zA-Z]{2,3}$", "must be a two- or three-letter language code such as \"en\"");

  private Messages() {}

  /** One finding as a problem at {@code at}, or null when it only repeats another finding. */
  static CardProblem describe(ValidationMessage m, String at, JsonNode card, JsonNode schema) {
    JsonNode value = card.at(at);
    JsonNode rule = schema.at(parentOf(m.getSchemaLocation().getFragment().toString()));
    String kind = kind(value);
    return switch (m.getType()) {
      case "additionalProperties" -> new CardProblem(at + "/" + escape(m.getProperty()),
          kind + " has no property '" + m.getProperty() + "'" + suggestion(m.getProperty(), rule.path("properties")));
      case "required" -> new CardProblem(at, kind + " needs '" + m.getProperty() + "'");
      case "type" -> new CardProblem(at, "must be " + article(rule.path("type").asText()) + ", not " + found(value));
      case "const" -> new CardProblem(at, "must be " + rule.path("const"));
      case "enum" -> new CardProblem(at, "'" + value.asText() + "' " + (schema.path("definitions").has(value.asText())
          ? "cannot be used here: must be " : "is not ") + rule.path("description").asText("allowed")
          + (at.endsWith("/type") ? "; one of " + list(rule.path("enum")) : ""));
      case "pattern" -> new CardProblem(at, rule.has("enumIgnoringCase")
          ? found(value) + " is not one of " + list(rule.get("enumIgnoringCase")) + " (in any case)"
          : PATTERNS.getOrDefault(rule.path("pattern").asText(), "does not match " + rule.path("pattern").asText())
              + ", not " + found(value));
      case "minimum", "maximum" -> new CardProblem(at, m.getMessage().replaceFirst("^\\S+: ", ""));
      case "anyOf" -> new CardProblem(at, oneOf(rule.path("anyOf"), schema, value));
      default -> null; // if/then, allOf, $ref: their parts report
    };
  }

  /** The problem of a value that fits none of the shapes of an {@code anyOf}. */
  static String oneOf(JsonNode anyOf, JsonNode schema, JsonNode value) {
    return "must be " + alternatives(anyOf, schema) + ", not " + found(value);
  }

  /** A sort key that puts problems in document order: the pre-order position of the pointer's node. */
  static String order(JsonNode card, String pointer) {
    List<Integer> path = new ArrayList<>();
    JsonNode node = card;
    for (String segment : pointer.isEmpty() ? new String[0] : pointer.substring(1).split("/", -1)) {
      String name = segment.replace("~1", "/").replace("~0", "~");
      int index = 0;
      if (node.isArray()) {
        index = parse(name);
      } else {
        for (var it = node.fieldNames(); it.hasNext() && !it.next().equals(name); ) index++;
      }
      path.add(index);
      node = node.isArray() ? node.path(index) : node.path(name);
    }
    StringBuilder key = new StringBuilder();
    path.forEach(i -> key.append(String.format("%05d.", i)));
    return key.toString();
  }

  private static String kind(JsonNode value) {
    String type = value.path("type").asText("");
    return type.isEmpty() || value.path("type").asText().contains("${") ? "this object" : type;
  }

  private static String found(JsonNode value) {
    if (value.isMissingNode()) return "nothing";
    if (value.isTextual()) return "\"" + value.asText() + "\"";
    if (value.isObject()) return "an object";
    if (value.isArray()) return "an array";
    return value.getNodeType().name().toLowerCase() + " " + value;
  }

  private static String article(String type) {
    return switch (type) {
      case "object", "array" -> "an " + type;
      case "" -> "something else";
      default -> "a " + type;
    };
  }

  private static String alternatives(JsonNode anyOf, JsonNode schema) {
    List<String> out = new ArrayList<>();
    for (JsonNode option : anyOf) {
      if (option.has("$ref")) out.add(option.get("$ref").asText().replace("#/definitions/", "a "));
      else if (option.has("const")) out.add(option.get("const").toString());
      else if (option.has("enum")) out.add("one of " + list(option.get("enum")));
      else if (option.has("enumIgnoringCase")) out.add("one of " + list(option.get("enumIgnoringCase")));
      else if (option.has("pattern")) out.add(PATTERNS.getOrDefault(option.get("pattern").asText(), "a string")
          .replaceFirst("^must be ", ""));
      else out.add(article(option.path("type").asText()));
    }
    return String.join(" or ", out);
  }

  /** ", did you mean 'color'?" when a known property differs only in case or by one letter. */
  private static String suggestion(String name, JsonNode properties) {
    for (var it = properties.fieldNames(); it.hasNext(); ) {
      String known = it.next();
      if (known.equalsIgnoreCase(name) || distance(known, name) == 1) return "; did you mean '" + known + "'?";
    }
    return "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      int[] cur = new int[b.length() + 1];
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
      prev = cur;
    }
    return prev[b.length()];
  }

  private static String list(JsonNode values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(v.asText()));
    return String.join(", ", out);
  }

  private static String parentOf(String pointer) {
    int slash = pointer.lastIndexOf('/');
    return slash <= 0 ? "" : pointer.substring(0, slash);
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  private static int parse(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
