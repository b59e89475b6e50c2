package dev.hearth.usermodules;

import static dev.hearth.usermodules.Definitions.field;
import static dev.hearth.usermodules.Definitions.fields;
import static dev.hearth.usermodules.Definitions.inventory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import dev.hearth.usermodules.FieldRegistry.Change;
import dev.hearth.usermodules.FieldRegistry.Upgrade;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldRegistryTest {

  /** Item fields: 0 title, 1 notes, 2 quantity, 3 fragile, 4 received, 5 status, 6 location, 7 photo. */
  private static final UserModuleDefinition V1 = inventory();
  /** fragile renamed to breakable, photo removed, barcode added. */
  private static final UserModuleDefinition V2 = inventory(d -> {
    field(d, 0, 3).put("name", "breakable").put("renamedFrom", "fragile");
    fields(d, 0).remove(7);
    fields(d, 0).addObject().put("name", "barcode").put("type", "string");
  });

  @Test
  void aFirstInstall_numbersEachEntitysFieldsFrom16_inDefinitionOrder() {
    FieldRegistry registry = FieldRegistry.initial(V1);

    assertThat(registry.generation()).isEqualTo(1);
    assertThat(registry.numbers("item")).containsExactly(Map.entry("title", 16), Map.entry("notes", 17),
        Map.entry("quantity", 18), Map.entry("fragile", 19), Map.entry("received", 20), Map.entry("status", 21),
        Map.entry("location", 22), Map.entry("photo", 23));
    assertThat(registry.number("location", "name")).isEqualTo(16);
    assertThat(registry.type("item", "quantity")).isEqualTo(FieldType.NUMBER);
    assertThat(registry.retired("item")).isEmpty();
    assertThatThrownBy(() -> registry.number("item", "colour")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'colour'");
  }

  @Test
  void anUpgrade_keepsARenamedFieldsNumber_retiresARemovedOne_andGivesAnAddedOneTheNext() {
    Upgrade upgrade = FieldRegistry.upgrade(FieldRegistry.initial(V1), V2);

    assertThat(upgrade.problems()).isEmpty();
    FieldRegistry registry = upgrade.registry();
    assertThat(registry.generation()).isEqualTo(2);
    assertThat(registry.number("item", "breakable")).isEqualTo(19);
    assertThat(registry.number("item", "barcode")).isEqualTo(24);
    assertThat(registry.numbers("item")).doesNotContainKeys("fragile", "photo");
    assertThat(registry.retired("item")).containsExactly(23);
    assertThat(upgrade.changes()).containsExactly(
        new Change("item", List.of("barcode"), Map.of("fragile", "breakable"), List.of("photo")));
  }

  @Test
  void recordsWrittenBeforeAnUpgrade_readAfterIt_keepTheRenamedAndUnchangedFieldsValues() throws Exception {
    FieldRegistry r1 = FieldRegistry.initial(V1);
    FieldRegistry r2 = FieldRegistry.upgrade(r1, V2).registry();
    Descriptor before = DescriptorCompiler.compile(V1, r1).compiled().entities().get("item");
    Descriptor after = DescriptorCompiler.compile(V2, r2).compiled().entities().get("item");

    byte[] stored = DynamicMessage.newBuilder(before)
        .setField(before.findFieldByName("id"), "i1")
        .setField(before.findFieldByName("title"), "Vase")
        .setField(before.findFieldByName("quantity"), 3.0)
        .setField(before.findFieldByName("fragile"), true)
        .setField(before.findFieldByName("photo"), "f1")
        .build().toByteArray();
    DynamicMessage read = DynamicMessage.parseFrom(after, stored);

    assertThat(read.getField(after.findFieldByName("id"))).isEqualTo("i1");
    assertThat(read.getField(after.findFieldByName("title"))).isEqualTo("Vase");
    assertThat(read.getField(after.findFieldByName("quantity"))).isEqualTo(3.0);
    assertThat(read.getField(after.findFieldByName("breakable"))).isEqualTo(true);
    assertThat(read.getField(after.findFieldByName("barcode"))).isEqualTo("");
    assertThat(read.getUnknownFields().hasField(23)).as("the removed photo is not read as any field").isTrue();
  }

  @Test
  void aRetiredNumber_isNeverGivenAgain_evenToAFieldOfTheSameName() {
    FieldRegistry r2 = FieldRegistry.upgrade(FieldRegistry.initial(V1), V2).registry();
    UserModuleDefinition v3 = inventory(d -> {
      field(d, 0, 3).put("name", "breakable");
      fields(d, 0).addObject().put("name", "barcode").put("type", "string");
      fields(d, 0).addObject().put("name", "weight").put("type", "number");  // photo stays at index 7
    });

    Upgrade upgrade = FieldRegistry.upgrade(r2, v3);

    assertThat(upgrade.problems()).isEmpty();
    FieldRegistry r3 = upgrade.registry();
    assertThat(r3.generation()).isEqualTo(3);
    assertThat(r3.number("item", "photo")).isEqualTo(25);
    assertThat(r3.number("item", "weight")).isEqualTo(26);
    assertThat(r3.numbers("item").values()).doesNotContain(23);
    assertThat(upgrade.changes()).containsExactly(
        new Change("item", List.of("photo", "weight"), Map.of(), List.of()));
  }

  @Test
  void aFieldThatKeepsItsName_orIsRenamed_cannotChangeType() {
    FieldRegistry r1 = FieldRegistry.initial(V1);
    Upgrade kept = FieldRegistry.upgrade(r1, inventory(d -> field(d, 0, 2).put("type", "string")
        .without(List.of("min", "max", "default"))));
    Upgrade renamed = FieldRegistry.upgrade(r1, inventory(d -> field(d, 0, 3)
        .put("name", "breakable").put("renamedFrom", "fragile").put("type", "string").remove("default")));

    assertThat(kept.registry()).isNull();
    assertThat(kept.problems()).containsExactly(new Problem("$.entities[0].fields[2].type",
        "field item.quantity changes type from number to string; add a new field instead"));
    assertThat(renamed.problems()).containsExactly(new Problem("$.entities[0].fields[3].type",
        "field item.breakable (was fragile) changes type from bool to string; add a new field instead"));
  }

  @Test
  void renamedFrom_mustNameAnInstalledField_thatIsNotKeptUnderItsOwnName() {
    FieldRegistry r1 = FieldRegistry.initial(V1);
    Upgrade unknown = FieldRegistry.upgrade(r1, inventory(d -> field(d, 0, 3)
        .put("name", "breakable").put("renamedFrom", "brittle")));
    Upgrade stillThere = FieldRegistry.upgrade(r1, inventory(d -> fields(d, 0).addObject()
        .put("name", "memo").put("type", "text").put("renamedFrom", "notes")));

    assertThat(unknown.problems()).extracting(Problem::path).containsExactly("$.entities[0].fields[3].renamedFrom");
    assertThat(unknown.problems().get(0).message()).contains("'brittle'", "does not have");
    assertThat(stillThere.problems()).extracting(Problem::path).containsExactly("$.entities[0].fields[8].renamedFrom");
    assertThat(stillThere.problems().get(0).message()).contains("still has a field 'notes'");
  }

  @Test
  void aRenamedFromLeftInTheDocument_afterTheUpgradeThatAppliedIt_changesNothing() {
    FieldRegistry r2 = FieldRegistry.upgrade(FieldRegistry.initial(V1), V2).registry();

    Upgrade again = FieldRegistry.upgrade(r2, V2);

    assertThat(again.problems()).isEmpty();
    assertThat(again.changes()).isEmpty();
    assertThat(again.registry()).isEqualTo(r2);
    assertThat(again.registry().generation()).isEqualTo(2);
  }

  @Test
  void aRemovedEntity_retiresItsNumbers_andKeepsThemRetiredIfItComesBack() {
    FieldRegistry r1 = FieldRegistry.initial(V1);
    UserModuleDefinition withoutLocation = inventory(d -> {
      fields(d, 0).remove(6);  // item.location refers to the entity going away
      ((ArrayNode) d.get("entities")).remove(1);
    });

    Upgrade removed = FieldRegistry.upgrade(r1, withoutLocation);
    Upgrade back = FieldRegistry.upgrade(removed.registry(), V1);

    assertThat(removed.problems()).isEmpty();
    assertThat(removed.changes()).contains(
        new Change("location", List.of(), Map.of(), List.of("name")));
    assertThat(removed.registry().numbers("location")).isEmpty();
    assertThat(removed.registry().retired("location")).containsExactly(16);
    assertThat(back.registry().number("location", "name")).isEqualTo(17);
    assertThat(back.registry().number("item", "location")).isEqualTo(24);
  }

  @Test
  void theRegistry_roundTripsThroughJson() {
    FieldRegistry r2 = FieldRegistry.upgrade(FieldRegistry.initial(V1), V2).registry();

    FieldRegistry read = FieldRegistry.fromJson(r2.toJson());

    assertThat(read).isEqualTo(r2);
    assertThat(read.toJson()).isEqualTo(r2.toJson());
    assertThat(read.generation()).isEqualTo(2);
    assertThat(read.retired("item")).containsExactly(23);
    assertThat(read.type("item", "breakable")).isEqualTo(FieldType.BOOL);
    assertThat(FieldRegistry.upgrade(read, V1).registry().number("item", "photo"))
        .as("numbers retired before the round trip stay retired").isEqualTo(26);
    assertThatThrownBy(() -> FieldRegistry.fromJson("{\"entities\": {}}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldRegistry.fromJson("not json")).isInstanceOf(IllegalArgumentException.class);
  }
}
