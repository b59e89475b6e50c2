package dev.hearth.usermodules;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The types a user module field can have, as spelled in a definition ({@code "type": "string"}). */
public enum FieldType {
  /** One line of text; {@code maxLength} applies. */
  STRING,
  /** Longer text; {@code maxLength} applies. */
  TEXT,
  /** A number (a protobuf {@code double}); {@code min} and {@code max} apply. */
  NUMBER,
  BOOL,
  /** A calendar date, ISO {@code yyyy-mm-dd}. */
  DATE,
  /** One of the field's {@code values}. */
  ENUM,
  /** The id of a record of the field's {@code entity}. */
  REFERENCE,
  /** The id of a stored file. */
  FILE;

  /** The name used in definitions. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type named {@code jsonName} in a definition, if there is one. */
  public static Optional<FieldType> of(String jsonName) {
    return Arrays.stream(values()).filter(t -> t.jsonName().equals(jsonName)).findFirst();
  }
}
