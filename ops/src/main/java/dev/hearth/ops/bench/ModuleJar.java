package dev.hearth.ops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds the jar of a built module (chat, survey) for benches that start a node with it. */
public final class ModuleJar {

  /** A prerequisite of a bench is missing: a module's jar, or a program it runs (exit code 3). */
  public static final class Missing extends Exception {
    private static final long serialVersionUID = 1L;

    public Missing(String message) {
      super(message);
    }
  }

  private ModuleJar() {}

  /**
   * {@code explicit} if given (the bench's {@code --<module>-jar}), else
   * {@code module-<module>/target/hearth-module-<module>-*.jar} under the repository root, looked for
   * upwards from the current directory and from where this class was loaded ({@code ops/target/...}).
   */
  public static Path find(String module, Path explicit) throws Missing {
    if (explicit != null) {
      if (!Files.isRegularFile(explicit)) throw new Missing("--" + module + "-jar " + explicit + ": no such file");
      return explicit;
    }
    List<Path> starts = new ArrayList<>();
    starts.add(Path.of("").toAbsolutePath());
    try {
      starts.add(Path.of(ModuleJar.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath());
    } catch (Exception ignored) {
      // no code source (unusual class loader): the current directory only
    }
    String dir = "module-" + module;
    for (Path start : starts) {
      for (Path d = start; d != null; d = d.getParent()) {
        Optional<Path> jar = jarIn(d.resolve(dir).resolve("target"), "hearth-module-" + module);
        if (jar.isPresent()) return jar.get();
      }
    }
    throw new Missing("the " + module + " module is not built: no " + dir + "/target/hearth-module-" + module
        + "-*.jar above " + starts + ". Build it first: mvn -B -pl " + dir + " -am package -DskipTests (or pass --"
        + module + "-jar FILE)");
  }

  private static Optional<Path> jarIn(Path target, String artifactId) {
    if (!Files.isDirectory(target)) return Optional.empty();
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(p -> p.getFileName().toString().matches(artifactId + "-[^-]+(-SNAPSHOT)?\\.jar")).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
