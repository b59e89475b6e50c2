package dev.hearth.testkit;

import com.google.protobuf.Descriptors.FileDescriptor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Resolves {@link ModuleNode} parameters as {@link ModuleTest} declares; see there. */
public final class ModuleNodeExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ModuleNodeExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ModuleNode.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ModuleTest declared = context.getRequiredTestClass().getAnnotation(ModuleTest.class);
    if (declared == null) {
      throw new ExtensionConfigurationException("a ModuleNode parameter needs @ModuleTest on " + context.getRequiredTestClass().getName());
    }
    // The store of this context, or of the class when a @BeforeAll method asked first: one node each.
    return context.getStore(NAMESPACE).getOrComputeIfAbsent(Started.class, k -> start(declared), Started.class).node;
  }

  private static Started start(ModuleTest declared) {
    List<FileDescriptor> protos = new ArrayList<>();
    for (Class<?> c : declared.protos()) {
      try {
        protos.add((FileDescriptor) c.getMethod("getDescriptor").invoke(null));
      } catch (ReflectiveOperationException | ClassCastException e) {
        throw new ExtensionConfigurationException("@ModuleTest protos: " + c.getName() + " is not a generated proto class", e);
      }
    }
    try {
      Path dir = Files.createTempDirectory("hearth-module-test");
      ModuleNode node = ModuleNode.start(dir, declared.artifactId(), protos, options -> {
        if (!declared.moduleConfig().isEmpty()) options.setModuleConfig(new JsonObject(declared.moduleConfig()));
      });
      return new Started(node, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A started node and its folder; JUnit closes it (an {@link AutoCloseable} in the store) when its context ends. */
  private record Started(ModuleNode node, Path dir) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      try {
        node.close();
      } finally {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
      }
    }
  }
}
