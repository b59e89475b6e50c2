package dev.hearth.usermodules;

import dev.hearth.usermodules.EntityNumbers.Slot;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The protobuf field numbers of every entity's user fields, kept with an installed user module so
 * that stored records stay readable across upgrades: a field keeps its number while it keeps its
 * name (or is {@code renamedFrom} it), a removed field's number is retired forever, and a new field
 * gets its entity's next number. User field numbers start at {@link #FIRST_USER_FIELD}; the ones
 * below are the engine's ({@code id}, {@code project_id}, ...). The registry also remembers each
 * field's type, because a type change cannot be read back from bytes written with the old type.
 *
 * <p>Immutable and thread-safe. Persist it with {@link #toJson()}; {@link #fromJson(String)} reads it back.
 */
public final class FieldRegistry {

  /** The number of an entity's first user field. */
  public static final int FIRST_USER_FIELD = 16;

  static final FieldRegistry EMPTY = new FieldRegistry(0, Map.of());

  private final int generation;
  private final Map<String, EntityNumbers> entities;

  FieldRegistry(int generation, Map<String, EntityNumbers> entities) {
    this.generation = generation;
    this.entities = Collections.unmodifiableMap(new LinkedHashMap<>(entities));
  }

  /**
   * The outcome of an upgrade.
   *
   * @param registry the registry for the next definition; null when there are problems
   * @param problems why the next definition cannot replace the installed one, with JSON paths into it
   * @param changes per entity whose fields change, in definition order (removed entities last);
   *     empty when nothing changes or there are problems
   */
  public record Upgrade(FieldRegistry registry, List<Problem> problems, List<Change> changes) {
    public Upgrade {
      problems = List.copyOf(problems);
      changes = List.copyOf(changes);
    }

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * How one entity's fields change in an upgrade: what a migration does and the closing report says.
   *
   * @param added names of new fields, in definition order
   * @param renamed old name → new name, in definition order
   * @param removed names of fields dropped (all of them when the entity itself is removed)
   */
  public record Change(String entity, List<String> added, Map<String, String> renamed, List<String> removed) {
    public Change {
      added = List.copyOf(added);
      renamed = Collections.unmodifiableMap(new LinkedHashMap<>(renamed));
      removed = List.copyOf(removed);
    }
  }

  /**
   * The registry of a first install, generation 1: each entity's fields numbered from
   * {@link #FIRST_USER_FIELD} in definition order. {@code renamedFrom} is ignored: nothing is installed.
   *
   * @param def a valid definition ({@link DefinitionValidator})
   */
  public static FieldRegistry initial(UserModuleDefinition def) {
    Upgrade first = RegistryUpgrade.run(EMPTY, def, false);
    if (!first.ok()) throw new IllegalStateException("a first install cannot fail: " + first.problems());
    return first.registry();
  }

  /**
   * The registry for {@code next}, replacing the definition {@code old} was made for. Its
   * generation is one more than {@code old}'s when any field is added, renamed or removed. See
   * {@code docs/user-modules.md}, "Upgrades", for the rules and problems.
   *
   * @param next a valid definition ({@link DefinitionValidator})
   */
  public static Upgrade upgrade(FieldRegistry old, UserModuleDefinition next) {
    return RegistryUpgrade.run(old, next, true);
  }

  /** The registry as JSON, for storing beside the installed definition. */
  public String toJson() {
    return RegistryJson.write(this);
  }

  /**
   * Reads what {@link #toJson()} wrote.
   *
   * @throws IllegalArgumentException when {@code json} is not a field registry
   */
  public static FieldRegistry fromJson(String json) {
    return RegistryJson.read(json);
  }

  /** 1 for a first install, one more for each upgrade that changed a field: the store's schema version. */
  public int generation() {
    return generation;
  }

  /**
   * The number of a live field.
   *
   * @throws IllegalArgumentException when {@code entity} has no field {@code field} (any more)
   */
  public int number(String entity, String field) {
    return slot(entity, field).number();
  }

  /**
   * The type of a live field.
   *
   * @throws IllegalArgumentException when {@code entity} has no field {@code field} (any more)
   */
  public FieldType type(String entity, String field) {
    return slot(entity, field).type();
  }

  /** The live fields of {@code entity} → their numbers, in number order; empty for an unknown or removed entity. */
  public Map<String, Integer> numbers(String entity) {
    Map<String, Integer> out = new LinkedHashMap<>();
    numbersOf(entity).fields().forEach(s -> out.put(s.name(), s.number()));
    return Collections.unmodifiableMap(out);
  }

  /** The numbers {@code entity} retired, which no field of it will have again. */
  public Set<Integer> retired(String entity) {
    Set<Integer> out = new TreeSet<>();
    numbersOf(entity).retired().forEach(s -> out.add(s.number()));
    return Collections.unmodifiableSet(out);
  }

  Map<String, EntityNumbers> entities() {
    return entities;
  }

  EntityNumbers numbersOf(String entity) {
    return entities.getOrDefault(entity, EntityNumbers.NONE);
  }

  private Slot slot(String entity, String field) {
    return numbersOf(entity).fields().stream().filter(s -> s.name().equals(field)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no field '" + field + "' in entity '" + entity + "'"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldRegistry r && r.generation == generation && r.entities.equals(entities);
  }

  @Override
  public int hashCode() {
    return Objects.hash(generation, entities);
  }

  @Override
  public String toString() {
    return toJson();
  }
}
