package dev.hearth.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Module jars Maven built, for tests that install them into a {@link TestNode}. */
public final class ModuleJars {

  private ModuleJars() {}

  /**
   * The jar of {@code artifactId} in {@code targetDir} ({@code target} for a module's own ITs, which
   * run after {@code package}; {@code ../module-chat/target} for another module's, built earlier in
   * the reactor), whatever its version; not its -tests or -sources jar.
   */
  public static Path built(Path targetDir, String artifactId) {
    String jar = artifactId + "-[^-]+(-SNAPSHOT)?\\.jar";
    try (Stream<Path> files = Files.list(targetDir)) {
      return files.filter(p -> p.getFileName().toString().matches(jar)).findFirst()
          .orElseThrow(() -> new IllegalStateException("no " + artifactId + " jar in " + targetDir
              + ": build it first ('mvn verify' packages it before the integration tests)"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + targetDir + ": " + e.getMessage(), e);
    }
  }
}
