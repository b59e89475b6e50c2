package dev.hearth.kernel.usermodules;

import dev.hearth.kernel.flags.FlagsApi;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Store;
import dev.hearth.usermodules.FieldRegistry;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * The installed user modules, in the kernel's encrypted store: each one's definition as the admin
 * sent it, and, in a collection of its own that outlives a removal, its field registry, so a module
 * installed again under the same id keeps reading its old records by the same field numbers.
 */
final class InstalledModules {

  private final Store store;
  private final Collection<String> definitions;
  private final Collection<String> registries;
  /** The project a module was installed for (absent: the whole node). */
  private final Collection<String> homes;
  static final CollectionSpec<String> HOMES = CollectionSpec.of("usermodules.projects", Codec.utf8());
  private final FlagsApi.Audit audit;

  InstalledModules(Store store, FlagsApi.Audit audit) {
    this.store = store;
    this.audit = audit;
    this.definitions = store.collection(CollectionSpec.of("usermodules.definitions", Codec.utf8()));
    this.registries = store.collection(CollectionSpec.of("usermodules.registries", Codec.utf8()));
    this.homes = store.collection(HOMES);
  }

  /** The ids of the installed modules, in id order. */
  List<String> ids() {
    return definitions.scan("", "\uffff", 10_000, false).stream().map(Entry::key).toList();
  }

  Optional<String> definition(String id) {
    return definitions.get(id);
  }

  Optional<FieldRegistry> registry(String id) {
    return registries.get(id).map(FieldRegistry::fromJson);
  }

  /** The project the module was installed for, if it was for one. */
  Optional<String> home(String id) {
    return homes.get(id);
  }

  /**
   * Writes an installed or upgraded definition, and the audit record of the change, in one
   * transaction. {@code home} is the project it is for ("" for the node), written on install only.
   */
  Future<Void> put(String actor, String action, String id, String version, String definitionJson, FieldRegistry registry,
      Optional<String> home) {
    return store.write(actor, tx -> {
      tx.put(definitions, id, definitionJson);
      tx.put(registries, id, registry.toJson());
      home.ifPresent(p -> {
        if (p.isEmpty()) tx.delete(homes, id);
        else tx.put(homes, id, p);
      });
      String project = home.orElseGet(() -> homes.get(id).orElse(""));
      audit.record(tx, actor, action, "user-module/" + id, "version=" + version + (project.isEmpty() ? "" : " project=" + project));
      return null;
    }).mapEmpty();
  }

  Future<Void> remove(String actor, String action, String id) {
    return store.write(actor, tx -> {
      tx.delete(definitions, id);
      tx.delete(homes, id);
      audit.record(tx, actor, action, "user-module/" + id, "removed");
      return null;
    }).mapEmpty();
  }
}
