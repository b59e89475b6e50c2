package dev.hearth.usermodules;

import static dev.hearth.usermodules.Definitions.actions;
import static dev.hearth.usermodules.Definitions.field;
import static dev.hearth.usermodules.Definitions.fields;
import static dev.hearth.usermodules.Definitions.inventory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor.JavaType;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.hearth.api.v1.Access;
import dev.hearth.api.v1.AccessProto;
import dev.hearth.api.v1.Level;
import dev.hearth.usermodules.DescriptorCompiler.Compiled;
import dev.hearth.usermodules.DescriptorCompiler.Result;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class DescriptorCompilerTest {

  private static final UserModuleDefinition INVENTORY = inventory();

  private static Compiled compiled() {
    Result result = DescriptorCompiler.compile(INVENTORY, FieldRegistry.initial(INVENTORY));
    assertThat(result.problems()).isEmpty();
    return result.compiled();
  }

  @Test
  void theInventory_compilesToOneProto3File_withItsServiceAndMethods() {
    Compiled c = compiled();

    assertThat(c.file().getName()).isEqualTo("hearth/um/inventory/v1/inventory.proto");
    assertThat(c.file().getPackage()).isEqualTo("hearth.um.inventory.v1");
    assertThat(c.file().toProto().getSyntax()).isEqualTo("proto3");
    assertThat(c.service().getFullName()).isEqualTo("hearth.um.inventory.v1.InventoryService");
    assertThat(c.service().getMethods()).extracting(MethodDescriptor::getName).containsExactly(
        "GetItem", "ListItems", "GetLocation", "ListLocations", "QueryInStock", "AddItem", "EditItem", "RemoveItem", "Ship");
    assertThat(c.entities()).containsOnlyKeys("item", "location");
    assertThat(c.gets().get("item").getName()).isEqualTo("GetItem");
    assertThat(c.lists().get("location").getName()).isEqualTo("ListLocations");
    assertThat(c.queries().get("in-stock").getName()).isEqualTo("QueryInStock");
    assertThat(c.actions()).containsOnlyKeys("add-item", "edit-item", "remove-item", "ship");
  }

  @Test
  void anEntityMessage_hasTheEngineFields_thenTheUserFieldsByRegistryNumber() {
    Descriptor item = compiled().entities().get("item");

    assertThat(item.getFullName()).isEqualTo("hearth.um.inventory.v1.Item");
    assertThat(item.getFields()).extracting(FieldDescriptor::getName, FieldDescriptor::getNumber, FieldDescriptor::getJavaType)
        .containsExactly(
            tuple("id", 1, JavaType.STRING),
            tuple("project_id", 2, JavaType.STRING),
            tuple("created_at", 3, JavaType.STRING),
            tuple("updated_at", 4, JavaType.STRING),
            tuple("created_by", 5, JavaType.STRING),
            tuple("title", 16, JavaType.STRING),
            tuple("notes", 17, JavaType.STRING),
            tuple("quantity", 18, JavaType.DOUBLE),
            tuple("fragile", 19, JavaType.BOOLEAN),
            tuple("received", 20, JavaType.STRING),
            tuple("status", 21, JavaType.STRING),
            tuple("location", 22, JavaType.STRING),
            tuple("photo", 23, JavaType.STRING));
    assertThat(item.getFields()).noneMatch(FieldDescriptor::hasPresence);
    assertThat(item.findFieldByName("received").getJsonName()).isEqualTo("received");
    Descriptor list = item.getFile().findMessageTypeByName("ItemList");
    assertThat(list.findFieldByNumber(1).isRepeated()).isTrue();
    assertThat(list.findFieldByNumber(1).getMessageType()).isEqualTo(item);
    assertThat(list.findFieldByNumber(2).getName()).isEqualTo("next_page_token");
  }

  @Test
  void requestsAndResponses_haveTheSpecifiedShapes() {
    Compiled c = compiled();

    assertThat(numbered(c.gets().get("item").getInputType())).containsExactly("project_id:1", "id:2");
    assertThat(c.gets().get("item").getOutputType()).isEqualTo(c.entities().get("item"));
    Descriptor listRequest = c.lists().get("item").getInputType();
    assertThat(numbered(listRequest)).containsExactly("project_id:1", "page_size:2", "page_token:3");
    assertThat(listRequest.findFieldByName("page_size").getJavaType()).isEqualTo(JavaType.INT);
    assertThat(c.lists().get("item").getOutputType().getName()).isEqualTo("ItemList");
    assertThat(numbered(c.queries().get("in-stock").getInputType())).containsExactly("project_id:1", "page_token:2");
    assertThat(c.queries().get("in-stock").getOutputType().getName()).isEqualTo("ItemList");

    Descriptor create = c.actions().get("add-item").getInputType();
    assertThat(create.getName()).isEqualTo("AddItemRequest");
    assertThat(numbered(create)).containsExactly("project_id:1", "title:16", "notes:17", "quantity:18", "fragile:19",
        "received:20", "status:21", "location:22", "photo:23");
    FieldDescriptor quantity = create.findFieldByName("quantity");
    assertThat(quantity.hasPresence()).isTrue();
    assertThat(quantity.toProto().getProto3Optional()).isTrue();
    assertThat(quantity.getContainingOneof().getName()).isEqualTo("_quantity");
    assertThat(quantity.getRealContainingOneof()).as("the oneof is synthetic").isNull();
    assertThat(create.getRealOneofs()).isEmpty();
    assertThat(create.findFieldByName("project_id").hasPresence()).isFalse();
    assertThat(c.actions().get("add-item").getOutputType().getName()).isEqualTo("Item");

    assertThat(numbered(c.actions().get("edit-item").getInputType())).startsWith("project_id:1", "id:2", "title:16")
        .hasSize(10);
    assertThat(numbered(c.actions().get("ship").getInputType())).containsExactly("project_id:1", "id:2");
    assertThat(c.actions().get("ship").getOutputType().getName()).isEqualTo("Item");
    assertThat(numbered(c.actions().get("remove-item").getInputType())).containsExactly("project_id:1", "id:2");
    assertThat(c.actions().get("remove-item").getOutputType().getName()).isEqualTo("RemoveItemResponse");
    assertThat(c.actions().get("remove-item").getOutputType().getFields()).isEmpty();
  }

  @Test
  void everyMethod_carriesTheAccessOption_andAnHttpRule() {
    Compiled c = compiled();

    for (MethodDescriptor m : c.service().getMethods()) {
      boolean writes = c.actions().containsValue(m);
      assertThat(m.getOptions().getExtension(AccessProto.access)).as(m.getName()).isEqualTo(Access.newBuilder()
          .setLevel(Level.PROJECT_USER).setScopeField("project_id").setWrites(writes).build());
      assertThat(m.getOptions().getExtension(AnnotationsProto.http)).as(m.getName()).isEqualTo(
          HttpRule.newBuilder().setPost("/v1/um/inventory/" + m.getName()).setBody("*").build());
    }
    assertThat(c.actions().get("ship").getOptions().getExtension(AccessProto.access).getWrites()).isTrue();
    assertThat(c.gets().get("item").getOptions().getExtension(AccessProto.access).getWrites()).isFalse();
  }

  @Test
  void anItem_roundTripsThroughBytes_asADynamicMessage() throws Exception {
    Descriptor item = compiled().entities().get("item");
    DynamicMessage written = DynamicMessage.newBuilder(item)
        .setField(item.findFieldByName("id"), "0190a0b0-0000-7000-8000-000000000001")
        .setField(item.findFieldByName("project_id"), "p1")
        .setField(item.findFieldByName("title"), "Vase")
        .setField(item.findFieldByName("quantity"), 2.5)
        .setField(item.findFieldByName("fragile"), true)
        .setField(item.findFieldByName("status"), "in_stock")
        .build();

    DynamicMessage read = DynamicMessage.parseFrom(item, written.toByteArray());

    assertThat(read).isEqualTo(written);
    assertThat(read.getField(item.findFieldByName("quantity"))).isEqualTo(2.5);
    assertThat(read.getUnknownFields().asMap()).isEmpty();
  }

  @Test
  void aModuleIdWithHyphens_givesAnUnderscoredPackage_andAPascalService() {
    UserModuleDefinition d = inventory(j -> j.put("id", "home-stock"));

    Compiled c = DescriptorCompiler.compile(d, FieldRegistry.initial(d)).compiled();

    assertThat(c.file().getName()).isEqualTo("hearth/um/home-stock/v1/home-stock.proto");
    assertThat(c.service().getFullName()).isEqualTo("hearth.um.home_stock.v1.HomeStockService");
    assertThat(c.actions().get("ship").getOptions().getExtension(AnnotationsProto.http).getPost())
        .isEqualTo("/v1/um/home-stock/Ship");
  }

  @Test
  void generatedNamesThatClash_areProblemsAtThePartThatGeneratesThemSecond() {
    assertClash(d -> actions(d).addObject().put("name", "get-item").put("kind", "update").put("entity", "item")
        .putArray("roles").add("project-user"), "$.actions[4].name", "method GetItem", "entity 'item'");
    assertClash(d -> actions(d).addObject().put("name", "list-items").put("kind", "delete").put("entity", "item")
        .putArray("roles").add("project-user"), "$.actions[4].name", "method ListItems", "entity 'item'");
    assertClash(d -> ((ArrayNode) d.get("entities")).addObject().put("name", "item_list")
        .putArray("fields").addObject().put("name", "size").put("type", "number"),
        "$.entities[2].name", "message ItemList", "entity 'item'");
    assertClash(d -> ((ArrayNode) d.get("queries")).addObject().put("name", "in_stock").put("entity", "item"),
        "$.queries[1].name", "method QueryInStock", "query 'in-stock'");
    assertClash(d -> ((ArrayNode) d.get("entities")).addObject().put("name", "inventory_service")
        .putArray("fields").addObject().put("name", "size").put("type", "number"),
        "$.entities[2].name", "message InventoryService", "the service");
  }

  @Test
  void fieldsWithOneJsonName_areAProblem() {
    UserModuleDefinition d = inventory(j -> {
      fields(j, 1).addObject().put("name", "floor_1").put("type", "number");
      fields(j, 1).addObject().put("name", "floor1").put("type", "number");
    });

    Result result = DescriptorCompiler.compile(d, FieldRegistry.initial(d));

    assertThat(result.compiled()).isNull();
    assertThat(result.problems()).extracting(Problem::path).containsExactly("$.entities[1].fields[2].name");
    assertThat(result.problems().get(0).message()).contains("'floor1'", "field 'floor_1'");
  }

  @Test
  void aRegistryThatDoesNotNumberAField_isAProblem_notAnException() {
    UserModuleDefinition next = inventory(j -> field(j, 1, 0).put("name", "label"));

    Result result = DescriptorCompiler.compile(next, FieldRegistry.initial(INVENTORY));

    assertThat(result.problems()).extracting(Problem::path).containsExactly("$.entities[1].fields[0]");
    assertThat(result.problems().get(0).message()).contains("location.label", "no number");
  }

  @Test
  void namesBecomePascalCase_andEntitiesPlural() {
    assertThat(ProtoNames.pascal("in-stock")).isEqualTo("InStock");
    assertThat(ProtoNames.pascal("add_item")).isEqualTo("AddItem");
    assertThat(ProtoNames.pascal("inventory")).isEqualTo("Inventory");
    assertThat(List.of("Item", "Box", "Address", "Quiz", "Match", "Dish", "Category", "Day"))
        .extracting(ProtoNames::plural)
        .containsExactly("Items", "Boxes", "Addresses", "Quizes", "Matches", "Dishes", "Categories", "Days");
  }

  private static void assertClash(Consumer<ObjectNode> change, String path, String... message) {
    UserModuleDefinition d = inventory(change);
    Result result = DescriptorCompiler.compile(d, FieldRegistry.initial(d));
    assertThat(result.compiled()).isNull();
    assertThat(result.problems()).as(result.problems().toString()).extracting(Problem::path).containsExactly(path);
    assertThat(result.problems().get(0).message()).contains(message);
  }

  private static List<String> numbered(Descriptor message) {
    return message.getFields().stream().map(f -> f.getName() + ":" + f.getNumber()).toList();
  }
}
