package dev.hearth.usermodules;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a user module action does to a record of its entity. */
public enum ActionKind {
  CREATE,
  UPDATE,
  DELETE,
  /** Moves an {@code enum} field from one of {@code from} to {@code to}. */
  TRANSITION;

  /** The name used in definitions. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind named {@code jsonName} in a definition, if there is one. */
  public static Optional<ActionKind> of(String jsonName) {
    return Arrays.stream(values()).filter(k -> k.jsonName().equals(jsonName)).findFirst();
  }
}
