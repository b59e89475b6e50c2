package dev.hearth.usermodules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.usermodules.UserModuleDefinition.Action;
import dev.hearth.usermodules.UserModuleDefinition.Entity;
import dev.hearth.usermodules.UserModuleDefinition.Field;
import dev.hearth.usermodules.UserModuleDefinition.Page;
import dev.hearth.usermodules.UserModuleDefinition.Query;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A tree that passed every check, as records. Nothing here checks again. */
final class DefinitionReader {

  private DefinitionReader() {}

  static UserModuleDefinition read(JsonNode root) {
    return new UserModuleDefinition(root.get("id").asText(), root.get("version").asText(),
        strings(root.get("names")), list(root.get("entities"), DefinitionReader::entity),
        list(root.get("queries"), DefinitionReader::query), list(root.get("pages"), DefinitionReader::page),
        list(root.get("actions"), DefinitionReader::action));
  }

  private static Entity entity(JsonNode e) {
    return new Entity(e.get("name").asText(), strings(e.get("names")), list(e.get("fields"), DefinitionReader::field));
  }

  private static Field field(JsonNode f) {
    return new Field(f.get("name").asText(), strings(f.get("names")),
        FieldType.of(f.get("type").asText()).orElseThrow(), f.path("required").asBoolean(false),
        f.has("maxLength") ? f.get("maxLength").asInt() : null,
        f.has("min") ? f.get("min").asDouble() : null, f.has("max") ? f.get("max").asDouble() : null,
        f.has("default") ? value(f.get("default")) : null,
        list(f.get("values"), JsonNode::asText), text(f.get("entity")), text(f.get("renamedFrom")));
  }

  private static Query query(JsonNode q) {
    Map<String, Object> where = new LinkedHashMap<>();
    q.path("where").fields().forEachRemaining(e -> where.put(e.getKey(), value(e.getValue())));
    return new Query(q.get("name").asText(), q.get("entity").asText(), where, text(q.get("orderBy")),
        q.has("limit") ? q.get("limit").asInt() : null);
  }

  private static Page page(JsonNode p) {
    return new Page(p.get("name").asText(), strings(p.get("titles")), p.get("query").asText(), p.get("card").toString());
  }

  private static Action action(JsonNode a) {
    return new Action(a.get("name").asText(), ActionKind.of(a.get("kind").asText()).orElseThrow(),
        a.get("entity").asText(), list(a.get("roles"), JsonNode::asText), text(a.get("field")),
        list(a.get("from"), JsonNode::asText), text(a.get("to")));
  }

  private static Object value(JsonNode v) {
    return v.isNumber() ? (Object) v.asDouble() : v.isBoolean() ? (Object) v.asBoolean() : v.asText();
  }

  private static String text(JsonNode node) {
    return node == null ? null : node.asText();
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node != null) node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static <T> List<T> list(JsonNode node, Function<JsonNode, T> read) {
    List<T> out = new ArrayList<>();
    if (node != null) node.forEach(n -> out.add(read.apply(n)));
    return out;
  }
}
