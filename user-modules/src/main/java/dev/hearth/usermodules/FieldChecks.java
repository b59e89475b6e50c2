package dev.hearth.usermodules;

import dev.hearth.usermodules.UserModuleDefinition.Entity;
import dev.hearth.usermodules.UserModuleDefinition.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link DescriptorCompiler} checks of each entity's fields before generating anything: that
 * the registry numbers them with their types (it was upgraded to this definition), and that no two
 * fields share a proto3 JSON name ({@code a_1} and {@code a1} are both {@code a1}), which REST
 * transcoding could not tell apart.
 */
final class FieldChecks {

  private FieldChecks() {}

  static void run(UserModuleDefinition def, FieldRegistry registry, List<Problem> problems) {
    for (int i = 0; i < def.entities().size(); i++) {
      Entity entity = def.entities().get(i);
      Map<String, String> json = new HashMap<>();
      UserModuleDefinition.RESERVED_FIELDS.forEach(f -> json.put(ProtoNames.jsonName(f), "the engine's field '" + f + "'"));
      for (int j = 0; j < entity.fields().size(); j++) {
        Field field = entity.fields().get(j);
        String at = Paths.index(Paths.index("$.entities", i) + ".fields", j);
        String label = entity.name() + "." + field.name();
        Map<String, Integer> numbers = registry.numbers(entity.name());
        if (!numbers.containsKey(field.name())) {
          problems.add(new Problem(at, "field " + label + " has no number in the field registry; "
              + "upgrade the registry to this definition first"));
        } else if (registry.type(entity.name(), field.name()) != field.type()) {
          problems.add(new Problem(at + ".type", "field " + label + " is " + field.type().jsonName()
              + " but the field registry has it as " + registry.type(entity.name(), field.name()).jsonName()));
        }
        String other = json.putIfAbsent(ProtoNames.jsonName(field.name()), "field '" + field.name() + "'");
        if (other != null) {
          problems.add(new Problem(at + ".name", "field " + label + " has the JSON name '"
              + ProtoNames.jsonName(field.name()) + "', like " + other + "; rename one of them"));
        }
      }
    }
  }
}
