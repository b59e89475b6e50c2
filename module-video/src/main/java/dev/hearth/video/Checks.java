package dev.hearth.video;

import dev.hearth.module.ModuleException;
import java.util.regex.Pattern;

/** Input validation of ids and sizes: every failure is INVALID_ARGUMENT naming the request field. */
final class Checks {

  private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9/:._-]*");

  private Checks() {}

  /** An optional key: up to {@code max} letters, digits and / : . _ - (empty when not given). */
  static String key(String field, String value, int max) {
    if (value.length() > max) throw ModuleException.badField(field, "is " + value.length() + " characters; the limit is " + max);
    if (!KEY.matcher(value).matches()) {
      throw ModuleException.badField(field, "'" + abbreviate(value) + "' may hold only letters, digits and / : . _ -");
    }
    return value;
  }

  /** A required id (UUID, lower-case canonical form, as {@code Ids} makes them). */
  static String id(String field, String value) {
    if (!ID.matcher(value).matches()) {
      throw ModuleException.badField(field, value.isEmpty() ? "is required" : "'" + abbreviate(value) + "' is not a valid id");
    }
    return value;
  }

  /** Text of 1 (0 when optional) to {@code max} characters, stripped. */
  static String text(String field, String value, boolean required, int max) {
    String v = value.strip();
    if (required && v.isEmpty()) throw ModuleException.badField(field, "is required");
    if (v.length() > max) throw ModuleException.badField(field, "is " + v.length() + " characters; the limit is " + max);
    return v;
  }

  /** Never echo a long or odd input whole into an error message. */
  static String abbreviate(String v) {
    String s = v.length() > 40 ? v.substring(0, 40) + "..." : v;
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
