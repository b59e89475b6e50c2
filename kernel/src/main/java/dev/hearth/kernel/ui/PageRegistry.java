package dev.hearth.kernel.ui;

import dev.hearth.module.ModuleException;
import dev.hearth.module.ui.Pages;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The pages and strings of the running modules. A module's entry is opened with its context and
 * withdrawn when the module stops or fails to start, so clients only see pages of modules that run.
 */
public final class PageRegistry {

  private final Map<String, ModulePages> modules = new ConcurrentHashMap<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  /** Calls {@code listener} with the module's id after every {@link #announce} and {@link #withdraw}. */
  public void onChange(Consumer<String> listener) {
    listeners.add(listener);
  }

  /** Tells listeners that module {@code moduleId}'s pages are in place (it finished starting). */
  public void announce(String moduleId) {
    listeners.forEach(l -> l.accept(moduleId));
  }

  /**
   * The {@link Pages} of module {@code moduleId}, reading its resources through {@code loader}
   * (the module's own class loader). Replaces any entry left for that id.
   */
  public Pages open(String moduleId, ClassLoader loader) {
    ModulePages pages = new ModulePages(moduleId, loader);
    modules.put(moduleId, pages);
    return pages;
  }

  /** Forgets everything of the module {@code pages} was opened for (a later open of the same id stays). */
  public void withdraw(String moduleId, Pages pages) {
    if (modules.remove(moduleId, pages)) announce(moduleId);
  }

  /** Module ids with their pages, in id order. */
  List<Map.Entry<String, ModulePages>> modules() {
    return modules.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
  }

  /** The module's pages; NOT_FOUND when it does not run (or has no pages or strings). */
  ModulePages module(String moduleId) {
    return Optional.ofNullable(modules.get(moduleId))
        .orElseThrow(() -> ModuleException.notFound("module " + moduleId + " is not running"));
  }
}
