package dev.hearth.module;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks of request fields that every module makes: ids, bounded text, keys, page limits. Each
 * failure is an INVALID_ARGUMENT {@link ModuleException} naming the field (its {@code field}
 * detail and the message's {@code "<field>: "} prefix) and localized under one of the node's keys
 * ({@code field.required}, {@code field.badId}, {@code field.length}, {@code field.badKey},
 * {@code field.range}, {@code field.tooMany}), so the caller reads it in their language. A value is
 * never echoed whole: long or odd input is {@link #abbreviate abbreviated}.
 *
 * @since 0.6
 */
public final class Fields {

  private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9/:._-]*");

  private Fields() {}

  /**
   * A required id: a UUID in lower-case canonical form, as {@code Ids} and the node make them.
   *
   * @return {@code value}
   */
  public static String id(String field, String value) {
    if (value.isEmpty()) throw ModuleException.required(field);
    if (!ID.matcher(value).matches()) {
      throw ModuleException.badField(field, "'" + abbreviate(value) + "' is not a valid id")
          .localized("field.badId", field, abbreviate(value));
    }
    return value;
  }

  /** An optional id: empty (not given) is fine, anything else must be {@link #id a valid id}. */
  public static String optionalId(String field, String value) {
    return value.isEmpty() ? value : id(field, value);
  }

  /** Valid ids, duplicates dropped (first occurrence kept, in order), at most {@code max} of them. */
  public static List<String> ids(String field, List<String> values, int max) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (String v : values) out.add(id(field, v));
    if (out.size() > max) {
      throw ModuleException.badField(field, "at most " + max + " ids").localized("field.tooMany", field, max);
    }
    return new ArrayList<>(out);
  }

  /**
   * Text stripped of surrounding white space, of at most {@code max} characters, and not empty when
   * {@code required}.
   *
   * @return the stripped text
   */
  public static String text(String field, String value, boolean required, int max) {
    String v = value.strip();
    if (required && v.isEmpty()) throw ModuleException.required(field);
    if (v.length() > max) {
      throw ModuleException.badField(field, "is " + v.length() + " characters; the limit is " + max)
          .localized("field.length", field, v.length(), max);
    }
    return v;
  }

  /** An optional key of at most {@code max} letters, digits and {@code / : . _ -} (empty when not given). */
  public static String key(String field, String value, int max) {
    if (value.length() > max) {
      throw ModuleException.badField(field, "is " + value.length() + " characters; the limit is " + max)
          .localized("field.length", field, value.length(), max);
    }
    if (!KEY.matcher(value).matches()) {
      throw ModuleException.badField(field, "'" + abbreviate(value) + "' may hold only letters, digits and / : . _ -")
          .localized("field.badKey", field, abbreviate(value));
    }
    return value;
  }

  /**
   * A page size: 0 (not given) means {@code fallback}; otherwise 1 to {@code max}.
   *
   * @return the limit to use
   */
  public static int limit(String field, int value, int fallback, int max) {
    if (value < 0 || value > max) {
      throw ModuleException.badField(field, "must be 1 to " + max).localized("field.range", field, 1, max);
    }
    return value == 0 ? fallback : value;
  }

  /**
   * What of an input an error message may show: at most 40 characters (then {@code ...}), anything
   * outside printable ASCII as {@code ?}, so no control character or long payload reaches a log or
   * another person's screen.
   */
  public static String abbreviate(String value) {
    String s = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
