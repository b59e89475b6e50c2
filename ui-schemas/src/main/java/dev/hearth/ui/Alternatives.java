package dev.hearth.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import dev.hearth.ui.CardValidator.CardProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a value may take several shapes ({@code anyOf}: a column width is a number, a size in pixels
 * or auto/stretch; a fallback is "drop" or an element), a value that fits none fails every shape,
 * and the schema validator reports each failure. Only one of them says what the author meant: the
 * shape of the same JSON type as the value (an object is meant to be the element, not the string
 * "drop"). So messages from the other shapes are dropped; when no shape, or several, have the
 * value's type, the failures become one problem listing the shapes.
 */
final class Alternatives {

  /** One {@code anyOf} on a message's way: at which value, which branch the message came from. */
  private record Choice(String key, String at, JsonNode anyOf, int branch) {}

  private final JsonNode card;
  private final JsonNode schema;
  private final Map<String, CardProblem> combined = new LinkedHashMap<>();

  Alternatives(JsonNode card, JsonNode schema) {
    this.card = card;
    this.schema = schema;
  }

  /** Keeps the messages that belong to the shape the value was meant to have. */
  List<ValidationMessage> relevant(List<ValidationMessage> messages) {
    List<ValidationMessage> kept = new ArrayList<>();
    for (ValidationMessage m : messages) {
      boolean keep = true;
      for (Choice c : choices(m)) {
        Set<Integer> meant = meant(c);
        if (meant.size() == 1) {
          if (!meant.contains(c.branch())) keep = false;
        } else {
          combined.putIfAbsent(c.key(), new CardProblem(c.at(), Messages.oneOf(c.anyOf(), schema, card.at(c.at()))));
          keep = false;
        }
        if (!keep) break;
      }
      if (keep) kept.add(m);
    }
    return kept;
  }

  /** The problems that stand for the failures of a whole {@code anyOf}. */
  List<CardProblem> combined() {
    return List.copyOf(combined.values());
  }

  /** The branches whose JSON type is the value's (a branch without a type fits any value). */
  private Set<Integer> meant(Choice c) {
    JsonNode value = card.at(c.at());
    Set<Integer> out = new LinkedHashSet<>();
    for (int i = 0; i < c.anyOf().size(); i++) {
      String type = resolve(c.anyOf().get(i)).path("type").asText("");
      if (type.isEmpty() || fits(type, value)) out.add(i);
    }
    return out;
  }

  /**
   * Follows the message's evaluation path through the schema and, in step, its instance location
   * through the card, noting each {@code anyOf} passed.
   */
  private List<Choice> choices(ValidationMessage m) {
    List<Choice> out = new ArrayList<>();
    JsonNodePath eval = m.getEvaluationPath();
    JsonNodePath instance = m.getInstanceLocation();
    JsonNode node = schema;
    int consumed = 0;
    StringBuilder at = new StringBuilder();
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < eval.getNameCount() && node != null; i++) {
      String segment = String.valueOf(eval.getElement(i));
      key.append('/').append(segment);
      switch (segment) {
        case "$ref" -> node = resolve(node);
        case "properties", "patternProperties" -> {
          String name = String.valueOf(eval.getElement(++i));
          key.append('/').append(name);
          node = node.path(segment).path(name);
          at.append('/').append(escape(String.valueOf(instance.getElement(consumed++))));
        }
        case "items", "additionalProperties" -> {
          node = node.path(segment);
          if (consumed < instance.getNameCount()) at.append('/').append(escape(String.valueOf(instance.getElement(consumed++))));
        }
        case "anyOf", "allOf", "oneOf" -> {
          int branch = Integer.parseInt(String.valueOf(eval.getElement(++i)));
          if (segment.equals("anyOf")) out.add(new Choice(at + " " + key, at.toString(), node.path("anyOf"), branch));
          key.append('/').append(branch);
          node = node.path(segment).path(branch);
        }
        default -> node = node.path(segment); // then, if, not, ...
      }
    }
    return out;
  }

  private JsonNode resolve(JsonNode node) {
    while (node.has("$ref")) node = schema.at(node.get("$ref").asText().substring(1));
    return node;
  }

  private static boolean fits(String type, JsonNode value) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "number" -> value.isNumber();
      case "integer" -> value.isIntegralNumber();
      case "boolean" -> value.isBoolean();
      default -> false;
    };
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
