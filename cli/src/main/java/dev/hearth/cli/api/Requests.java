package dev.hearth.cli.api;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.kernel.spi.InvalidOptionException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Request messages from JSON: {@code --json} holds the JSON inline, {@code @file} or {@code -} for
 * stdin, and is read with the protobuf JSON mapping ({@link JsonFormat}), so field names may be
 * {@code org_id} or {@code orgId}. A request that does not fit the method is a usage error (exit 2)
 * naming the field, and the flag when a flag set it, not just "invalid JSON".
 */
final class Requests {

  private Requests() {}

  /** The JSON object of a {@code --json} argument; none is an empty object. */
  static JsonObject readJson(String arg, InputStream stdin) {
    if (arg == null) return new JsonObject();
    String text;
    try {
      if (arg.equals("-")) text = new String(stdin.readAllBytes(), UTF_8);
      else if (arg.startsWith("@")) text = Files.readString(Path.of(arg.substring(1)), UTF_8);
      else text = arg;
    } catch (IOException e) {
      throw new InvalidOptionException("--json", "cannot read " + (arg.equals("-") ? "stdin" : arg.substring(1))
          + ": " + e.getMessage());
    }
    Object value;
    try {
      value = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw new InvalidOptionException("--json", "is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (!(value instanceof JsonObject json)) {
      throw new InvalidOptionException("--json", "must be a JSON object, like '{\"name\":\"Acme\"}'");
    }
    return json;
  }

  /**
   * Parses {@code json} into a {@code type} message.
   *
   * @param flagOfKey for the keys a flag put there, the flag, so an error names what the user typed
   */
  static DynamicMessage parse(JsonObject json, Descriptor type, TypeRegistry types, Map<String, String> flagOfKey) {
    JsonFormat.Parser parser = JsonFormat.parser().usingTypeRegistry(types);
    DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
    try {
      parser.merge(json.encode(), b);
      return b.build();
    } catch (InvalidProtocolBufferException e) {
      String path = locate(json, type, parser, "");
      String key = path == null ? null : path.split("\\.", 2)[0];
      String option = key != null && flagOfKey.containsKey(key) ? flagOfKey.get(key) : "--json";
      String where = path == null || !option.equals("--json") ? "" : "field " + path + ": ";
      String problem = String.valueOf(e.getMessage());
      String request = problem.contains(type.getFullName()) ? "" : " (request " + type.getFullName() + ")";
      throw new InvalidOptionException(option, where + problem + request);
    }
  }

  /**
   * The path of the first field that fails on its own ({@code a.b} inside nested objects), or null if
   * each parses alone (e.g. two members of one oneof). JsonFormat's messages do not always say which
   * field they choke on; parsing field by field does.
   */
  private static String locate(JsonObject json, Descriptor type, JsonFormat.Parser parser, String prefix) {
    for (Map.Entry<String, Object> e : json) {
      FieldDescriptor f = field(type, e.getKey());
      if (f == null) return prefix + e.getKey();
      try {
        parser.merge(new JsonObject().put(e.getKey(), e.getValue()).encode(), DynamicMessage.newBuilder(type));
      } catch (InvalidProtocolBufferException bad) {
        boolean nested = f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isRepeated()
            && !f.getMessageType().getFullName().startsWith("google.protobuf.");
        if (nested && e.getValue() instanceof JsonObject inner) {
          String deeper = locate(inner, f.getMessageType(), parser, prefix + e.getKey() + ".");
          if (deeper != null) return deeper;
        }
        return prefix + e.getKey();
      }
    }
    return null;
  }

  /** The field a JSON key names: the protobuf JSON mapping accepts the JSON name and the proto name. */
  static FieldDescriptor field(Descriptor type, String key) {
    FieldDescriptor f = type.findFieldByName(key);
    if (f != null) return f;
    return type.getFields().stream().filter(x -> x.getJsonName().equals(key)).findFirst().orElse(null);
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
