package dev.hearth.kernel.plugins;

import java.nio.file.Files;
import java.nio.file.Path;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;

/**
 * Loads a module jar with the node's classes first (PF4J's APD strategy: application, then plugin,
 * then dependencies). PF4J defaults to plugin first; a module that bundled the SDK, Vert.x or
 * protobuf would then get its own copies and fail with ClassCastExceptions across the boundary.
 */
final class ParentFirstJarLoader implements PluginLoader {

  private final PluginManager manager;

  ParentFirstJarLoader(PluginManager manager) {
    this.manager = manager;
  }

  @Override
  public boolean isApplicable(Path path) {
    return Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar");
  }

  @Override
  public ClassLoader loadPlugin(Path path, PluginDescriptor descriptor) {
    PluginClassLoader loader = new PluginClassLoader(manager, descriptor, ModuleHost.class.getClassLoader(),
        ClassLoadingStrategy.APD);
    loader.addFile(path.toFile());
    return loader;
  }
}
