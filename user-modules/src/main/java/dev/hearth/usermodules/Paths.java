package dev.hearth.usermodules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.networknt.schema.JsonNodePath;
import java.util.regex.Pattern;

/** JSON paths as problems spell them: {@code $.entities[0].fields[2].type}, {@code $.where['odd key']}. */
final class Paths {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

  private Paths() {}

  static String key(String path, String key) {
    return PLAIN.matcher(key).matches() ? path + "." + key : path + "['" + key.replace("'", "\\'") + "']";
  }

  static String index(String path, int i) {
    return path + "[" + i + "]";
  }

  /** {@code /body/0/type} under {@code base} → {@code base.body[0].type}; numbers are read as array indexes. */
  static String fromPointer(String base, String pointer, JsonNode target) {
    String path = base;
    JsonNode node = target;
    for (String raw : pointer.isEmpty() ? new String[0] : pointer.substring(1).split("/", -1)) {
      String seg = raw.replace("~1", "/").replace("~0", "~");
      if (node != null && node.isArray() && seg.matches("\\d+")) {
        path = index(path, Integer.parseInt(seg));
        node = node.get(Integer.parseInt(seg));
      } else {
        path = key(path, seg);
        node = node == null ? null : node.get(seg);
      }
    }
    return path;
  }

  /** The node at a schema library path; missing when there is none. */
  static JsonNode at(JsonNode root, JsonNodePath path) {
    JsonNode node = root;
    for (int i = 0; i < path.getNameCount() && node != null; i++) {
      Object e = path.getElement(i);
      node = e instanceof Integer n ? node.get(n) : node.get(String.valueOf(e));
    }
    return node == null ? MissingNode.getInstance() : node;
  }
}
