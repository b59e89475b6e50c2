package dev.hearth.kernel.plugins;

import java.nio.file.Path;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginLoader;

/** PF4J set up for Hearth: module jars described by their manifest, loaded parent first. */
final class ModulePluginManager extends DefaultPluginManager {

  ModulePluginManager(Path pluginsDir) {
    super(pluginsDir);
  }

  @Override
  protected PluginDescriptorFinder createPluginDescriptorFinder() {
    return new ManifestPluginDescriptorFinder();
  }

  @Override
  protected PluginLoader createPluginLoader() {
    return new ParentFirstJarLoader(this);
  }
}
