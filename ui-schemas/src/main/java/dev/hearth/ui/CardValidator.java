package dev.hearth.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.ValidationMessage;
import dev.hearth.module.ModuleException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks that a page template is a card the web shell renders: valid against the JSON schema of the
 * shell's card language ({@value #SCHEMA_RESOURCE} beside this class), which the ui-schemas build
 * generates from the renderer itself (adaptivecards' registry and property definitions, plus
 * Hearth's host elements; {@code web/scripts/card-schema.mjs}). The language is described in
 * {@code docs/cards.md}.
 *
 * <p>Templates are not cards yet: the templating engine consumes {@code $data} and {@code $when}
 * (the schema allows them on every object) and replaces {@code ${...}} expressions. A value that
 * holds an expression is what it expands to, which only the data can tell, so no problem is
 * reported at a value containing {@code ${}: a binding is accepted wherever a value goes. Everything
 * else, literal values included, is checked as in a card.
 *
 * <p>Every problem is reported, each at the JSON pointer of its culprit: an element of an unknown
 * type at its {@code type} (and its contents not checked against a type it is not), an unknown
 * property at that property. Thread-safe; the schema is compiled once.
 */
public final class CardValidator {

  /** The newest card version the shell renders. */
  public static final String NEWEST = "1.6";
  /** The generated schema, a class-path resource beside this class. */
  public static final String SCHEMA_RESOURCE = "adaptive-card-1.6.schema.json";

  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectNode RAW = read();
  private static final JsonSchema SCHEMA = compile(RAW);

  private CardValidator() {}

  /**
   * Parses and checks {@code template}; returns it parsed.
   *
   * @param what names the template in errors, e.g. {@code page 'greetings' (pages/greetings.json)}
   * @throws ModuleException INVALID_ARGUMENT naming {@code what} and every problem (JSON pointer: problem)
   */
  public static JsonNode validate(String what, byte[] template) {
    JsonNode card;
    try {
      card = JSON.readTree(template);
    } catch (IOException e) {
      String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw invalid(what, List.of(new CardProblem("", "not JSON: " + detail)));
    }
    List<CardProblem> problems = problems(card);
    if (!problems.isEmpty()) throw invalid(what, problems);
    return card;
  }

  /**
   * Every problem of a parsed template, in document order; empty when it is valid.
   *
   * @param card the template, not modified
   */
  public static List<CardProblem> problems(JsonNode card) {
    if (card == null || !card.isObject()) return List.of(new CardProblem("", "must be a JSON object (an AdaptiveCard)"));
    if (!"AdaptiveCard".equals(card.path("type").asText(null))) {
      return List.of(new CardProblem("/type", "must be \"AdaptiveCard\""));
    }
    Set<CardProblem> problems = new LinkedHashSet<>();
    String versionProblem = versionProblem(card.get("version"));
    if (versionProblem != null) problems.add(new CardProblem("/version", versionProblem));
    Alternatives alternatives = new Alternatives(card, RAW);
    List<ValidationMessage> found = SCHEMA.validate(card).stream()
        .filter(m -> !isBinding(card.at(pointer(m))) && !(versionProblem != null && pointer(m).equals("/version")))
        .toList();
    for (ValidationMessage m : alternatives.relevant(found)) {
      CardProblem p = Messages.describe(m, pointer(m), card, RAW);
      if (p != null) problems.add(p);
    }
    problems.addAll(alternatives.combined());
    List<CardProblem> sorted = new ArrayList<>(problems);
    sorted.sort(Comparator.comparing(p -> Messages.order(card, p.pointer())));
    return List.copyOf(sorted);
  }

  /** The first problem of a parsed template, if any (see {@link #problems}). */
  public static Optional<CardProblem> check(JsonNode card) {
    return problems(card).stream().findFirst();
  }

  /**
   * One problem with a template.
   *
   * @param pointer JSON pointer into the template, {@code ""} for the template itself
   * @param problem what is wrong there
   */
  public record CardProblem(String pointer, String problem) {}

  /** A value the templating engine computes: a string with a {@code ${...}} expression in it. */
  static boolean isBinding(JsonNode value) {
    return value != null && value.isTextual() && value.asText().contains("${");
  }

  private static String versionProblem(JsonNode version) {
    if (version == null || !version.isTextual()) return "must be a card version such as \"" + NEWEST + "\"";
    if (isBinding(version)) return "must be written out (\"" + NEWEST + "\"), not computed";
    Matcher v = VERSION.matcher(version.asText());
    if (!v.matches()) return "must be a card version such as \"" + NEWEST + "\"";
    if (Integer.parseInt(v.group(1)) != 1 || Integer.parseInt(v.group(2)) > 6) {
      return version.asText() + " is newer than " + NEWEST + ", the newest card version the shell renders";
    }
    return null;
  }

  private static String pointer(ValidationMessage m) {
    String p = m.getInstanceLocation().toString();
    return p.isEmpty() || p.equals("/") ? "" : p;
  }

  private static ModuleException invalid(String what, List<CardProblem> problems) {
    String list = problems.stream()
        .map(p -> (p.pointer().isEmpty() ? "(root)" : p.pointer()) + ": " + p.problem())
        .collect(Collectors.joining("; "));
    return ModuleException.invalidArgument(what + " is not a valid Adaptive Card: " + list);
  }

  private static ObjectNode read() {
    try (InputStream in = CardValidator.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the class path: the "
          + "ui-schemas build generates it (web/scripts/card-schema.mjs)");
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonSchema compile(ObjectNode raw) {
    ObjectNode schema = raw.deepCopy();
    schema.remove("$id"); // resolve its local $refs against itself, never fetch anything
    // enumIgnoringCase: the values a case-insensitive pattern stands for, kept for messages only.
    JsonMetaSchema meta = JsonMetaSchema.builder(JsonMetaSchema.getV7())
        .keyword(new AnnotationKeyword("enumIgnoringCase")).build();
    JsonSchemaFactory factory = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(meta.getSpecification()))
        .metaSchema(meta).defaultMetaSchemaIri(meta.getIri()).build();
    return factory.getSchema(schema, SchemaSettings.config(PathType.JSON_POINTER));
  }
}
