package dev.hearth.usermodules.engine;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.hearth.module.ModuleException;
import dev.hearth.module.files.FileRefs;
import dev.hearth.usermodules.FieldType;
import dev.hearth.usermodules.UserModuleDefinition.Entity;
import dev.hearth.usermodules.UserModuleDefinition.Field;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * Checks the user fields a create or update request sets against the definition (required,
 * limits, enum values, real dates, references to records of the same project) and copies them
 * onto the record. Request fields have presence (proto3 {@code optional}), so "not sent" and
 * "sent empty" differ: an update leaves unsent fields as they are.
 */
final class FieldValues {

  private static final Pattern FILE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private FieldValues() {}

  /**
   * @param exists whether a record of (entity, id) exists in the request's project
   * @param create whether this makes a new record: defaults fill unsent fields, required ones must be set
   */
  static void apply(Entity entity, Message request, DynamicMessage.Builder record, boolean create,
      BiPredicate<String, String> exists) {
    for (Field field : entity.fields()) {
      FieldDescriptor in = request.getDescriptorForType().findFieldByName(field.name());
      FieldDescriptor out = record.getDescriptorForType().findFieldByName(field.name());
      if (in != null && request.hasField(in)) {
        Object value = request.getField(in);
        check(field, value, exists);
        record.setField(out, value);
      } else if (create && field.defaultValue() != null) {
        record.setField(out, typed(field, field.defaultValue()));
      }
      if (field.required() && missing(field, record, out, create && (in == null || !request.hasField(in)))) {
        throw ModuleException.badField(field.name(), "is required");
      }
    }
  }

  /**
   * Every {@code file} field the request sets must name a file of the request's project (an
   * attachment a member of another project could not download is refused).
   */
  static void checkFiles(Entity entity, Message request, String project, FileRefs files) {
    for (Field field : entity.fields()) {
      if (field.type() != FieldType.FILE) continue;
      FieldDescriptor in = request.getDescriptorForType().findFieldByName(field.name());
      if (in == null || !request.hasField(in)) continue;
      String s = (String) request.getField(in);
      if (!s.isEmpty() && FILE_ID.matcher(s).matches() && !files.exists(project, s)) {
        throw ModuleException.badField(field.name(), "no file " + s + " in this project");
      }
    }
  }

  /** The value a JSON default stands for in the field's protobuf type. */
  static Object typed(Field field, Object json) {
    return switch (field.type()) {
      case NUMBER -> ((Number) json).doubleValue();
      case BOOL -> (Boolean) json;
      default -> String.valueOf(json);
    };
  }

  private static boolean missing(Field field, DynamicMessage.Builder record, FieldDescriptor out, boolean unsent) {
    return switch (field.type()) {
      case NUMBER, BOOL -> unsent && field.defaultValue() == null;
      default -> ((String) record.getField(out)).isEmpty();
    };
  }

  /** 0 rather than 0.0 in messages. */
  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static void check(Field field, Object value, BiPredicate<String, String> exists) {
    String name = field.name();
    switch (field.type()) {
      case STRING, TEXT -> {
        String s = (String) value;
        if (field.maxLength() != null && s.codePointCount(0, s.length()) > field.maxLength()) {
          throw ModuleException.badField(name, "is longer than " + field.maxLength() + " characters");
        }
        if (field.type() == FieldType.STRING && s.indexOf('\n') >= 0) {
          throw ModuleException.badField(name, "must be one line");
        }
      }
      case NUMBER -> {
        double d = (Double) value;
        if (!Double.isFinite(d)) throw ModuleException.badField(name, "must be a finite number");
        if (field.min() != null && d < field.min()) throw ModuleException.badField(name, "must be at least " + number(field.min()));
        if (field.max() != null && d > field.max()) throw ModuleException.badField(name, "must be at most " + number(field.max()));
      }
      case DATE -> {
        String s = (String) value;
        if (!s.isEmpty()) {
          try {
            LocalDate.parse(s);
          } catch (DateTimeParseException e) {
            throw ModuleException.badField(name, "'" + s + "' is not a date (yyyy-mm-dd)");
          }
        }
      }
      case ENUM -> {
        String s = (String) value;
        if (!s.isEmpty() && !field.values().contains(s)) {
          throw ModuleException.badField(name, "'" + s + "' is not one of " + String.join(", ", field.values()));
        }
      }
      case REFERENCE -> {
        String s = (String) value;
        if (!s.isEmpty() && !exists.test(field.entity(), s)) {
          throw ModuleException.badField(name, "no " + field.entity() + " " + s + " in this project");
        }
      }
      case FILE -> {
        String s = (String) value;
        if (!s.isEmpty() && !FILE_ID.matcher(s).matches()) throw ModuleException.badField(name, "is not a file id");
      }
      case BOOL -> { }
    }
  }
}
