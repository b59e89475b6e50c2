package dev.hearth.usermodules.engine;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.change.View;
import dev.hearth.module.change.ViewTx;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Store;
import dev.hearth.usermodules.UserModuleDefinition;
import dev.hearth.usermodules.UserModuleDefinition.Query;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The answers of a user module's queries, kept as a view of its change log: per query, the ids of
 * the project's records that match its {@code where}, keyed in its {@code orderBy} order
 * ({@code <project>/<sort key>\0<id>}), so a query reads one page of keys instead of scanning and
 * sorting every record. Like every view it is applied once per event, survives restarts, follows
 * replicated records, and is rebuilt from the log when the queries change (its version is derived
 * from them).
 */
final class QueryIndex implements View {

  static final String NAME = "queries";
  /** Longest sort key kept of a text value: records beyond it are ordered by their id among equals. */
  private static final int MAX_SORT_CHARS = 120;

  private final UserModuleDefinition definition;
  private final Map<String, Descriptor> types;
  private final Map<String, Codec<DynamicMessage>> codecs = new LinkedHashMap<>();
  private final Map<String, Collection<String>> index = new LinkedHashMap<>();
  /** Per query and record, the index key it is under now: {@code <query>|<project>/<id>} → key. */
  private final Collection<String> placed;
  private final int version;

  QueryIndex(Store store, UserModuleDefinition definition, Map<String, Descriptor> types, int generation) {
    this.definition = definition;
    this.types = types;
    types.forEach((entity, type) -> codecs.put(entity, Codec.of(DynamicMessage.getDefaultInstance(type).getParserForType())));
    for (Query q : definition.queries()) {
      index.put(q.name(), store.collection(CollectionSpec.of(collection(q.name()), Codec.utf8())));
    }
    this.placed = store.collection(CollectionSpec.of("view." + NAME + "..placed", Codec.utf8()));
    List<Object> meaning = new ArrayList<>();
    meaning.add(generation);
    definition.queries().forEach(q -> meaning.add(List.of(q.name(), q.entity(), q.where(), Objects.toString(q.orderBy()))));
    this.version = meaning.toString().hashCode() & 0x7fffffff;
  }

  static String collection(String query) {
    return "view." + NAME + "." + query;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int version() {
    return version;
  }

  @Override
  public List<CollectionSpec<?>> collections() {
    List<CollectionSpec<?>> specs = new ArrayList<>();
    index.keySet().forEach(q -> specs.add(CollectionSpec.of(collection(q), Codec.utf8())));
    specs.add(CollectionSpec.of("view." + NAME + "..placed", Codec.utf8()));
    return specs;
  }

  Collection<String> of(String query) {
    return index.get(query);
  }

  @Override
  public void apply(ChangeEvent event, ViewTx tx) {
    if (!event.collection().startsWith(Records.PREFIX)) return;
    String entity = event.collection().substring(Records.PREFIX.length());
    Codec<DynamicMessage> codec = codecs.get(entity);
    int slash = event.key().indexOf('/');
    if (codec == null || slash < 0) return; // an entity this version no longer has
    String project = event.key().substring(0, slash);
    String id = event.key().substring(slash + 1);
    DynamicMessage record = event.op() == ChangeEvent.Op.PUT ? event.value(codec) : null;
    for (Query q : definition.queries()) {
      if (!q.entity().equals(entity)) continue;
      String at = q.name() + "|" + event.key();
      tx.get(placed, at).ifPresent(old -> tx.delete(index.get(q.name()), old));
      if (record != null && matches(q, record)) {
        String key = project + "/" + sortKey(q, record) + '\0' + id;
        tx.put(index.get(q.name()), key, id);
        tx.put(placed, at, key);
      } else {
        tx.delete(placed, at);
      }
    }
  }

  private boolean matches(Query q, DynamicMessage record) {
    UserModuleDefinition.Entity entity = definition.entity(q.entity()).orElseThrow();
    for (var w : q.where().entrySet()) {
      var field = entity.field(w.getKey()).orElseThrow();
      Object value = record.getField(record.getDescriptorForType().findFieldByName(w.getKey()));
      if (!value.equals(FieldValues.typed(field, w.getValue()))) return false;
    }
    return true;
  }

  /** A string that sorts as the {@code orderBy} value does; empty without one (ids are time-ordered). */
  private String sortKey(Query q, DynamicMessage record) {
    if (q.orderBy() == null || q.orderBy().isEmpty()) return "";
    FieldDescriptor f = types.get(q.entity()).findFieldByName(q.orderBy());
    Object value = record.getField(f);
    if (value instanceof Double d) {
      long bits = Double.doubleToLongBits(d == 0.0 ? 0.0 : d); // -0.0 and 0.0 sort as one
      bits = bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
      return String.format("%016x", bits);
    }
    if (value instanceof Boolean b) return b ? "1" : "0";
    String text = value.toString().toLowerCase(Locale.ROOT);
    return text.length() > MAX_SORT_CHARS ? text.substring(0, MAX_SORT_CHARS) : text;
  }
}
