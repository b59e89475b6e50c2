package dev.hearth.usermodules;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes what a person types into the module designer (issue 20, item 7: user-module definitions),
 * through the whole path the node takes on an install or an upgrade: {@link DefinitionValidator},
 * {@link FieldRegistry#initial} or {@link FieldRegistry#upgrade}, {@link DescriptorCompiler}, and the
 * registry's JSON round trip. Whatever comes in, each step answers (a definition, or problems with a
 * path and a message) and never throws; no message names a Java class; a valid definition installs
 * (its first registry cannot fail) and compiles or is refused with problems; and a registry read back from
 * its JSON is the same.
 *
 * <p>In every build the seeds under {@code DefinitionFuzzTestInputs/} are replayed. A fuzzing session
 * (coverage-guided, in-process: thousands of cases a second) runs one method at a time, e.g.
 * {@code JAZZER_FUZZ=1 mvn -B -pl user-modules -am test -Dtest=DefinitionFuzzTest#mutatedInventory};
 * see docs/api.md, "Fuzzing".
 */
class DefinitionFuzzTest {

  /** A Java class name ({@code java.lang.Foo}, {@code com.fasterxml.Bar}) or an exception's name. */
  private static final Pattern INTERNALS = Pattern.compile("[a-z]+\\.[a-z]+\\.[A-Z]\\w+|\\w*Exception");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INVENTORY = resource("/examples/inventory.json");
  private static final UserModuleDefinition INVENTORY_DEF = DefinitionValidator.validate(INVENTORY).definition();
  private static final FieldRegistry INVENTORY_REGISTRY = FieldRegistry.initial(INVENTORY_DEF);

  /** Any bytes as a definition: malformed JSON, wrong shapes, deep nesting, bad UTF-8. */
  @FuzzTest(maxDuration = "60s")
  void anyBytes(byte[] data) {
    installAndUpgrade(new String(data, StandardCharsets.UTF_8));
  }

  /**
   * The designer's worked example with a few edits of the kind a person makes by hand: a value
   * replaced by another of any type, a key removed or renamed, an element copied elsewhere, an
   * array emptied. Reaches the semantic checks, upgrades and the compiler far more often than bytes.
   */
  @FuzzTest(maxDuration = "60s")
  void mutatedInventory(FuzzedDataProvider data) {
    ObjectNode root = (ObjectNode) read(INVENTORY);
    int edits = data.consumeInt(1, 6);
    for (int i = 0; i < edits && data.remainingBytes() > 0; i++) {
      edit(root, data);
    }
    installAndUpgrade(root.toString());
  }

  private static void installAndUpgrade(String text) {
    DefinitionValidator.Result result = DefinitionValidator.validate(text);
    for (Problem p : result.problems()) {
      assertThat(p.path()).as("a problem's path: %s", p).startsWith("$");
      assertThat(p.message()).as("a problem's message: %s", p).isNotBlank();
      assertNoInternals(p.message(), text);
    }
    if (!result.valid()) {
      assertThat(result.definition()).isNull();
      return;
    }
    UserModuleDefinition def = result.definition();
    FieldRegistry first = FieldRegistry.initial(def); // throws if a valid definition could not be installed
    assertThat(FieldRegistry.fromJson(first.toJson()).toJson()).isEqualTo(first.toJson());
    compiles(def, first, text);
    // The same definition as an upgrade of the worked example: refused with problems, or a registry that compiles.
    FieldRegistry.Upgrade upgrade = FieldRegistry.upgrade(INVENTORY_REGISTRY, def);
    for (Problem p : upgrade.problems()) {
      assertThat(p.message()).isNotBlank();
      assertNoInternals(p.message(), text);
    }
    if (upgrade.ok()) compiles(def, upgrade.registry(), text);
  }

  /** Compiled, or refused with problems the node hands back as they are (UserModulesApi: INVALID_ARGUMENT). */
  private static void compiles(UserModuleDefinition def, FieldRegistry registry, String text) {
    DescriptorCompiler.Result compiled = DescriptorCompiler.compile(def, registry);
    assertThat(compiled.compiled() == null).as("compiled, or problems: %s", compiled.problems()).isEqualTo(!compiled.ok());
    for (Problem p : compiled.problems()) {
      assertThat(p.message()).isNotBlank();
      assertNoInternals(p.message(), text);
    }
  }

  private static void assertNoInternals(String message, String input) {
    Matcher m = INTERNALS.matcher(message);
    while (m.find()) {
      assertThat(input).as("'%s' names a Java class or exception the input did not", message).contains(m.group());
    }
  }

  /** One edit at a node picked by the fuzzer. */
  private static void edit(ObjectNode root, FuzzedDataProvider data) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    JsonNode at = containers.get(data.consumeInt(0, containers.size() - 1));
    if (at instanceof ObjectNode object) {
      List<String> keys = new ArrayList<>();
      object.fieldNames().forEachRemaining(keys::add);
      String key = keys.isEmpty() ? data.consumeString(12) : keys.get(data.consumeInt(0, keys.size() - 1));
      switch (data.consumeInt(0, 3)) {
        case 0 -> object.remove(key);
        case 1 -> {
          JsonNode moved = object.remove(key);
          if (moved != null) object.set(data.consumeString(16), moved);
        }
        case 2 -> object.set(key, value(root, containers, data));
        default -> object.set(data.consumeString(16), value(root, containers, data));
      }
    } else if (at instanceof ArrayNode array) {
      switch (data.consumeInt(0, 3)) {
        case 0 -> array.removeAll();
        case 1 -> {
          if (!array.isEmpty()) array.remove(data.consumeInt(0, array.size() - 1));
        }
        case 2 -> {
          if (!array.isEmpty()) array.add(array.get(data.consumeInt(0, array.size() - 1)).deepCopy());
        }
        default -> array.add(value(root, containers, data));
      }
    }
  }

  private static JsonNode value(ObjectNode root, List<JsonNode> containers, FuzzedDataProvider data) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (data.consumeInt(0, 8)) {
      case 0 -> f.textNode(data.consumeString(40));
      case 1 -> f.numberNode(data.consumeLong());
      case 2 -> f.numberNode(data.consumeDouble());
      case 3 -> f.booleanNode(data.consumeBoolean());
      case 4 -> f.nullNode();
      case 5 -> f.objectNode();
      case 6 -> f.arrayNode();
      case 7 -> containers.get(data.consumeInt(0, containers.size() - 1)).deepCopy();
      default -> f.textNode(pick(data, "in_stock", "item", "location", "text", "number", "enum", "ref", "date",
          "create", "update", "delete", "transition", "1.0.0", "2.0.0", "title", "status", "quantity", ""));
    };
  }

  private static String pick(FuzzedDataProvider data, String... words) {
    return words[data.consumeInt(0, words.length - 1)];
  }

  private static void collect(JsonNode node, List<JsonNode> into) {
    if (node.isContainerNode()) {
      into.add(node);
      node.forEach(child -> collect(child, into));
    }
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = DefinitionFuzzTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
