package dev.hearth.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.hearth.module.ModuleException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that a page template is an Adaptive Card the web shell can render: JSON, {@code type}
 * {@code AdaptiveCard}, {@code version} at most {@link #NEWEST}, and valid against the official
 * Adaptive Cards JSON schema shipped beside this class ({@code adaptive-card.schema.json}, see
 * {@code adaptive-card.schema.md} for its source and license).
 *
 * <p>Templates are not cards yet: the templating engine replaces {@code ${...}} expressions and
 * consumes the {@code $data} and {@code $when} properties before rendering. So the template is
 * checked as follows. The {@code $data}/{@code $when} keys are removed from a copy of it (they
 * decide whether and how often an element appears, not what it is). The schema is rewritten once
 * at load: every subschema {@code S} becomes {@code anyOf [S, binding]}, where {@code binding} is
 * a string that is entirely one {@code ${...}} expression, so a binding is accepted wherever a
 * value goes (a number, a boolean, an enum, an object) and everything else must be what the schema
 * says. Literal values are checked exactly as in a card. One more reading of the 1.0 schema: an
 * {@code items} tuple of one schema applies to every item, as later schema versions say.
 *
 * <p>Thread-safe; the schema is compiled once.
 */
public final class CardValidator {

  /** The newest card schema version the shell renders. */
  public static final String NEWEST = "1.6";

  private static final String BINDING = "hearth.binding";
  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchema SCHEMA = load();

  private CardValidator() {}

  /**
   * Parses and checks {@code template}; returns it parsed.
   *
   * @param what names the template in errors, e.g. {@code page 'greetings' (pages/greetings.json)}
   * @throws ModuleException INVALID_ARGUMENT naming {@code what}, the JSON pointer of the first
   *     (most specific) error, and the problem
   */
  public static JsonNode validate(String what, byte[] template) {
    JsonNode card;
    try {
      card = JSON.readTree(template);
    } catch (IOException e) {
      String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw invalid(what, "", "not JSON: " + detail);
    }
    Optional<CardProblem> error = check(card);
    if (error.isPresent()) throw invalid(what, error.get().pointer(), error.get().problem());
    return card;
  }

  /**
   * What is wrong with a parsed template, if anything: the same checks as {@link #validate}, for
   * callers that collect problems instead of failing on the first one (user-module definitions).
   *
   * @param card the template, not modified
   * @return the first (most specific) error, empty when the template is valid
   */
  public static Optional<CardProblem> check(JsonNode card) {
    if (card == null || !card.isObject()) return error("", "must be a JSON object (an AdaptiveCard)");
    if (!"AdaptiveCard".equals(card.path("type").asText(null))) return error("/type", "must be \"AdaptiveCard\"");
    Matcher v = VERSION.matcher(card.path("version").asText(""));
    if (!card.path("version").isTextual() || !v.matches()) {
      return error("/version", "must be a card version such as \"" + NEWEST + "\"");
    }
    int major = Integer.parseInt(v.group(1));
    int minor = Integer.parseInt(v.group(2));
    if (major != 1 || minor > 6) return error("/version", card.get("version").asText()
        + " is newer than " + NEWEST + ", the newest card version the shell renders");
    List<ValidationMessage> errors = SCHEMA.validate(withoutTemplateKeys(card.deepCopy())).stream()
        .filter(m -> !String.valueOf(m.getSchemaLocation()).contains(BINDING)).toList();
    return relevant(errors).stream()
        .max(Comparator.comparingInt(m -> m.getInstanceLocation().getNameCount()))
        .map(m -> {
          boolean unknownType = "enum".equals(m.getType()) && pointer(m).endsWith("/type");
          return new CardProblem(pointer(m), unknownType ? "'" + card.at(pointer(m)).asText()
              + "' is not a type this schema knows" : m.getError());
        });
  }

  /**
   * One problem with a template.
   *
   * @param pointer JSON pointer into the template, {@code ""} for the template itself
   * @param problem what is wrong there
   */
  public record CardProblem(String pointer, String problem) {}

  private static Optional<CardProblem> error(String pointer, String problem) {
    return Optional.of(new CardProblem(pointer, problem));
  }

  /**
   * An element that fails the schema fails every element type of an {@code anyOf}; only the errors
   * of the type it says it is ({@code "type": "TextBlock"}) tell what is wrong. So errors inside
   * a branch whose {@code type} did not match are dropped, unless no branch matched (an unknown type).
   */
  private static List<ValidationMessage> relevant(List<ValidationMessage> errors) {
    List<String> otherTypes = errors.stream()
        .filter(m -> "enum".equals(m.getType()) && m.getInstanceLocation().toString().endsWith("/type"))
        .map(m -> m.getEvaluationPath().toString())
        .filter(p -> p.lastIndexOf("/properties/type") >= 0)
        .map(p -> p.substring(0, p.lastIndexOf("/properties/type") + 1))
        .toList();
    List<ValidationMessage> left = errors.stream()
        .filter(m -> otherTypes.stream().noneMatch(branch -> m.getEvaluationPath().toString().startsWith(branch)))
        .toList();
    return left.isEmpty() ? errors : left;
  }

  private static String pointer(ValidationMessage m) {
    String p = m.getInstanceLocation().toString();
    return p.isEmpty() || p.equals("/") ? "" : p;
  }

  private static ModuleException invalid(String what, String pointer, String problem) {
    return ModuleException.invalidArgument(what + " is not a valid Adaptive Card: "
        + (pointer.isEmpty() ? "(root)" : pointer) + ": " + problem);
  }

  /** Removes {@code $data} and {@code $when} at every depth. */
  private static JsonNode withoutTemplateKeys(JsonNode node) {
    if (node instanceof ObjectNode o) {
      o.remove(List.of("$data", "$when"));
      o.forEach(CardValidator::withoutTemplateKeys);
    } else if (node instanceof ArrayNode a) {
      a.forEach(CardValidator::withoutTemplateKeys);
    }
    return node;
  }

  private static JsonSchema load() {
    try (InputStream in = CardValidator.class.getResourceAsStream("adaptive-card.schema.json")) {
      if (in == null) throw new IllegalStateException("adaptive-card.schema.json is missing from the kernel jar");
      ObjectNode schema = (ObjectNode) JSON.readTree(in);
      schema.remove(List.of("id", "$id")); // resolve its local $refs against itself, never fetch anything
      ObjectNode definitions = (ObjectNode) schema.get("definitions");
      definitions.fields().forEachRemaining(e -> e.setValue(bindable(e.getValue())));
      schema.fields().forEachRemaining(e -> {
        if (!e.getKey().equals("definitions")) e.setValue(children(e.getKey(), e.getValue()));
      });
      definitions.set(BINDING, JsonNodeFactory.instance.objectNode().put("type", "string")
          .put("pattern", "^\\$\\{[\\s\\S]*\\}$"));
      SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V6).getSchema(schema, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code anyOf [schema, binding]}, with the subschemas inside {@code schema} rewritten the same way. */
  private static JsonNode bindable(JsonNode schema) {
    if (!schema.isObject()) return schema; // boolean schemas stay as they are
    ObjectNode rewritten = JsonNodeFactory.instance.objectNode();
    schema.fields().forEachRemaining(e -> rewritten.set(e.getKey(), children(e.getKey(), e.getValue())));
    ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
    wrapper.putArray("anyOf").add(rewritten).addObject().put("$ref", "#/definitions/" + BINDING);
    return wrapper;
  }

  /** Rewrites the subschemas held by keyword {@code key} (draft-06 keywords); other values are kept. */
  private static JsonNode children(String key, JsonNode value) {
    switch (key) {
      case "properties", "patternProperties", "dependencies" -> {
        if (!value.isObject()) return value;
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          out.set(e.getKey(), e.getValue().isArray() ? e.getValue() : bindable(e.getValue()));
        }
        return out;
      }
      case "items", "allOf", "anyOf", "oneOf" -> {
        if (!value.isArray()) return bindable(value);
        // A one-entry tuple of items is the 1.0 schema's way of saying "every item" (later versions fixed it).
        if (key.equals("items") && value.size() == 1) return bindable(value.get(0));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        value.forEach(s -> out.add(bindable(s)));
        return out;
      }
      case "additionalProperties", "additionalItems", "contains", "propertyNames" -> {
        return bindable(value);
      }
      default -> {
        return value;
      }
    }
  }
}
