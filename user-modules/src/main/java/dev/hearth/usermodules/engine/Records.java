package dev.hearth.usermodules.engine;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Store;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A user module's records in its own store: one collection {@code record.<entity>} per entity,
 * keyed {@code <project>/<id>}, values the entity's message encoded with the installed version's
 * descriptor. Protobuf reads by field number, so records written by an earlier version read
 * through the current one: that is what the field registry's stable numbers buy.
 */
final class Records {

  static final String PREFIX = "record.";

  private final Map<String, Collection<DynamicMessage>> collections = new HashMap<>();
  private final Map<String, Descriptor> types;

  Records(Store store, Map<String, Descriptor> entities) {
    this.types = entities;
    entities.forEach((name, type) -> collections.put(name, store.collection(CollectionSpec.of(PREFIX + name,
        Codec.of(DynamicMessage.getDefaultInstance(type).getParserForType())))));
  }

  Collection<DynamicMessage> of(String entity) {
    return collections.get(entity);
  }

  Descriptor type(String entity) {
    return types.get(entity);
  }

  static String key(String project, String id) {
    return project + "/" + id;
  }

  Optional<DynamicMessage> get(String entity, String project, String id) {
    if (id.isEmpty() || id.contains("/")) return Optional.empty();
    return of(entity).get(key(project, id));
  }

  /** Up to {@code limit} records of {@code entity} in {@code project} after id {@code after} ("" for the first), oldest first. */
  List<DynamicMessage> page(String entity, String project, String after, int limit) {
    String from = after.isEmpty() ? project + "/" : key(project, after) + '\0';
    return of(entity).scan(from, project + "/" + Character.MAX_VALUE, limit, false).stream().map(Entry::value).toList();
  }

  static String string(DynamicMessage record, String field) {
    FieldDescriptor f = record.getDescriptorForType().findFieldByName(field);
    return f == null ? "" : String.valueOf(record.getField(f));
  }
}
