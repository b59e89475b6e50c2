package dev.hearth.module.flags;

import java.util.regex.Pattern;

/**
 * The shape of a flag name, checked where flags are declared (modules and the kernel alike).
 *
 * @since 0.5
 */
public final class FlagNames {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,39}(\\.[a-z][a-z0-9_-]{0,39}){0,4}");

  private FlagNames() {}

  /**
   * Returns {@code name} when it is lower case letters, digits, {@code -} and {@code _} in up to
   * five dot-separated parts, each starting with a letter.
   *
   * @throws IllegalArgumentException naming the bad value otherwise
   */
  public static String check(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad flag name '" + name
          + "': use lower case letters, digits, - and _ in dot-separated parts, e.g. message.edit");
    }
    return name;
  }
}
