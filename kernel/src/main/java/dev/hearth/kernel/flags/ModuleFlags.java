package dev.hearth.kernel.flags;

import dev.hearth.module.flags.FlagNames;
import dev.hearth.module.flags.Flags;

/**
 * One module's view of the {@link FlagBook}: its names, prefixed with its id ({@code edit} in module
 * {@code chat} is {@code chat.edit}), declared while it runs.
 */
public final class ModuleFlags implements Flags {

  private final FlagBook book;
  private final String moduleId;

  public ModuleFlags(FlagBook book, String moduleId) {
    this.book = book;
    this.moduleId = moduleId;
  }

  @Override
  public void declare(String name, boolean defaultValue, String description) {
    FlagNames.check(name);
    book.declare(new FlagBook.Declared(moduleId + "." + name, moduleId, defaultValue,
        description == null ? "" : description, null, false));
  }

  @Override
  public boolean enabled(String name, String projectId) {
    return book.enabled(moduleId + "." + name, projectId);
  }

  /** Forgets the module's declarations; called when it stops. */
  public void withdraw() {
    book.withdraw(moduleId);
  }
}
