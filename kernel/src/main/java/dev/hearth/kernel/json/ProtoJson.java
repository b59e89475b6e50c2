package dev.hearth.kernel.json;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.module.ModuleException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fills a protobuf message from a JSON tree read by {@link JsonIntake}, following the proto3 JSON
 * mapping (fields by lowerCamel or proto name). Unknown fields are left out and reported, so a newer
 * client keeps working with an older node; a value of the wrong type is refused naming the field by
 * its path in lowerCamel ({@code details.field}) and in proto names ({@code details.protoField}).
 * Well-known types (Timestamp, Struct, wrappers, ...) are handed to protobuf's own JSON parser.
 */
public final class ProtoJson {

  private static final Set<String> WELL_KNOWN_PACKAGES = Set.of("google.protobuf");
  private static final JsonFormat.Parser WKT = JsonFormat.parser();

  private final List<String> unknown = new ArrayList<>();

  private ProtoJson() {}

  /**
   * Merges {@code json} into {@code builder}.
   *
   * @return the paths of fields the message does not have (ignored), in lowerCamel as sent
   */
  public static List<String> merge(JsonObject json, Message.Builder builder) {
    ProtoJson p = new ProtoJson();
    p.message(json, builder, "", "");
    return p.unknown;
  }

  private void message(JsonObject json, Message.Builder builder, String path, String protoPath) {
    Descriptor d = builder.getDescriptorForType();
    for (Map.Entry<String, Object> e : json) {
      FieldDescriptor f = field(d, e.getKey());
      if (f == null) {
        unknown.add(JsonIntake.join(path, e.getKey()));
        continue;
      }
      String at = JsonIntake.join(path, f.getJsonName());
      String protoAt = JsonIntake.join(protoPath, f.getName());
      Object value = e.getValue();
      if (value == null && !isValue(f)) continue; // null is the default value
      if (f.isRepeated() ? builder.getRepeatedFieldCount(f) > 0 : builder.hasField(f)) {
        throw bad(at, protoAt, "is given twice (as " + f.getJsonName() + " and " + f.getName() + ")");
      }
      OneofDescriptor oneof = f.getRealContainingOneof();
      if (oneof != null && builder.hasOneof(oneof)) {
        throw bad(at, protoAt, "cannot be set together with " + builder.getOneofFieldDescriptor(oneof).getJsonName()
            + ": they are alternatives");
      }
      if (f.isMapField()) map(f, value, builder, at, protoAt);
      else if (f.isRepeated()) repeated(f, value, builder, at, protoAt);
      else builder.setField(f, single(f, value, builder, at, protoAt));
    }
  }

  private static FieldDescriptor field(Descriptor d, String name) {
    FieldDescriptor f = d.findFieldByName(name);
    if (f != null) return f;
    for (FieldDescriptor c : d.getFields()) {
      if (c.getJsonName().equals(name)) return c;
    }
    return null;
  }

  private static boolean isValue(FieldDescriptor f) {
    return f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && f.getMessageType().getFullName().equals("google.protobuf.Value");
  }

  private void repeated(FieldDescriptor f, Object value, Message.Builder builder, String at, String protoAt) {
    if (!(value instanceof JsonArray a)) throw bad(at, protoAt, "must be an array, not " + JsonIntake.kind(value));
    for (int i = 0; i < a.size(); i++) {
      Object item = a.getValue(i);
      String itemAt = at + "[" + i + "]";
      String itemProtoAt = protoAt + "[" + i + "]";
      if (item == null && !isValue(f)) throw bad(itemAt, itemProtoAt, "must not be null");
      builder.addRepeatedField(f, single(f, item, builder, itemAt, itemProtoAt));
    }
  }

  private void map(FieldDescriptor f, Object value, Message.Builder builder, String at, String protoAt) {
    if (!(value instanceof JsonObject o)) throw bad(at, protoAt, "must be an object, not " + JsonIntake.kind(value));
    Descriptor entry = f.getMessageType();
    FieldDescriptor keyField = entry.findFieldByName("key");
    FieldDescriptor valueField = entry.findFieldByName("value");
    for (Map.Entry<String, Object> e : o) {
      String entryAt = at + "[" + JsonIntake.shorten(e.getKey()) + "]";
      String entryProtoAt = protoAt + "[" + JsonIntake.shorten(e.getKey()) + "]";
      Message.Builder eb = builder.newBuilderForField(f);
      eb.setField(keyField, Scalars.mapKey(keyField, e.getKey(), entryAt, entryProtoAt));
      if (e.getValue() == null && !isValue(valueField)) throw bad(entryAt, entryProtoAt, "must not be null");
      eb.setField(valueField, single(valueField, e.getValue(), eb, entryAt, entryProtoAt));
      builder.addRepeatedField(f, eb.build());
    }
  }

  /** One value of {@code f} (an element, for repeated fields); {@code owner} makes sub-builders. */
  private Object single(FieldDescriptor f, Object value, Message.Builder owner, String at, String protoAt) {
    if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) return Scalars.value(f, value, at, protoAt);
    Message.Builder sub = owner.newBuilderForField(f);
    Descriptor type = f.getMessageType();
    if (WELL_KNOWN_PACKAGES.contains(type.getFile().getPackage())) {
      try {
        WKT.merge(Json.encode(value), sub);
      } catch (Exception e) { // protobuf's wording names no field: ours does
        throw bad(at, protoAt, "is not a valid " + type.getName() + " in JSON");
      }
      return sub.build();
    }
    if (!(value instanceof JsonObject o)) throw bad(at, protoAt, "must be an object, not " + JsonIntake.kind(value));
    message(o, sub, at, protoAt);
    return sub.build();
  }

  static ModuleException bad(String at, String protoAt, String message) {
    return new ModuleException(ModuleException.Code.INVALID_ARGUMENT, at + ": " + message)
        .detail("field", at).detail("protoField", protoAt);
  }
}
