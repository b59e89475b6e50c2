package dev.hearth.usermodules;

import dev.hearth.usermodules.EntityNumbers.Slot;
import dev.hearth.usermodules.FieldRegistry.Change;
import dev.hearth.usermodules.FieldRegistry.Upgrade;
import dev.hearth.usermodules.UserModuleDefinition.Entity;
import dev.hearth.usermodules.UserModuleDefinition.Field;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Numbers the fields of a next definition from the installed registry: {@link FieldRegistry#upgrade}. */
final class RegistryUpgrade {

  private final FieldRegistry old;
  private final boolean followRenames;
  private final List<Problem> problems = new ArrayList<>();
  private final List<Change> changes = new ArrayList<>();
  private final Map<String, EntityNumbers> entities;

  private RegistryUpgrade(FieldRegistry old, boolean followRenames) {
    this.old = old;
    this.followRenames = followRenames;
    this.entities = new LinkedHashMap<>(old.entities());
  }

  static Upgrade run(FieldRegistry old, UserModuleDefinition next, boolean followRenames) {
    RegistryUpgrade upgrade = new RegistryUpgrade(old, followRenames);
    for (int i = 0; i < next.entities().size(); i++) upgrade.entity(next.entities().get(i), Paths.index("$.entities", i));
    Set<String> kept = new HashSet<>();
    next.entities().forEach(e -> kept.add(e.name()));
    old.entities().keySet().stream().filter(name -> !kept.contains(name)).forEach(upgrade::removeEntity);
    return upgrade.result();
  }

  private Upgrade result() {
    if (!problems.isEmpty()) return new Upgrade(null, problems, List.of());
    // The generation is the store's schema version: it moves only when what is stored changes.
    int generation = old.generation() + (changes.isEmpty() ? 0 : 1);
    return new Upgrade(new FieldRegistry(generation, entities), List.of(), changes);
  }

  private void entity(Entity entity, String path) {
    EntityNumbers before = old.numbersOf(entity.name());
    Map<String, Slot> live = new LinkedHashMap<>();
    before.fields().forEach(s -> live.put(s.name(), s));
    Set<String> names = new HashSet<>();
    entity.fields().forEach(f -> names.add(f.name()));

    int next = before.next();
    List<Slot> fields = new ArrayList<>();
    Set<String> carried = new HashSet<>();
    List<String> added = new ArrayList<>();
    Map<String, String> renamed = new LinkedHashMap<>();
    for (int j = 0; j < entity.fields().size(); j++) {
      Field field = entity.fields().get(j);
      String at = Paths.index(path + ".fields", j);
      String from = followRenames ? field.renamedFrom() : null;
      String label = entity.name() + "." + field.name();
      Slot source;
      if (from != null && names.contains(from)) {
        problem(at + ".renamedFrom", "field " + label + " is renamed from '" + from + "', but " + entity.name()
            + " still has a field '" + from + "'; remove it, or drop renamedFrom");
        continue;
      } else if (from != null && live.containsKey(from)) {
        source = live.get(from);
        renamed.put(from, field.name());
      } else if (live.containsKey(field.name())) {
        // Also a renamedFrom left in the document after the upgrade that applied it: nothing to rename.
        source = live.get(field.name());
      } else if (from != null) {
        problem(at + ".renamedFrom", "field " + label + " is renamed from '" + from
            + "', which the installed version of " + entity.name() + " does not have");
        continue;
      } else {
        fields.add(new Slot(field.name(), next, field.type()));
        next = EntityNumbers.after(next);
        added.add(field.name());
        continue;
      }
      if (source.type() != field.type()) {
        // Bytes written as the old type would be misread (or dropped) as the new one.
        problem(at + ".type", "field " + label + (source.name().equals(field.name()) ? "" : " (was " + source.name() + ")")
            + " changes type from " + source.type().jsonName() + " to " + field.type().jsonName()
            + "; add a new field instead");
      }
      carried.add(source.name());
      fields.add(new Slot(field.name(), source.number(), field.type()));
    }
    List<Slot> retired = new ArrayList<>(before.retired());
    List<String> removed = new ArrayList<>();
    live.values().stream().filter(s -> !carried.contains(s.name())).forEach(s -> {
      retired.add(s);
      removed.add(s.name());
    });
    fields.sort(Comparator.comparingInt(Slot::number));
    entities.put(entity.name(), new EntityNumbers(next, fields, retired));
    if (!added.isEmpty() || !renamed.isEmpty() || !removed.isEmpty()) {
      changes.add(new Change(entity.name(), added, renamed, removed));
    }
  }

  /** An entity the next definition drops: its numbers stay, retired, in case it comes back. */
  private void removeEntity(String name) {
    EntityNumbers before = old.numbersOf(name);
    if (before.fields().isEmpty()) return; // removed by an earlier upgrade
    List<Slot> retired = new ArrayList<>(before.retired());
    retired.addAll(before.fields());
    entities.put(name, new EntityNumbers(before.next(), List.of(), retired));
    changes.add(new Change(name, List.of(), Map.of(), before.fields().stream().map(Slot::name).toList()));
  }

  private void problem(String path, String message) {
    problems.add(new Problem(path, message));
  }
}
