package dev.hearth.usermodules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.usermodules.DefinitionValidator.Result;
import dev.hearth.usermodules.UserModuleDefinition.Field;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class DefinitionValidatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theInventoryExample_isValid_andReadIntoRecords() {
    Result result = DefinitionValidator.validate(inventory());

    assertThat(result.problems()).isEmpty();
    assertThat(result.valid()).isTrue();
    UserModuleDefinition d = result.definition();
    assertThat(d.id()).isEqualTo("inventory");
    assertThat(d.version()).isEqualTo("1.0.0");
    assertThat(d.names()).containsEntry("ru", "Склад");
    assertThat(d.entities()).extracting(UserModuleDefinition.Entity::name).containsExactly("item", "location");
    Field status = d.entity("item").orElseThrow().field("status").orElseThrow();
    assertThat(status.type()).isEqualTo(FieldType.ENUM);
    assertThat(status.values()).containsExactly("in_stock", "reserved", "shipped");
    assertThat(status.defaultValue()).isEqualTo("in_stock");
    Field quantity = d.entity("item").orElseThrow().field("quantity").orElseThrow();
    assertThat(quantity.min()).isEqualTo(0.0);
    assertThat(quantity.max()).isEqualTo(1_000_000.0);
    assertThat(quantity.defaultValue()).isEqualTo(0.0);
    assertThat(d.entity("item").orElseThrow().field("location").orElseThrow().entity()).isEqualTo("location");
    assertThat(d.entity("item").orElseThrow().field("title").orElseThrow().required()).isTrue();
    assertThat(d.queries().get(0).where()).containsEntry("status", "in_stock");
    assertThat(d.queries().get(0).limit()).isEqualTo(100);
    assertThat(d.pages().get(0).card()).contains("\"AdaptiveCard\"");
    assertThat(d.actions()).extracting(UserModuleDefinition.Action::kind)
        .containsExactly(ActionKind.CREATE, ActionKind.UPDATE, ActionKind.DELETE, ActionKind.TRANSITION);
    assertThat(d.actions().get(3).from()).containsExactly("reserved");
    assertThat(d.actions().get(3).to()).isEqualTo("shipped");
  }

  @Test
  void theWorkedExampleInTheDocs_isTheTestedOne() throws IOException {
    Path docs = Path.of("..", "docs", "examples", "inventory.json");
    assertThat(Files.readString(docs)).isEqualTo(inventory());
  }

  @Test
  void anEmptyKey_isAProblemAtItsObject_notAnErrorOfTheSchemaLibrary() throws IOException {
    // Found by DefinitionFuzzTest: the schema library threw while naming a path through an empty key,
    // and the node answered 500 to a signed-in user's ValidateDefinition.
    ObjectNode d = (ObjectNode) JSON.readTree(inventory());
    ((ObjectNode) d.get("names")).put("", "x");
    ((ObjectNode) d.get("entities").get(1)).putObject("").put("a", 1);

    Result result = DefinitionValidator.validate(d.toString());

    assertThat(result.valid()).isFalse();
    assertThat(result.problems()).extracting(Problem::path).containsExactly("$.names", "$.entities[1]");
    assertThat(result.problems()).extracting(Problem::message).containsOnly("a key must not be empty");
  }

  @Test
  void aDefinitionWithSeveralProblems_reportsEveryOneWithItsPath() {
    String bad = edit(d -> {
      fields(d, 0).get(2).put("type", "decimal");                                  // unknown field type
      ((ObjectNode) d.at("/pages/0/card/body/0")).put("type", "Paragraph");         // broken card
      entities(d).add(entities(d).get(1).deepCopy());                               // duplicate entity
      fields(d, 0).get(6).put("entity", "warehouse");                               // unknown entity
      ((ObjectNode) d.at("/actions/3")).put("to", "lost");                           // unknown state
      fields(d, 1).add(fields(d, 1).get(0).deepCopy());                             // duplicate field
    });

    Result result = DefinitionValidator.validate(bad);

    assertThat(result.definition()).isNull();
    assertThat(result.problems()).extracting(Problem::path).containsExactlyInAnyOrder(
        "$.entities[0].fields[2].type",
        "$.pages[0].card.body[0].type",
        "$.entities[2].name",
        "$.entities[0].fields[6].entity",
        "$.actions[3].to",
        "$.entities[1].fields[1].name");
    assertThat(result.problems()).anySatisfy(p -> assertThat(p.message()).contains("'decimal'").contains("string"));
    assertThat(result.problems()).anySatisfy(p -> assertThat(p.message())
        .contains("not a valid Adaptive Card").contains("Paragraph"));
    assertThat(result.problems()).anySatisfy(p -> assertThat(p.message()).contains("duplicate entity name 'location'"));
    assertThat(result.problems()).anySatisfy(p -> assertThat(p.message()).contains("unknown entity 'warehouse'"));
    assertThat(result.problems()).anySatisfy(p -> assertThat(p.message()).contains("'lost' is not a value"));
    assertThat(result.problems()).anySatisfy(p -> assertThat(p.message()).contains("duplicate field name 'name'"));
  }

  @Test
  void malformedJson_isOneProblemAtTheRoot() {
    assertProblems("{\"id\": \"inventory\", ", "$", "not JSON");
    assertProblems("", "$", "not JSON");
    assertProblems("{\"id\": \"a1\", \"id\": \"a2\"}", "$", "Duplicate field 'id'");
  }

  @Test
  void notAnObject_andMissingKeys_areSchemaProblems() {
    assertProblems("[]", "$", "array found, object expected");
    Result result = DefinitionValidator.validate("{}");
    assertThat(result.problems()).extracting(Problem::message).contains(
        "'id' is required", "'version' is required", "'names' is required", "'entities' is required");
  }

  @Test
  void badIdVersionNamesAndUnknownKeys_areSchemaProblems() {
    assertProblem(d -> d.put("id", "Inventory"), "$.id", "'Inventory' does not match");
    assertProblem(d -> d.put("version", "1.0"), "$.version", "'1.0' does not match");
    assertProblem(d -> ((ObjectNode) d.get("names")).remove("en"), "$.names", "'en' is required");
    assertProblem(d -> d.put("colour", "red"), "$.colour", "unknown key 'colour'");
    assertProblem(d -> fields(d, 1).get(0).put("name", "Name"), "$.entities[1].fields[0].name", "'Name' does not match");
  }

  @Test
  void propertiesOfAnotherType_andMissingPerTypeKeys_areSchemaProblems() {
    assertProblem(d -> fields(d, 0).get(3).put("maxLength", 5), "$.entities[0].fields[3].maxLength",
        "'maxLength' does not apply to a field of type 'bool'");
    assertProblem(d -> fields(d, 0).get(6).remove("entity"), "$.entities[0].fields[6]", "'entity' is required");
    assertProblem(d -> fields(d, 0).get(5).remove("values"), "$.entities[0].fields[5]", "'values' is required");
    assertProblem(d -> fields(d, 0).get(0).put("default", 3), "$.entities[0].fields[0].default", "string");
    assertProblem(d -> ((ObjectNode) d.at("/actions/0")).put("to", "shipped"), "$.actions[0].to",
        "'to' does not apply to a 'create' action");
    assertProblem(d -> ((ObjectNode) d.at("/actions/3")).remove("from"), "$.actions[3]", "'from' is required");
  }

  @Test
  void reservedFieldNames_areRefused() {
    for (String reserved : List.of("id", "created_at", "updated_at", "created_by", "project_id")) {
      assertProblem(d -> fields(d, 1).get(0).put("name", reserved), "$.entities[1].fields[0].name",
          "'" + reserved + "' is reserved");
    }
  }

  @Test
  void duplicateNames_ofQueriesPagesAndActions_areRefused() {
    assertProblem(d -> ((ArrayNode) d.get("queries")).add(d.at("/queries/0").deepCopy()), "$.queries[1].name",
        "duplicate query name 'in-stock'");
    assertProblem(d -> ((ArrayNode) d.get("pages")).add(d.at("/pages/0").deepCopy()), "$.pages[1].name",
        "duplicate page name 'items'");
    assertProblem(d -> ((ObjectNode) d.at("/actions/2")).put("name", "add-item"), "$.actions[2].name",
        "duplicate action name 'add-item'");
  }

  @Test
  void enumFields_needDistinctValues() {
    assertProblem(d -> fields(d, 0).get(5).putArray("values"), "$.entities[0].fields[5].values",
        "needs at least one value");
    assertProblem(d -> fields(d, 0).get(5).putArray("values").add("in_stock").add("reserved").add("shipped").add("reserved"),
        "$.entities[0].fields[5].values[3]", "duplicate enum value 'reserved'");
  }

  @Test
  void defaults_mustFitTheirField() {
    assertProblem(d -> fields(d, 0).get(5).put("default", "lost"), "$.entities[0].fields[5].default",
        "default 'lost' is not one of the field's values");
    assertProblem(d -> fields(d, 0).get(2).put("default", -1), "$.entities[0].fields[2].default",
        "default -1 is less than min 0");
    assertProblem(d -> fields(d, 0).get(2).put("default", 2_000_000), "$.entities[0].fields[2].default",
        "greater than max");
    assertProblem(d -> fields(d, 0).get(0).put("default", "x".repeat(201)), "$.entities[0].fields[0].default",
        "more than maxLength 200");
    assertProblem(d -> fields(d, 0).get(4).put("default", "2024-02-30"), "$.entities[0].fields[4].default",
        "'2024-02-30' is not a date");
    assertProblem(d -> fields(d, 0).get(3).put("default", "yes"), "$.entities[0].fields[3].default", "boolean");
  }

  @Test
  void renamedFrom_isReadWhenGiven_andNullOtherwise() {
    Result result = DefinitionValidator.validate(edit(d -> fields(d, 0).get(1).put("renamedFrom", "description")));

    assertThat(result.problems()).isEmpty();
    UserModuleDefinition.Entity item = result.definition().entity("item").orElseThrow();
    assertThat(item.field("notes").orElseThrow().renamedFrom()).isEqualTo("description");
    assertThat(item.field("title").orElseThrow().renamedFrom()).isNull();
  }

  @Test
  void renamedFrom_mustBeANameOtherThanItsOwn_claimedOncePerEntity() {
    assertProblem(d -> fields(d, 0).get(1).put("renamedFrom", "Description"), "$.entities[0].fields[1].renamedFrom",
        "'Description' does not match");
    assertProblem(d -> fields(d, 0).get(1).put("renamedFrom", "notes"), "$.entities[0].fields[1].renamedFrom",
        "cannot be renamed from its own name 'notes'");
    assertProblem(d -> {
      fields(d, 0).get(0).put("renamedFrom", "label");
      fields(d, 0).get(1).put("renamedFrom", "label");
    }, "$.entities[0].fields[1].renamedFrom", "'label' is already renamed by $.entities[0].fields[0]");
    // The same old name in two entities is two different fields.
    assertThat(DefinitionValidator.validate(edit(d -> {
      fields(d, 0).get(0).put("renamedFrom", "label");
      fields(d, 1).get(0).put("renamedFrom", "label");
    })).problems()).isEmpty();
  }

  @Test
  void minAboveMax_isRefused() {
    assertProblem(d -> fields(d, 0).get(2).put("min", 10).put("max", 5).remove("default"),
        "$.entities[0].fields[2].min", "min 10 is greater than max 5");
  }

  @Test
  void queries_mustNameTheirEntityAndItsFields() {
    assertProblem(d -> ((ObjectNode) d.at("/queries/0")).put("entity", "thing"), "$.queries[0].entity",
        "unknown entity 'thing'");
    assertProblem(d -> ((ObjectNode) d.at("/queries/0/where")).put("colour", "red"), "$.queries[0].where.colour",
        "no field 'colour' in entity 'item'");
    assertProblem(d -> ((ObjectNode) d.at("/queries/0")).put("orderBy", "price"), "$.queries[0].orderBy",
        "no field 'price'");
    assertProblem(d -> ((ObjectNode) d.at("/queries/0/where")).put("status", "lost"), "$.queries[0].where.status",
        "the value 'lost' is not one of the field's values");
    assertProblem(d -> ((ObjectNode) d.at("/queries/0/where")).put("quantity", "many"), "$.queries[0].where.quantity",
        "the value must be a number");
    assertProblem(d -> ((ObjectNode) d.at("/queries/0/where")).put("photo", "f1"), "$.queries[0].where.photo",
        "file fields cannot be queried");
    assertThat(DefinitionValidator.validate(edit(d -> ((ObjectNode) d.at("/queries/0")).put("orderBy", "created_at")))
        .problems()).isEmpty();
  }

  @Test
  void pages_mustNameAQuery_andHoldAValidCard() {
    assertProblem(d -> ((ObjectNode) d.at("/pages/0")).put("query", "everything"), "$.pages[0].query",
        "unknown query 'everything'");
    assertProblem(d -> ((ObjectNode) d.at("/pages/0/card")).put("type", "Card"), "$.pages[0].card.type",
        "not a valid Adaptive Card: must be \"AdaptiveCard\"");
    assertProblem(d -> ((ObjectNode) d.at("/pages/0/card/body/0")).put("size", "huge"), "$.pages[0].card.body[0].size",
        "not a valid Adaptive Card");
    assertProblem(d -> ((ObjectNode) d.at("/pages/0")).put("card", "text"), "$.pages[0].card", "object");
    assertProblem(d -> ((ObjectNode) d.at("/pages/0/card/actions/0/data")).put("action", "sell"),
        "$.pages[0].card.actions[0].data.action", "unknown action 'sell'");
  }

  @Test
  void cardBindings_mustNameFieldsOfTheQuerysEntity() {
    assertProblem(d -> ((ObjectNode) d.at("/pages/0/card/body/2/items/1")).put("text", "${notes} at ${price}"),
        "$.pages[0].card.body[2].items[1].text", "'${price}' names no field of entity 'item'");
    // Functions, nested names, $-names, literals and engine fields are not field names.
    assertThat(DefinitionValidator.validate(edit(d -> ((ObjectNode) d.at("/pages/0/card/body/2/items/1"))
        .put("text", "${if(fragile, 'Fragile', '')} ${location.name} ${$index} ${created_at} ${quantity * 1e3}")))
        .problems()).isEmpty();
    // Outside the $data loop the data is the page's root: a field there reads nothing.
    assertProblem(d -> ((ObjectNode) d.at("/pages/0/card/body/0")).put("text", "${title}"),
        "$.pages[0].card.body[0].text", "'${title}' is read outside a $data loop");
  }

  @Test
  void actions_mustNameTheirEntity_knownRoles_andEnumStates() {
    assertProblem(d -> ((ObjectNode) d.at("/actions/0")).put("entity", "thing"), "$.actions[0].entity",
        "unknown entity 'thing'");
    assertProblem(d -> ((ArrayNode) d.at("/actions/0/roles")).add("org-admin"), "$.actions[0].roles[1]",
        "unknown role 'org-admin'");
    assertProblem(d -> ((ObjectNode) d.at("/actions/3")).put("field", "title"), "$.actions[3].field",
        "a transition needs an enum field; 'title' is string");
    assertProblem(d -> ((ObjectNode) d.at("/actions/3")).put("field", "state"), "$.actions[3].field",
        "no field 'state' in entity 'item'");
    assertProblem(d -> ((ArrayNode) d.at("/actions/3/from")).add("gone"), "$.actions[3].from[1]",
        "'gone' is not a value of enum field 'status'");
    assertProblem(d -> ((ObjectNode) d.at("/actions/3")).put("kind", "archive"), "$.actions[3].kind",
        "'archive' is not one of create, update, delete, transition");
  }

  private static void assertProblem(Consumer<ObjectNode> change, String path, String message) {
    List<Problem> problems = DefinitionValidator.validate(edit(change)).problems();
    assertThat(problems).as(problems.toString()).hasSize(1);
    assertThat(problems.get(0).path()).isEqualTo(path);
    assertThat(problems.get(0).message()).contains(message);
  }

  private static void assertProblems(String json, String path, String message) {
    List<Problem> problems = DefinitionValidator.validate(json).problems();
    assertThat(problems).as(problems.toString()).hasSize(1);
    assertThat(problems.get(0).path()).isEqualTo(path);
    assertThat(problems.get(0).message()).contains(message);
  }

  private static ArrayNode entities(ObjectNode d) {
    return (ArrayNode) d.get("entities");
  }

  private static List<ObjectNode> fields(ObjectNode d, int entity) {
    ArrayNode fields = (ArrayNode) entities(d).get(entity).get("fields");
    return new FieldList(fields);
  }

  /** The fields of an entity as ObjectNodes, with {@code add} appending to the definition's array. */
  private static final class FieldList extends AbstractList<ObjectNode> {
    private final ArrayNode fields;

    FieldList(ArrayNode fields) {
      this.fields = fields;
    }

    @Override
    public ObjectNode get(int i) {
      return (ObjectNode) fields.get(i);
    }

    @Override
    public int size() {
      return fields.size();
    }

    @Override
    public boolean add(ObjectNode node) {
      fields.add(node);
      return true;
    }
  }

  private static String edit(Consumer<ObjectNode> change) {
    try {
      ObjectNode d = (ObjectNode) JSON.readTree(inventory());
      change.accept(d);
      return d.toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String inventory() {
    try (InputStream in = DefinitionValidatorTest.class.getResourceAsStream("/examples/inventory.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

}
