package dev.hearth.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hearth.module.store.Ids;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SDK's field checks: what passes, and for what fails, the field named, a node key and no echo of the input. */
class FieldsTest {

  private static final String ID = Ids.next();

  @Test
  void idsAreTheCanonicalUuidsIdsMakes() {
    assertThat(Fields.id("room_id", ID)).isEqualTo(ID);
    assertThat(Fields.optionalId("room_id", "")).isEmpty();
    assertThat(Fields.optionalId("room_id", ID)).isEqualTo(ID);

    ModuleException empty = refusal(() -> Fields.id("room_id", ""));
    assertThat(empty.getMessage()).isEqualTo("room_id: is required");
    assertThat(empty.messageKey()).isEqualTo("field.required");

    ModuleException upper = refusal(() -> Fields.id("room_id", ID.toUpperCase()));
    assertThat(upper.getMessage()).isEqualTo("room_id: '" + ID.toUpperCase() + "' is not a valid id");
    assertThat(upper.messageKey()).isEqualTo("field.badId");
    assertThat(upper.details()).containsEntry("field", "room_id");
  }

  @Test
  void idListsDropDuplicatesInOrderAndAreBounded() {
    String other = Ids.next();
    assertThat(Fields.ids("user_ids", List.of(other, ID, other), 2)).containsExactly(other, ID);
    ModuleException many = refusal(() -> Fields.ids("user_ids", List.of(ID, other, Ids.next()), 2));
    assertThat(many.getMessage()).isEqualTo("user_ids: at most 2 ids");
    assertThat(many.messageKey()).isEqualTo("field.tooMany");
    assertThat(refusal(() -> Fields.ids("user_ids", List.of(ID, "x"), 5)).getMessage()).isEqualTo("user_ids: 'x' is not a valid id");
  }

  @Test
  void textIsStrippedBoundedAndRequiredWhenSaid() {
    assertThat(Fields.text("title", "  Lunch  ", true, 5)).isEqualTo("Lunch");
    assertThat(Fields.text("title", "   ", false, 5)).isEmpty();
    assertThat(refusal(() -> Fields.text("title", "   ", true, 5)).messageKey()).isEqualTo("field.required");
    ModuleException longer = refusal(() -> Fields.text("title", "Lunches", true, 5));
    assertThat(longer.getMessage()).isEqualTo("title: is 7 characters; the limit is 5");
    assertThat(longer.messageKey()).isEqualTo("field.length");
    assertThat(longer.messageArgs()).containsExactly("title", 7, 5);
  }

  @Test
  void keysHoldOnlyTheirCharactersAndLimitsTheirRange() {
    assertThat(Fields.key("key", "chat/c1:a.b_c-d", 64)).isEqualTo("chat/c1:a.b_c-d");
    assertThat(Fields.key("key", "", 64)).isEmpty();
    assertThat(refusal(() -> Fields.key("key", "a b", 64)).messageKey()).isEqualTo("field.badKey");
    assertThat(refusal(() -> Fields.key("key", "abcdef", 5)).messageKey()).isEqualTo("field.length");

    assertThat(Fields.limit("limit", 0, 50, 200)).isEqualTo(50);
    assertThat(Fields.limit("limit", 200, 50, 200)).isEqualTo(200);
    assertThat(refusal(() -> Fields.limit("limit", 201, 50, 200)).getMessage()).isEqualTo("limit: must be 1 to 200");
    assertThat(refusal(() -> Fields.limit("limit", -1, 50, 200)).messageArgs()).containsExactly("limit", 1, 200);
  }

  @Test
  void anInputIsNeverEchoedWhole() {
    String hostile = "\u0000\n<script>" + "x".repeat(100);
    ModuleException e = refusal(() -> Fields.id("room_id", hostile));
    assertThat(e.getMessage()).doesNotContain("\u0000", "\n").hasSizeLessThan(100);
    assertThat(Fields.abbreviate(hostile)).isEqualTo("??<script>" + "x".repeat(30) + "...");
    assertThat(Fields.abbreviate("short")).isEqualTo("short");
  }

  private static ModuleException refusal(Runnable check) {
    ModuleException e = catchThrowableOfType(check::run, ModuleException.class);
    assertThat(e).as("refused").isNotNull();
    assertThat(e.code()).isEqualTo(ModuleException.Code.INVALID_ARGUMENT);
    return e;
  }
}
