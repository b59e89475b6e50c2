package dev.hearth.usermodules;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A valid user module definition, as {@link DefinitionValidator} returns it. Immutable; lists keep
 * the definition's order. The format: {@code docs/user-modules.md}.
 *
 * @param id the module id, {@code [a-z][a-z0-9-]{1,31}}
 * @param version its semantic version
 * @param names its display name per locale, with {@code en}
 */
public record UserModuleDefinition(String id, String version, Map<String, String> names,
    List<Entity> entities, List<Query> queries, List<Page> pages, List<Action> actions) {

  /** Field names the engine adds to every entity; a definition cannot declare them. */
  public static final List<String> RESERVED_FIELDS =
      List.of("id", "project_id", "created_at", "updated_at", "created_by");

  /** The roles an action may name: the kernel's project roles ({@code Roles.PROJECT_ROLES}). */
  public static final List<String> ROLES = List.of("project-user", "project-admin");

  public UserModuleDefinition {
    names = Map.copyOf(names);
    entities = List.copyOf(entities);
    queries = List.copyOf(queries);
    pages = List.copyOf(pages);
    actions = List.copyOf(actions);
  }

  /** The entity called {@code name}. */
  public Optional<Entity> entity(String name) {
    return entities.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** A record type: becomes one protobuf message and one collection. */
  public record Entity(String name, Map<String, String> names, List<Field> fields) {
    public Entity {
      names = Map.copyOf(names);
      fields = List.copyOf(fields);
    }

    /** The field called {@code name}. */
    public Optional<Field> field(String name) {
      return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }
  }

  /**
   * A field of an entity. Properties that do not apply to the type are null (or empty).
   *
   * @param maxLength for string and text; null when not given
   * @param min for number; null when not given
   * @param max for number; null when not given
   * @param defaultValue a {@code String} (string, text, date, enum), {@code Double} (number) or
   *     {@code Boolean} (bool); null when not given
   * @param values for enum, in order; empty otherwise
   * @param entity for reference: the entity referred to; null otherwise
   * @param renamedFrom the field's name in the installed version, when an upgrade renames it; null
   *     otherwise (see {@link FieldRegistry#upgrade})
   */
  public record Field(String name, Map<String, String> names, FieldType type, boolean required,
      Integer maxLength, Double min, Double max, Object defaultValue, List<String> values, String entity,
      String renamedFrom) {
    public Field {
      names = Map.copyOf(names);
      values = List.copyOf(values);
    }
  }

  /**
   * A named list of records of one entity.
   *
   * @param where field name to the value it must equal (String, Double or Boolean), all of them
   * @param orderBy a field of the entity, {@code created_at} or {@code updated_at}; null when not given
   * @param limit at most this many records per page of results; null when not given
   */
  public record Query(String name, String entity, Map<String, Object> where, String orderBy, Integer limit) {
    public Query {
      where = Map.copyOf(where);
    }
  }

  /**
   * A page of the web shell: a card template rendered with its query's results.
   *
   * @param card the Adaptive Card template, as JSON text
   */
  public record Page(String name, Map<String, String> titles, String query, String card) {
    public Page {
      titles = Map.copyOf(titles);
    }
  }

  /**
   * Something a user may do to records of an entity, and who may.
   *
   * @param roles project roles allowed to do it, from {@link #ROLES}
   * @param field for a transition: the enum field it changes; null otherwise
   * @param from for a transition: the values it moves from; empty otherwise
   * @param to for a transition: the value it moves to; null otherwise
   */
  public record Action(String name, ActionKind kind, String entity, List<String> roles,
      String field, List<String> from, String to) {
    public Action {
      roles = List.copyOf(roles);
      from = List.copyOf(from);
    }
  }
}
