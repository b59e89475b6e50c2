package dev.hearth.kernel.identity;

import dev.hearth.module.ModuleException;
import java.util.regex.Pattern;

/** Input checks whose errors name the request field. */
public final class Check {

  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

  private Check() {}

  public static String email(String field, String value) {
    String e = IdentityStore.normalEmail(value);
    if (e == null || e.isEmpty()) throw ModuleException.required(field);
    if (e.length() > 254 || !EMAIL.matcher(e).matches() || e.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw ModuleException.badField(field, "is not an email address").localized("field.notEmail", field);
    }
    return e;
  }

  /** Trimmed text of {@code min}..{@code max} characters. */
  public static String text(String field, String value, int min, int max) {
    String v = value == null ? "" : value.strip();
    if (v.length() < min) {
      throw min == 1 ? ModuleException.required(field)
          : ModuleException.badField(field, "needs at least " + min + " characters").localized("field.tooShort", field, min);
    }
    if (v.length() > max) {
      throw ModuleException.badField(field, "must have at most " + max + " characters").localized("field.tooLong", field, max);
    }
    if (v.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t')) {
      throw ModuleException.badField(field, "has control characters").localized("field.controlChars", field);
    }
    return v;
  }

  public static String required(String field, String value) {
    if (value == null || value.isEmpty()) throw ModuleException.required(field);
    return value;
  }

  /** A page size: 0 means the default, else 1..max. */
  public static int pageSize(int requested, int dflt, int max) {
    if (requested == 0) return dflt;
    if (requested < 0 || requested > max) throw ModuleException.badField("page_size", "must be between 1 and " + max).localized("field.range", "page_size", 1, max);
    return requested;
  }

  public static ModuleException notFound(String what) {
    return ModuleException.notFound(what + " not found").localized("notFound", what);
  }

  public static ModuleException denied(String message) {
    return new ModuleException(ModuleException.Code.PERMISSION_DENIED, message);
  }
}
