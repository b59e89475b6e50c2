package dev.hearth.kernel.api.rpc;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.hearth.module.ModuleException;

/** Sets a request field from a path variable or query parameter (text), naming the field on bad input. */
final class Fields {

  private Fields() {}

  static void set(Message.Builder builder, String name, String text, String where) {
    FieldDescriptor f = builder.getDescriptorForType().findFieldByName(name);
    if (f == null) {
      for (FieldDescriptor candidate : builder.getDescriptorForType().getFields()) {
        if (candidate.getJsonName().equals(name)) f = candidate;
      }
    }
    if (f == null || f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      throw ModuleException.badField(name, "unknown " + where + " field of " + builder.getDescriptorForType().getName());
    }
    Object value;
    try {
      value = parse(f, text);
    } catch (IllegalArgumentException e) {
      throw ModuleException.badField(f.getName(), "'" + text + "' is not a valid " + f.getType().name().toLowerCase());
    }
    if (f.isRepeated()) builder.addRepeatedField(f, value);
    else builder.setField(f, value);
  }

  private static Object parse(FieldDescriptor f, String text) {
    return switch (f.getJavaType()) {
      case STRING -> text;
      case INT -> Integer.parseInt(text);
      case LONG -> Long.parseLong(text);
      case FLOAT -> Float.parseFloat(text);
      case DOUBLE -> Double.parseDouble(text);
      case BOOLEAN -> {
        if (!text.equals("true") && !text.equals("false")) throw new IllegalArgumentException(text);
        yield Boolean.parseBoolean(text);
      }
      case ENUM -> {
        EnumValueDescriptor v = f.getEnumType().findValueByName(text);
        if (v == null) throw new IllegalArgumentException(text);
        yield v;
      }
      default -> throw new IllegalArgumentException(text);
    };
  }
}
