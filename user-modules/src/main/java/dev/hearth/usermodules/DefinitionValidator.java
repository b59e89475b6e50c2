package dev.hearth.usermodules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SpecVersion;
import dev.hearth.ui.SchemaSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Checks a user module definition and reads it: the JSON Schema beside this class
 * ({@code user-module.schema.json}, draft-07) for its structure, then the checks a schema cannot
 * express (unique names, references between entities, queries, pages and actions, defaults and
 * limits, cards). Every problem is reported at once; nothing here throws on bad input.
 *
 * <p>Thread-safe; the schema is compiled once.
 */
public final class DefinitionValidator {

  /** Where the published schema is, on the class path. */
  public static final String SCHEMA_RESOURCE = "/dev/hearth/usermodules/user-module.schema.json";

  // Duplicate keys would make a definition mean whatever the last one says: refuse them.
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
  private static final JsonSchema SCHEMA = load();

  private DefinitionValidator() {}

  /**
   * The outcome of a validation.
   *
   * @param definition the definition, when there are no problems; null otherwise
   * @param problems every problem found: the schema's first (ordered by path), then the others in
   *     document order; empty when valid
   */
  public record Result(UserModuleDefinition definition, List<Problem> problems) {
    public Result {
      problems = List.copyOf(problems);
    }

    public boolean valid() {
      return problems.isEmpty();
    }
  }

  /** Validates a definition given as UTF-8 JSON. */
  public static Result validate(byte[] json) {
    return validate(new String(json, StandardCharsets.UTF_8));
  }

  /** Validates a definition given as JSON text; malformed JSON is one problem at {@code $}. */
  public static Result validate(String json) {
    JsonNode root;
    try {
      root = json == null ? null : JSON.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String detail = e.getOriginalMessage().replaceFirst(" \\(start marker at \\[Source.*$", "");
      return failed(new Problem("$", "not JSON: " + detail
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")));
    }
    if (root == null || root.isMissingNode()) return failed(new Problem("$", "not JSON: the document is empty"));
    List<Problem> emptyKeys = new ArrayList<>();
    emptyKeys(root, "$", emptyKeys);
    if (!emptyKeys.isEmpty()) return new Result(null, emptyKeys); // the schema library cannot name where they are
    List<Problem> problems = new ArrayList<>(SchemaProblems.of(SCHEMA.validate(root), root));
    if (root.isObject()) new SemanticChecks(root, problems).run();
    if (!problems.isEmpty()) return new Result(null, List.copyOf(new LinkedHashSet<>(problems)));
    return new Result(DefinitionReader.read(root), List.of());
  }

  /**
   * Objects with an empty key, each a problem at the object's path. No definition has a use for one,
   * and the schema library throws while naming a path through it (found by DefinitionFuzzTest).
   */
  private static void emptyKeys(JsonNode node, String path, List<Problem> into) {
    if (node.isObject()) {
      if (node.has("")) into.add(new Problem(path, "a key must not be empty"));
      node.fields().forEachRemaining(e -> {
        if (!e.getKey().isEmpty()) emptyKeys(e.getValue(), Paths.key(path, e.getKey()), into);
      });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) emptyKeys(node.get(i), Paths.index(path, i), into);
    }
  }

  private static Result failed(Problem problem) {
    return new Result(null, List.of(problem));
  }

  private static JsonSchema load() {
    try (InputStream in = DefinitionValidator.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the jar");
      ObjectNode schema = (ObjectNode) JSON.readTree(in);
      schema.remove("$id"); // resolve its local $refs against itself, never fetch anything
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema, SchemaSettings.config(PathType.JSON_PATH));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
