package dev.hearth.usermodules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Whether a literal (a default, a {@code where} value) fits a field's type, limits and values. */
final class Values {

  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private Values() {}

  /** Whether {@code value} has the JSON type values of a {@code type} field have. */
  static boolean sameJsonType(String type, JsonNode value) {
    return switch (type) {
      case "string", "text", "date", "enum", "reference" -> value.isTextual();
      case "number" -> value.isNumber();
      case "bool" -> value.isBoolean();
      default -> false;
    };
  }

  /** Why {@code value} does not fit {@code field}, as a phrase after "default" or "the value"; null if it fits. */
  static String misfit(JsonNode field, JsonNode value) {
    String type = field.path("type").asText("");
    if (!sameJsonType(type, value)) {
      return switch (type) {
        case "number" -> "must be a number, not " + value;
        case "bool" -> "must be true or false, not " + value;
        case "string", "text", "date", "enum", "reference" -> "must be a string, not " + value;
        default -> null; // an unknown type (reported by the schema) or a file: nothing to compare with
      };
    }
    switch (type) {
      case "string", "text" -> {
        int length = value.asText().codePointCount(0, value.asText().length());
        if (field.path("maxLength").canConvertToInt() && length > field.get("maxLength").asInt()) {
          return "is " + length + " characters long, more than maxLength " + field.get("maxLength").asInt();
        }
      }
      case "number" -> {
        if (field.path("min").isNumber() && value.decimalValue().compareTo(field.get("min").decimalValue()) < 0) {
          return value + " is less than min " + field.get("min");
        }
        if (field.path("max").isNumber() && value.decimalValue().compareTo(field.get("max").decimalValue()) > 0) {
          return value + " is greater than max " + field.get("max");
        }
      }
      case "date" -> {
        try {
          if (!DATE.matcher(value.asText()).matches()) throw new DateTimeParseException("", value.asText(), 0);
          LocalDate.parse(value.asText());
        } catch (DateTimeParseException e) {
          return "'" + value.asText() + "' is not a date (yyyy-mm-dd)";
        }
      }
      case "enum" -> {
        List<String> values = new ArrayList<>();
        field.path("values").forEach(v -> values.add(v.asText()));
        // No values at all is reported once, on the field, not again for each value compared with them.
        if (!values.isEmpty() && !values.contains(value.asText())) {
          return "'" + value.asText() + "' is not one of the field's values (" + String.join(", ", values) + ")";
        }
      }
      default -> { }
    }
    return null;
  }
}
