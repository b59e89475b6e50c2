package dev.hearth.kernel.backup;

import dev.hearth.kernel.spi.BackupTarget;
import dev.hearth.kernel.spi.TargetProvider;
import dev.hearth.module.ModuleException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

/** Opens a backup target from what a user typed: a folder path ({@code file:} optional) or a provider's URI. */
public final class BackupTargets {

  private BackupTargets() {}

  public static BackupTarget open(String spec) {
    if (spec == null || spec.isBlank()) {
      throw ModuleException.invalidArgument("a backup target is required (a folder, or nats://host:port/bucket)");
    }
    if (spec.startsWith("file:")) {
      return new FolderTarget(Path.of(java.net.URI.create(spec)));
    }
    if (!spec.matches("[a-z][a-z0-9+.-]*://.*")) {
      return new FolderTarget(Path.of(spec));
    }
    for (TargetProvider p : ServiceLoader.load(TargetProvider.class, BackupTargets.class.getClassLoader())) {
      Optional<BackupTarget> t = p.open(spec);
      if (t.isPresent()) return t.get();
    }
    throw ModuleException.invalidArgument("unknown backup target '" + spec.replaceAll("//[^@/]*@", "//***@")
        + "': use a folder path or nats://host:port/bucket (needs the federation module on the class path)");
  }
}
