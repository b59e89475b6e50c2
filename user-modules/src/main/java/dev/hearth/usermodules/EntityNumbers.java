package dev.hearth.usermodules;

import java.util.List;

/**
 * One entity's part of a {@link FieldRegistry}: its live fields, the numbers it retired and the
 * number its next new field gets. Kept after the entity is removed, so its numbers stay retired.
 *
 * @param next the number the entity's next new field gets
 * @param fields the live fields, in number order
 * @param retired fields removed by an upgrade (or with their entity), with the name and type they had
 */
record EntityNumbers(int next, List<Slot> fields, List<Slot> retired) {

  /** Protobuf reserves these for its own implementation; a field may not use them. */
  private static final int RESERVED_FROM = 19_000;
  private static final int RESERVED_TO = 19_999;

  static final EntityNumbers NONE = new EntityNumbers(FieldRegistry.FIRST_USER_FIELD, List.of(), List.of());

  EntityNumbers {
    fields = List.copyOf(fields);
    retired = List.copyOf(retired);
  }

  /** A field number with the name and type it holds (or held). */
  record Slot(String name, int number, FieldType type) {}

  /** The number after {@code n} that a field may have. */
  static int after(int n) {
    int next = n + 1;
    return next >= RESERVED_FROM && next <= RESERVED_TO ? RESERVED_TO + 1 : next;
  }
}
