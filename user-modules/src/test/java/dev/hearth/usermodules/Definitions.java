package dev.hearth.usermodules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Valid definitions for tests: the inventory example, as is or edited. */
final class Definitions {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Definitions() {}

  static UserModuleDefinition inventory() {
    return inventory(d -> { });
  }

  /** The inventory example after {@code change}; fails the test unless it is still valid. */
  static UserModuleDefinition inventory(Consumer<ObjectNode> change) {
    DefinitionValidator.Result result = DefinitionValidator.validate(edit(change));
    assertThat(result.problems()).as("the edited definition must be valid").isEmpty();
    return result.definition();
  }

  /** The fields of entity {@code entity} (0: item, 1: location). */
  static ArrayNode fields(ObjectNode d, int entity) {
    return (ArrayNode) d.get("entities").get(entity).get("fields");
  }

  static ObjectNode field(ObjectNode d, int entity, int field) {
    return (ObjectNode) fields(d, entity).get(field);
  }

  static ArrayNode actions(ObjectNode d) {
    return (ArrayNode) d.get("actions");
  }

  private static String edit(Consumer<ObjectNode> change) {
    try (InputStream in = Definitions.class.getResourceAsStream("/examples/inventory.json")) {
      ObjectNode d = (ObjectNode) JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      change.accept(d);
      return d.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
