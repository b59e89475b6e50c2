package dev.hearth.usermodules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.ui.CardValidator;
import dev.hearth.ui.TemplateNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the schema cannot say: names that must be unique or must name something, defaults and
 * {@code where} values that must fit their field, cards. Runs on any tree, however broken: whatever
 * has the wrong shape was reported by the schema and is skipped here, so each problem is reported once.
 */
final class SemanticChecks {

  /** Fields a query may order by besides the entity's own. */
  private static final Set<String> ORDERABLE_ENGINE_FIELDS = Set.of("created_at", "updated_at");

  private final JsonNode root;
  private final List<Problem> problems;
  /** Entity name → its fields by name, the first of each name. */
  private final Map<String, Map<String, JsonNode>> entities = new HashMap<>();
  private final Map<String, JsonNode> queries = new HashMap<>();

  SemanticChecks(JsonNode root, List<Problem> problems) {
    this.root = root;
    this.problems = problems;
  }

  void run() {
    collectEntities();
    checkEntities();
    checkQueries();
    checkPages();
    checkActions();
  }

  private void collectEntities() {
    each("entities", (entity, path) -> {
      if (!name(entity).isEmpty()) entities.putIfAbsent(name(entity), new LinkedHashMap<>());
    });
    each("entities", (entity, path) -> {
      Map<String, JsonNode> fields = entities.get(name(entity));
      if (fields == null) return;
      for (JsonNode field : array(entity.get("fields"))) {
        if (!name(field).isEmpty()) fields.putIfAbsent(name(field), field);
      }
    });
  }

  private void checkEntities() {
    unique("entities", "entity");
    each("entities", (entity, path) -> {
      Map<String, String> seen = new HashMap<>();
      Map<String, String> renamed = new HashMap<>();
      List<JsonNode> fields = array(entity.get("fields"));
      for (int i = 0; i < fields.size(); i++) {
        JsonNode field = fields.get(i);
        String at = Paths.index(path + ".fields", i);
        String name = name(field);
        if (!name.isEmpty() && seen.putIfAbsent(name, at) != null) {
          add(at + ".name", "duplicate field name '" + name + "' in entity '" + name(entity)
              + "' (first at " + seen.get(name) + ")");
        }
        if (UserModuleDefinition.RESERVED_FIELDS.contains(name)) {
          add(at + ".name", "'" + name + "' is reserved: the engine adds "
              + String.join(", ", UserModuleDefinition.RESERVED_FIELDS) + " to every entity");
        }
        checkRename(field, at, renamed);
        checkField(field, at);
      }
    });
  }

  /** {@code renamed}: old name → path of the field that claims it, for this entity. */
  private void checkRename(JsonNode field, String at, Map<String, String> renamed) {
    if (!field.path("renamedFrom").isTextual()) return;
    String from = field.get("renamedFrom").asText();
    if (from.equals(name(field))) {
      add(at + ".renamedFrom", "a field cannot be renamed from its own name '" + from + "'");
    } else if (renamed.putIfAbsent(from, at) != null) {
      // Two fields cannot both inherit one installed field's number and data.
      add(at + ".renamedFrom", "'" + from + "' is already renamed by " + renamed.get(from));
    }
  }

