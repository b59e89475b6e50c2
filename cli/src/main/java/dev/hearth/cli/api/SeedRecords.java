package dev.hearth.cli.api;

import dev.hearth.kernel.seed.Words;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Records for every running user module, made through each module's own create actions with values
 * drawn from its definition's field constraints (types, required, min/max, maxLength, enum values,
 * references to records made before in the same project). File fields are left empty.
 */
final class SeedRecords {

  private final SeedApi api;
  private final Words words;
  private final Consumer<String> count;
  private final int recordsPerEntity;

  SeedRecords(SeedApi api, Words words, Consumer<String> count, int recordsPerEntity) {
    this.api = api;
    this.words = words;
    this.count = count;
    this.recordsPerEntity = recordsPerEntity;
  }

  /** @param members the project's members, its owner (an admin) first */
  void seed(String projectId, List<Seeder.User> members) {
    Seeder.User owner = members.get(0);
    JsonArray modules = api.call(Seeder.USER_MODULES, "List", new JsonObject(), owner.token())
        .getJsonArray("userModules", new JsonArray());
    List<JsonObject> running = new ArrayList<>();
    modules.forEach(m -> {
      if ("STARTED".equals(((JsonObject) m).getString("state"))) running.add((JsonObject) m);
    });
    running.sort(Comparator.comparing(m -> m.getString("id")));
    for (JsonObject info : running) {
      JsonObject definition = definition(api, info, owner.token());
      String service = info.getString("service");
      Map<String, JsonObject> entities = new HashMap<>();
      definition.getJsonArray("entities").forEach(e -> entities.put(((JsonObject) e).getString("name"), (JsonObject) e));
      List<JsonObject> creates = new ArrayList<>();
      definition.getJsonArray("actions", new JsonArray()).forEach(a -> {
        if ("create".equals(((JsonObject) a).getString("kind"))) creates.add((JsonObject) a);
      });
      // Entities that reference others come after them, so a reference has something to point at.
      creates.sort(Comparator.comparingInt((JsonObject a) -> references(entities.get(a.getString("entity")))).thenComparing(a -> a.getString("name")));
      Map<String, List<String>> made = new HashMap<>();
      for (JsonObject action : creates) {
        JsonObject entity = entities.get(action.getString("entity"));
        boolean anyone = action.getJsonArray("roles", new JsonArray().add("project-user")).contains("project-user");
        String method = pascal(action.getString("name"));
        if (api.method(service, method).isEmpty()) continue;
        for (int r = 0; r < recordsPerEntity; r++) {
          Seeder.User author = anyone ? words.pick(members) : owner;
          JsonObject request = values(entity, made).put("projectId", projectId);
          JsonObject record = api.call(service, method, request, author.token());
          made.computeIfAbsent(entity.getString("name"), k -> new ArrayList<>()).add(record.getString("id"));
          count.accept("records");
        }
      }
    }
  }

  private JsonObject values(JsonObject entity, Map<String, List<String>> made) {
    JsonObject out = new JsonObject();
    for (Object o : entity.getJsonArray("fields")) {
      JsonObject f = (JsonObject) o;
      boolean required = f.getBoolean("required", false);
      if (!required && words.chance(0.2)) continue; // optional fields are sometimes left out
      Object v = value(f, made);
      if (v != null) out.put(camel(f.getString("name")), v);
    }
    return out;
  }

  private Object value(JsonObject f, Map<String, List<String>> made) {
    int maxLength = f.getInteger("maxLength", 200);
    return switch (f.getString("type")) {
      case "string" -> cut(words.title(), maxLength);
      case "text" -> cut(words.paragraph(), maxLength);
      case "number" -> {
        double min = f.getDouble("min", 0.0);
        double max = f.getDouble("max", min + 100);
        yield (double) words.between((int) Math.ceil(min), (int) Math.floor(Math.min(max, min + 1000)));
      }
      case "bool" -> words.chance(0.5);
      case "date" -> String.format("2026-%02d-%02d", words.between(1, 12), words.between(1, 28));
      case "enum" -> words.pick(f.getJsonArray("values").getList()).toString();
      case "reference" -> {
        List<String> ids = made.getOrDefault(f.getString("entity"), List.of());
        yield ids.isEmpty() ? null : words.pick(ids);
      }
      default -> null; // file: no blob to point at
    };
  }

  /** A module's definition: List leaves it out, Get has it. */
  static JsonObject definition(SeedApi api, JsonObject info, String bearer) {
    String json = info.getString("definitionJson");
    if (json == null || json.isEmpty()) {
      json = api.call(Seeder.USER_MODULES, "Get", new JsonObject().put("id", info.getString("id")), bearer)
          .getString("definitionJson", "{}");
    }
    return new JsonObject(json);
  }

  private static int references(JsonObject entity) {
    int n = 0;
    for (Object o : entity.getJsonArray("fields")) {
      if ("reference".equals(((JsonObject) o).getString("type"))) n++;
    }
    return n;
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, Math.max(1, max));
  }

  /** add-item → AddItem, as the compiler names an action's method. */
  static String pascal(String name) {
    StringBuilder b = new StringBuilder();
    for (String part : name.split("[-_]")) {
      if (!part.isEmpty()) b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return b.toString();
  }

  /** unit_price → unitPrice: the JSON name of a field. */
  static String camel(String name) {
    String p = pascal(name);
    return p.isEmpty() ? p : Character.toLowerCase(p.charAt(0)) + p.substring(1);
  }
}
