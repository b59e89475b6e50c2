package dev.hearth.usermodules.engine;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.UnknownFieldSet;
import dev.hearth.module.Module;
import dev.hearth.module.ModuleContext;
import dev.hearth.module.store.Entry;
import dev.hearth.usermodules.DescriptorCompiler;
import dev.hearth.usermodules.FieldRegistry;
import dev.hearth.usermodules.UserModuleDefinition;
import dev.hearth.usermodules.UserModuleDefinition.Entity;
import dev.hearth.usermodules.UserModuleDefinition.Field;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An installed user module at work: a {@link Module} like any compiled one, written only against
 * the SDK, so the kernel runs it the same way (its own encrypted store, the guard, module switches,
 * realtime, pages, federation). Its id is {@code um-<definition id>}; its schema version is the
 * field registry's generation, so an upgrade that changes fields runs {@link #migrate} once.
 */
public final class UserModule implements Module {

  /** The prefix of every user module's id (and store name): a compiled module cannot take such an id. */
  public static final String ID_PREFIX = "um-";

  private final UserModuleDefinition definition;
  private final DescriptorCompiler.Compiled compiled;
  private final FieldRegistry registry;

  public UserModule(UserModuleDefinition definition, DescriptorCompiler.Compiled compiled, FieldRegistry registry) {
    this.definition = definition;
    this.compiled = compiled;
    this.registry = registry;
  }

  public static String moduleId(String definitionId) {
    return ID_PREFIX + definitionId;
  }

  @Override
  public String id() {
    return moduleId(definition.id());
  }

  @Override
  public int schemaVersion() {
    return registry.generation();
  }

  public UserModuleDefinition definition() {
    return definition;
  }

  @Override
  public Future<Void> start(ModuleContext context) {
    Records records = new Records(context.store(), compiled.entities());
    QueryIndex queries = new QueryIndex(context.store(), definition, compiled.entities(), registry.generation());
    var applied = context.store().registerView(queries);
    context.serve(new Handlers(definition, compiled, records, context.store(), context.authorization(), queries, applied,
        context.files()).binding());
    context.realtime().topics(new RecordTopics(id(), compiled.entities().keySet(), context.authorization()));
    RecordPages.register(id(), definition, compiled, context.pages());
    return Future.succeededFuture();
  }

  /**
   * Rewrites every stored record through the current descriptor: values of removed fields (unknown
   * numbers now) are dropped, and fields that have a default and are still unset (added since the
   * record was written) get it. Renamed fields need nothing: they kept their numbers. One write per
   * project, since each write is in its project's scope.
   */
  @Override
  public Future<Void> migrate(ModuleContext context, int fromVersion) {
    Records records = new Records(context.store(), compiled.entities());
    Future<Void> chain = Future.succeededFuture();
    for (Entity entity : definition.entities()) {
      Map<String, List<Entry<DynamicMessage>>> byProject = new LinkedHashMap<>();
      for (Entry<DynamicMessage> e : records.of(entity.name()).scan("", "\uffff", Integer.MAX_VALUE, false)) {
        byProject.computeIfAbsent(e.key().substring(0, e.key().indexOf('/')), p -> new ArrayList<>()).add(e);
      }
      for (var project : byProject.entrySet()) {
        chain = chain.compose(v -> context.store().write("kernel", project.getKey(), tx -> {
          for (Entry<DynamicMessage> e : project.getValue()) {
            DynamicMessage migrated = migrated(entity, e.value());
            if (!migrated.equals(e.value())) tx.put(records.of(entity.name()), e.key(), migrated);
          }
          return null;
        }).mapEmpty());
      }
    }
    return chain;
  }

  private static DynamicMessage migrated(Entity entity, DynamicMessage record) {
    DynamicMessage.Builder b = record.toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance());
    for (Field field : entity.fields()) {
      if (field.defaultValue() == null) continue;
      var f = b.getDescriptorForType().findFieldByName(field.name());
      if (!b.hasField(f)) b.setField(f, FieldValues.typed(field, field.defaultValue()));
    }
    return b.build();
  }
}
