package dev.hearth.usermodules;

import java.util.Locale;

/** How definition names become protobuf names: {@code in-stock} → {@code InStock}, {@code item} → {@code Items}. */
final class ProtoNames {

  private ProtoNames() {}

  /** Split on {@code -} and {@code _}, each part capitalized: {@code add_item} → {@code AddItem}. */
  static String pascal(String name) {
    StringBuilder out = new StringBuilder();
    for (String part : name.split("[-_]")) {
      if (!part.isEmpty()) out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.toString();
  }

  /** English plural, good enough for method names: box → boxes, category → categories, item → items. */
  static String plural(String word) {
    String lower = word.toLowerCase(Locale.ROOT);
    if (lower.matches(".*(s|x|z|ch|sh)")) return word + "es";
    if (lower.matches(".*[^aeiou]y")) return word.substring(0, word.length() - 1) + "ies";
    return word + "s";
  }

  /** The proto3 JSON name protoc gives a field: underscores dropped, the letter after each one upper-cased. */
  static String jsonName(String field) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : field.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  /** The package of a module's generated file: {@code hearth.um.my_module.v1}. */
  static String packageOf(String moduleId) {
    return "hearth.um." + moduleId.replace('-', '_') + ".v1";
  }

  /** The path of a module's generated file: {@code hearth/um/my-module/v1/my-module.proto}. */
  static String fileOf(String moduleId) {
    return "hearth/um/" + moduleId + "/v1/" + moduleId + ".proto";
  }
}
