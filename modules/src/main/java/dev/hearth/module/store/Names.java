package dev.hearth.module.store;

import dev.hearth.module.ModuleException;
import java.util.regex.Pattern;

/** Validation of names and keys shared by the SDK's value types. Not API. */
final class Names {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,62}");
  static final int MAX_KEY_BYTES = 512;

  private Names() {}

  static String check(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw ModuleException.invalidArgument(
          what + " '" + name + "' must match " + NAME.pattern());
    }
    return name;
  }
}
