package dev.hearth.usermodules;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** The schema library's messages, as problems a definition's author can act on. */
final class SchemaProblems {

  private SchemaProblems() {}

  static List<Problem> of(Collection<ValidationMessage> messages, JsonNode root) {
    return messages.stream()
        .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString()))
        .map(m -> problem(m, root))
        .toList();
  }

  private static Problem problem(ValidationMessage m, JsonNode root) {
    JsonNodePath at = m.getInstanceLocation();
    String path = at.toString();
    String key = last(at);
    return switch (m.getType()) {
      case "required" -> new Problem(path, "'" + m.getProperty() + "' is required");
      case "additionalProperties" -> new Problem(Paths.key(path, m.getProperty()),
          "unknown key '" + m.getProperty() + "'");
      case "false" -> new Problem(path, "'" + key + "' does not apply " + owner(at, root));
      case "enum" -> new Problem(path, "'" + text(m.getInstanceNode()) + "' is not one of "
          + String.join(", ", m.getArguments() == null || m.getArguments().length == 0 ? List.of()
              : List.of(String.valueOf(m.getArguments()[0]).replaceAll("[\\[\\]\"]", ""))));
      case "pattern" -> new Problem(path, "'" + text(m.getInstanceNode()) + "' "
          + m.getError().replaceFirst("^.*?does not match", "does not match"));
      default -> new Problem(path, m.getError());
    };
  }

  /** "to a field of type 'bool'", "to a 'create' action": the object holding the key that does not apply. */
  private static String owner(JsonNodePath at, JsonNode root) {
    JsonNode parent = Paths.at(root, at.getParent());
    if (parent.has("type")) return "to a field of type '" + text(parent.get("type")) + "'";
    if (parent.has("kind")) return "to a '" + text(parent.get("kind")) + "' action";
    return "here";
  }

  private static String last(JsonNodePath at) {
    return at.getNameCount() == 0 ? "$" : String.valueOf(at.getElement(at.getNameCount() - 1));
  }

  private static String text(JsonNode node) {
    return node == null ? "null" : node.isTextual() ? node.asText() : node.toString();
  }
}
