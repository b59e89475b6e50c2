package dev.hearth.cli.api;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import dev.hearth.kernel.spi.InvalidOptionException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * One command-line option per request field a person can type: scalars, enums, bytes (base64) and the
 * well-known types written as one JSON string (Timestamp, Duration, FieldMask, wrappers). Field
 * {@code org_id} becomes {@code --org-id}; booleans are {@code --flag[=true|false]}; repeated fields
 * take the flag once per value. Nested messages and maps are set through {@code --json} only. Flag
 * values are written into the request JSON, so they override what {@code --json} said.
 */
final class FieldOptions {

  /** Options every generated command already has; a field with such a name gets {@code --field-NAME}. */
  private static final Set<String> RESERVED = Set.of("--json", "--profile", "--url", "--token", "--help", "--version");
  /** Well-known messages whose JSON form is a single string or value. */
  private static final Set<String> ONE_VALUE_TYPES = Set.of("google.protobuf.Timestamp", "google.protobuf.Duration",
      "google.protobuf.FieldMask", "google.protobuf.StringValue", "google.protobuf.BytesValue",
      "google.protobuf.BoolValue", "google.protobuf.Int32Value", "google.protobuf.Int64Value",
      "google.protobuf.UInt32Value", "google.protobuf.UInt64Value", "google.protobuf.FloatValue",
      "google.protobuf.DoubleValue");

  record FieldOption(FieldDescriptor field, OptionSpec spec) {}

  private FieldOptions() {}

  static List<FieldOption> of(Descriptor request) {
    List<FieldOption> options = new ArrayList<>();
    for (FieldDescriptor f : request.getFields()) {
      if (settable(f)) options.add(new FieldOption(f, spec(f)));
    }
    return options;
  }

  static boolean settable(FieldDescriptor f) {
    if (f.isMapField()) return false;
    return f.getJavaType() != FieldDescriptor.JavaType.MESSAGE || ONE_VALUE_TYPES.contains(f.getMessageType().getFullName());
  }

  private static OptionSpec spec(FieldDescriptor f) {
    String name = "--" + ApiSchema.kebab(f.getName());
    if (RESERVED.contains(name)) name = "--field-" + ApiSchema.kebab(f.getName());
    Class<?> type = javaType(f);
    boolean bool = type == Boolean.class;
    OptionSpec.Builder b = OptionSpec.builder(name).description(describe(f))
        .paramLabel(bool ? "true|false" : "<" + typeName(f) + ">");
    if (f.isRepeated()) b.type(List.class).auxiliaryTypes(type).arity("1");
    else b.type(type).arity(bool ? "0..1" : "1");
    return b.build();
  }

  private static Class<?> javaType(FieldDescriptor f) {
    return switch (f.getType()) {
      case INT32, SINT32, SFIXED32 -> Integer.class;
      case INT64, SINT64, SFIXED64, UINT32, FIXED32 -> Long.class;
      case UINT64, FIXED64 -> BigInteger.class;
      case FLOAT -> Float.class;
      case DOUBLE -> Double.class;
      case BOOL -> Boolean.class;
      default -> String.class; // string, bytes (base64), enum (name or number), one-value messages (JSON string)
    };
  }

  /** The proto type as written in a .proto file, e.g. {@code string}, {@code hearth.admin.v1.Role}. */
  static String typeName(FieldDescriptor f) {
    return switch (f.getJavaType()) {
      case ENUM -> f.getEnumType().getFullName();
      case MESSAGE -> f.getMessageType().getFullName();
      default -> f.getType().name().toLowerCase(Locale.ROOT);
    };
  }

  private static String describe(FieldDescriptor f) {
    StringBuilder d = new StringBuilder(f.getName()).append(" (");
    if (f.isRepeated()) d.append("repeated ");
    else if (f.toProto().getProto3Optional()) d.append("optional ");
    d.append(typeName(f)).append(')');
    if (f.getJavaType() == FieldDescriptor.JavaType.ENUM) {
      d.append(": ").append(f.getEnumType().getValues().stream().map(EnumValueDescriptor::getName)
          .collect(Collectors.joining(", ")));
    }
    if (f.getType() == FieldDescriptor.Type.BYTES) d.append(", base64 or @FILE");
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) d.append(", in its JSON form (e.g. 2025-01-31T12:00:00Z, 90s)");
    if (f.isRepeated()) d.append("; give the flag once per value");
    OneofDescriptor oneof = f.getRealContainingOneof();
    if (oneof != null) d.append("; one of ").append(oneof.getName());
    return d.toString();
  }

  /**
   * Writes the value of every flag that was given into {@code json}, replacing what was there (under
   * either spelling of the key, and the other members of its oneof), and notes which flag set which key.
   */
  static void apply(List<FieldOption> options, ParseResult parsed, JsonObject json, Map<String, String> flagOfKey) {
    for (FieldOption o : options) {
      if (!parsed.hasMatchedOption(o.spec())) continue;
      FieldDescriptor f = o.field();
      OneofDescriptor oneof = f.getRealContainingOneof();
      List<FieldDescriptor> replaced = oneof != null ? oneof.getFields() : List.of(f);
      for (FieldDescriptor r : replaced) {
        json.remove(r.getName());
        json.remove(r.getJsonName());
      }
      Object value = jsonValue(o.spec().getValue());
      if (f.getType() == FieldDescriptor.Type.BYTES) value = bytesValue(value, o.spec().longestName());
      json.put(f.getJsonName(), value);
      flagOfKey.put(f.getJsonName(), o.spec().longestName());
    }
  }

  /** A bytes flag takes base64, or {@code @FILE} for a file's contents (a module jar, an attachment). */
  private static Object bytesValue(Object value, String flag) {
    if (value instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      array.forEach(v -> out.add(bytesValue(v, flag)));
      return out;
    }
    String text = String.valueOf(value);
    if (!text.startsWith("@")) return text;
    Path file = Path.of(text.substring(1));
    try {
      return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new InvalidOptionException(flag, "cannot read " + file + ": " + e.getMessage());
    }
  }

  private static Object jsonValue(Object value) {
    if (value instanceof List<?> list) {
      JsonArray array = new JsonArray();
      list.forEach(v -> array.add(jsonValue(v)));
      return array;
    }
    // 64-bit unsigned values do not fit a long; the protobuf JSON mapping takes them as strings
    return value instanceof BigInteger big ? big.toString() : value;
  }
}
