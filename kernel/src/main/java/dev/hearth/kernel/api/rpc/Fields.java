package dev.hearth.kernel.api.rpc;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.hearth.module.ModuleException;
import java.util.stream.Collectors;

/**
 * Sets a request field from a path variable or query parameter (text), naming the field on bad input.
 * An unknown query parameter is ignored (a newer client may send one); a path variable wins over
 * nothing: a body or query value that contradicts it is refused, since the path is what was authorized.
 */
final class Fields {

  private Fields() {}

  /** Sets a query parameter's field; false (nothing set) when the request has no such field. */
  static boolean query(Message.Builder builder, String name, String text) {
    FieldDescriptor f = find(builder, name);
    if (f == null) return false;
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      throw ModuleException.badField(f.getName(), "cannot be given as a query parameter; send it in a request body");
    }
    Object value = parse(f, text);
    if (f.isRepeated()) builder.addRepeatedField(f, value);
    else builder.setField(f, value);
    return true;
  }

  /** Sets a path variable's field, refusing a different value the body or query already gave it. */
  static void path(Message.Builder builder, String name, String text) {
    FieldDescriptor f = find(builder, name);
    if (f == null || f.isRepeated() || f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      throw new IllegalStateException("path variable " + name + " is not a field of " + builder.getDescriptorForType().getFullName());
    }
    Object value = parse(f, text);
    if (builder.hasField(f) && !builder.getField(f).equals(value)) {
      throw ModuleException.badField(f.getName(), "'" + shorten(String.valueOf(builder.getField(f)))
          + "' in the request contradicts '" + shorten(text) + "' in the path; leave it out or send the same value");
    }
    builder.setField(f, value);
  }

  private static FieldDescriptor find(Message.Builder builder, String name) {
    FieldDescriptor f = builder.getDescriptorForType().findFieldByName(name);
    if (f != null) return f;
    for (FieldDescriptor candidate : builder.getDescriptorForType().getFields()) {
      if (candidate.getJsonName().equals(name)) return candidate;
    }
    return null;
  }

  private static Object parse(FieldDescriptor f, String text) {
    try {
      return value(f, text);
    } catch (IllegalArgumentException e) {
      if (f.getJavaType() == FieldDescriptor.JavaType.ENUM) {
        throw ModuleException.badField(f.getName(), "'" + shorten(text) + "' is not one of "
            + f.getEnumType().getValues().stream().map(EnumValueDescriptor::getName).limit(32)
                .collect(Collectors.joining(", ")));
      }
      throw ModuleException.badField(f.getName(), "'" + shorten(text) + "' is not a valid " + f.getType().name().toLowerCase());
    }
  }

  private static String shorten(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }

  private static Object value(FieldDescriptor f, String text) {
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
