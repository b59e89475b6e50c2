package dev.hearth.kernel.ui;

import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Store;
import dev.hearth.module.store.Tx;
import dev.hearth.ui.v1.Translation;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The sys-admin's translation overrides, in the kernel store as
 * {@code translations: <moduleId>/<language>/<key> → text} (unscoped: they are the node's). Read on
 * each strings request, so a change shows on the next one.
 */
final class Translations {

  private final Store store;
  private final Collection<String> texts;

  Translations(Store kernel) {
    this.store = kernel;
    this.texts = kernel.collection(CollectionSpec.of("translations", Codec.utf8()));
  }

  /** The overrides of one module in one language, by key. */
  Map<String, String> of(String moduleId, String language) {
    Map<String, String> out = new LinkedHashMap<>();
    String prefix = moduleId + "/" + language + "/";
    for (Entry<String> e : texts.scan(prefix, prefix + Character.MAX_VALUE, 10_000, false)) {
      out.put(e.key().substring(prefix.length()), e.value());
    }
    return out;
  }

  /** Every override under a module (and language), when given; empty strings mean all. */
  List<Translation> list(String moduleId, String language) {
    String prefix = moduleId.isEmpty() ? "" : moduleId + "/" + (language.isEmpty() ? "" : language + "/");
    return texts.scan(prefix, prefix + Character.MAX_VALUE, 10_000, false).stream().map(e -> {
      String[] parts = e.key().split("/", 3);
      return Translation.newBuilder().setModuleId(parts[0]).setLocale(parts[1]).setKey(parts[2]).setValue(e.value()).build();
    }).filter(t -> language.isEmpty() || t.getLocale().equals(language)).toList();
  }

  Future<Void> set(String actor, String moduleId, String language, String key, String value,
      Consumer<Tx> also) {
    return store.write(actor, tx -> {
      tx.put(texts, moduleId + "/" + language + "/" + key, value);
      also.accept(tx);
      return null;
    });
  }

  /** @return whether there was such an override */
  Future<Boolean> remove(String actor, String moduleId, String language, String key,
      Consumer<Tx> also) {
    return store.write(actor, tx -> {
      String k = moduleId + "/" + language + "/" + key;
      boolean had = tx.get(texts, k).isPresent();
      tx.delete(texts, k);
      if (had) also.accept(tx);
      return had;
    });
  }
}
