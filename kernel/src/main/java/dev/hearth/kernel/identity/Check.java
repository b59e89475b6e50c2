package dev.hearth.kernel.identity;

import dev.hearth.module.ModuleException;
import java.util.regex.Pattern;

/** Input checks whose errors name the request field. */
final class Check {

  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

  private Check() {}

  static String email(String field, String value) {
    String e = IdentityStore.normalEmail(value);
    if (e == null || e.isEmpty()) throw ModuleException.badField(field, "is required");
    if (e.length() > 254 || !EMAIL.matcher(e).matches() || e.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw ModuleException.badField(field, "is not an email address");
    }
    return e;
  }

  /** Trimmed text of {@code min}..{@code max} characters. */
  static String text(String field, String value, int min, int max) {
    String v = value == null ? "" : value.strip();
    if (v.length() < min) throw ModuleException.badField(field, min == 1 ? "is required" : "needs at least " + min + " characters");
    if (v.length() > max) throw ModuleException.badField(field, "must have at most " + max + " characters");
    if (v.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t')) throw ModuleException.badField(field, "has control characters");
    return v;
  }

  static String required(String field, String value) {
    if (value == null || value.isEmpty()) throw ModuleException.badField(field, "is required");
    return value;
  }

  /** A page size: 0 means the default, else 1..max. */
  static int pageSize(int requested, int dflt, int max) {
    if (requested == 0) return dflt;
    if (requested < 0 || requested > max) throw ModuleException.badField("page_size", "must be between 1 and " + max);
    return requested;
  }

  static ModuleException notFound(String what) {
    return ModuleException.notFound(what + " not found");
  }

  static ModuleException denied(String message) {
    return new ModuleException(ModuleException.Code.PERMISSION_DENIED, message);
  }
}