  private void checkField(JsonNode field, String at) {
    String type = field.path("type").asText("");
    if (type.equals("reference") && field.path("entity").isTextual()
        && !entities.containsKey(field.get("entity").asText())) {
      add(at + ".entity", "reference to unknown entity '" + field.get("entity").asText() + "'");
    }
    if (type.equals("enum") && field.path("values").isArray()) {
      List<JsonNode> values = array(field.get("values"));
      if (values.isEmpty()) add(at + ".values", "an enum field needs at least one value");
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i).isTextual() && !seen.add(values.get(i).asText())) {
          add(Paths.index(at + ".values", i), "duplicate enum value '" + values.get(i).asText() + "'");
        }
      }
    }
    if (field.path("min").isNumber() && field.path("max").isNumber()
        && field.get("min").decimalValue().compareTo(field.get("max").decimalValue()) > 0) {
      add(at + ".min", "min " + field.get("min") + " is greater than max " + field.get("max"));
    }
    if (field.has("default")) {
      String problem = Values.misfit(field, field.get("default"));
      // A default of the wrong JSON type is the schema's to report; only its value is checked here.
      if (problem != null && Values.sameJsonType(type, field.get("default"))) add(at + ".default", "default " + problem);
    }
  }

  private void checkQueries() {
    unique("queries", "query");
    each("queries", (query, path) -> {
      if (!name(query).isEmpty()) queries.putIfAbsent(name(query), query);
      Map<String, JsonNode> fields = knownEntity(query, path);
      if (fields == null) return;
      String entity = query.get("entity").asText();
      query.path("where").fields().forEachRemaining(e -> {
        String at = Paths.key(path + ".where", e.getKey());
        JsonNode field = fields.get(e.getKey());
        if (field == null) {
          add(at, "no field '" + e.getKey() + "' in entity '" + entity + "'");
        } else if (field.path("type").asText().equals("file")) {
          add(at, "file fields cannot be queried");
        } else if (e.getValue().isValueNode()) {
          String problem = Values.misfit(field, e.getValue());
          if (problem != null) add(at, "the value " + problem);
        }
      });
      if (query.path("orderBy").isTextual()) {
        String by = query.get("orderBy").asText();
        if (!fields.containsKey(by) && !ORDERABLE_ENGINE_FIELDS.contains(by)) {
          add(path + ".orderBy", "no field '" + by + "' in entity '" + entity + "' to order by");
        }
      }
    });
  }

  private void checkPages() {
    unique("pages", "page");
    each("pages", (page, path) -> {
      JsonNode query = page.path("query").isTextual() ? queries.get(page.get("query").asText()) : null;
      if (page.path("query").isTextual() && query == null) {
        add(path + ".query", "unknown query '" + page.get("query").asText() + "'");
      }
      JsonNode card = page.get("card");
      if (card == null || !card.isObject()) return; // the schema said so
      CardValidator.problems(card).forEach(e -> add(Paths.fromPointer(path + ".card", e.pointer(), card),
          "not a valid Adaptive Card: " + e.problem()));
      Set<String> actions = new HashSet<>();
      array(root.get("actions")).forEach(a -> actions.add(name(a)));
      checkSubmits(card, path + ".card", actions);
      Map<String, JsonNode> fields = query == null ? null : entities.get(query.path("entity").asText());
      // Outside a $data loop the data is the page's root, items and the shell's names (the node checks
      // this on install too): a field there reads nothing. Names no field has are reported below.
      TemplateNames.unknown(card, Set.of("items")).forEach((at, names) -> names.stream()
          .filter(n -> fields == null || fields.containsKey(n))
          .forEach(n -> add(Paths.fromPointer(path + ".card", at, card), "'${" + n + "}' is read outside a $data loop,"
              + " where the page's data is only items, " + String.join(", ", TemplateNames.SHELL))));
      if (fields != null) {
        Bindings.unknown(card, path + ".card", fields.keySet()).forEach((at, names) -> names.forEach(name ->
            add(at, "'${" + name + "}' names no field of entity '" + query.path("entity").asText()
                + "' (the data of page '" + name(page) + "' is its query's records)")));
      }
    });
  }

  /** An {@code Action.Submit} whose data says {@code "action": name} runs that action: it must exist. */
  private void checkSubmits(JsonNode node, String path, Set<String> actions) {
    if (node.isObject()) {
      JsonNode action = node.path("data").path("action");
      if ("Action.Submit".equals(node.path("type").asText()) && action.isTextual() && !actions.contains(action.asText())) {
        add(path + ".data.action", "unknown action '" + action.asText() + "'");
      }
      node.fields().forEachRemaining(e -> checkSubmits(e.getValue(), Paths.key(path, e.getKey()), actions));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) checkSubmits(node.get(i), Paths.index(path, i), actions);
    }
  }

  private void checkActions() {
    unique("actions", "action");
    each("actions", (action, path) -> {
      List<JsonNode> roles = array(action.get("roles"));
      for (int i = 0; i < roles.size(); i++) {
        if (roles.get(i).isTextual() && !UserModuleDefinition.ROLES.contains(roles.get(i).asText())) {
          add(Paths.index(path + ".roles", i), "unknown role '" + roles.get(i).asText() + "'; roles are "
              + String.join(", ", UserModuleDefinition.ROLES));
        }
      }
      Map<String, JsonNode> fields = knownEntity(action, path);
      if (fields == null || !action.path("kind").asText().equals("transition")) return;
      if (!action.path("field").isTextual()) return;
      String name = action.get("field").asText();
      JsonNode field = fields.get(name);
      if (field == null) {
        add(path + ".field", "no field '" + name + "' in entity '" + action.get("entity").asText() + "'");
        return;
      }
      if (!field.path("type").asText().equals("enum")) {
        add(path + ".field", "a transition needs an enum field; '" + name + "' is "
            + field.path("type").asText("untyped"));
        return;
      }
      Set<String> values = new HashSet<>();
      array(field.get("values")).forEach(v -> values.add(v.asText()));
      if (values.isEmpty()) return; // reported on the field
      String allowed = " is not a value of enum field '" + name + "' (" + String.join(", ",
          array(field.get("values")).stream().map(JsonNode::asText).toList()) + ")";
      List<JsonNode> from = array(action.get("from"));
      for (int i = 0; i < from.size(); i++) {
        if (from.get(i).isTextual() && !values.contains(from.get(i).asText())) {
          add(Paths.index(path + ".from", i), "'" + from.get(i).asText() + "'" + allowed);
        }
      }
      if (action.path("to").isTextual() && !values.contains(action.get("to").asText())) {
        add(path + ".to", "'" + action.get("to").asText() + "'" + allowed);
      }
    });
  }

  /** The fields of the entity {@code node} names at {@code .entity}; null (reported) when unknown. */
  private Map<String, JsonNode> knownEntity(JsonNode node, String path) {
    if (!node.path("entity").isTextual()) return null;
    Map<String, JsonNode> fields = entities.get(node.get("entity").asText());
    if (fields == null) add(path + ".entity", "unknown entity '" + node.get("entity").asText() + "'");
    return fields;
  }

  private void unique(String list, String what) {
    Map<String, String> seen = new HashMap<>();
    each(list, (node, path) -> {
      String name = name(node);
      if (!name.isEmpty() && seen.putIfAbsent(name, path) != null) {
        add(path + ".name", "duplicate " + what + " name '" + name + "' (first at " + seen.get(name) + ")");
      }
    });
  }

  private interface Visit {
    void accept(JsonNode node, String path);
  }

  /** Visits the objects of the top-level array {@code list}. */
  private void each(String list, Visit visit) {
    List<JsonNode> nodes = array(root.get(list));
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).isObject()) visit.accept(nodes.get(i), Paths.index("$." + list, i));
    }
  }

  private static List<JsonNode> array(JsonNode node) {
    List<JsonNode> out = new ArrayList<>();
    if (node != null && node.isArray()) node.forEach(out::add);
    return out;
  }

  private static String name(JsonNode node) {
    return node.path("name").isTextual() ? node.get("name").asText() : "";
  }

  private void add(String path, String message) {
    problems.add(new Problem(path, message));
  }
}
