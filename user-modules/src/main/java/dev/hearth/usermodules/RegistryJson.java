package dev.hearth.usermodules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.usermodules.EntityNumbers.Slot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of a {@link FieldRegistry}, written by hand rather than by data binding: it
 * outlives the code, so its shape is spelled out here and changes only with {@code format}.
 *
 * <pre>{"format": 1, "generation": 2, "entities": {"item": {"next": 19,
 *   "fields": [{"name": "title", "number": 16, "type": "string"}, ...], "retired": [...]}}}</pre>
 */
final class RegistryJson {

  private static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private RegistryJson() {}

  static String write(FieldRegistry registry) {
    ObjectNode root = JSON.createObjectNode().put("format", FORMAT).put("generation", registry.generation());
    ObjectNode entities = root.putObject("entities");
    registry.entities().forEach((name, numbers) -> {
      ObjectNode entity = entities.putObject(name).put("next", numbers.next());
      slots(entity.putArray("fields"), numbers.fields());
      slots(entity.putArray("retired"), numbers.retired());
    });
    return root.toString();
  }

  static FieldRegistry read(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      if (root == null || root.path("format").asInt() != FORMAT) {
        throw new IllegalArgumentException("not a field registry of format " + FORMAT);
      }
      Map<String, EntityNumbers> entities = new LinkedHashMap<>();
      root.path("entities").fields().forEachRemaining(e -> entities.put(e.getKey(), new EntityNumbers(
          required(e.getValue(), "next").asInt(), slots(e.getValue().path("fields")), slots(e.getValue().path("retired")))));
      return new FieldRegistry(required(root, "generation").asInt(), entities);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a field registry must be JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static void slots(ArrayNode out, List<Slot> slots) {
    slots.forEach(s -> out.addObject().put("name", s.name()).put("number", s.number()).put("type", s.type().jsonName()));
  }

  private static List<Slot> slots(JsonNode array) {
    List<Slot> out = new ArrayList<>();
    array.forEach(s -> {
      String type = required(s, "type").asText();
      out.add(new Slot(required(s, "name").asText(), required(s, "number").asInt(), FieldType.of(type)
          .orElseThrow(() -> new IllegalArgumentException("unknown field type '" + type + "' in a field registry"))));
    });
    return out;
  }

  private static JsonNode required(JsonNode node, String key) {
    if (!node.has(key)) throw new IllegalArgumentException("a field registry entry lacks '" + key + "': " + node);
    return node.get(key);
  }
}
