package dev.hearth.kernel.usermodules;

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

  InstalledModules(Store store) {
    this.store = store;
    this.definitions = store.collection(CollectionSpec.of("usermodules.definitions", Codec.utf8()));
    this.registries = store.collection(CollectionSpec.of("usermodules.registries", Codec.utf8()));
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

  Future<Void> put(String actor, String id, String definitionJson, FieldRegistry registry) {
    return store.write(actor, tx -> {
      tx.put(definitions, id, definitionJson);
      tx.put(registries, id, registry.toJson());
      return null;
    }).mapEmpty();
  }

  Future<Void> remove(String actor, String id) {
    return store.write(actor, tx -> {
      tx.delete(definitions, id);
      return null;
    }).mapEmpty();
  }
}
