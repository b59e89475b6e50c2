package dev.hearth.kernel.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.pf4j.DefaultVersionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jars of the plugins folder, one per module id. Two jars of one id (an older build left beside
 * a newer one, a copy made by hand) would make the second fail to load, and which one came first
 * would depend on file names; instead the highest version is loaded and the others are renamed
 * {@code *.jar.superseded}, so that they are neither loaded nor silently brought back when the
 * newer one is uninstalled.
 */
final class PluginsFolder {

  private static final Logger log = LoggerFactory.getLogger(PluginsFolder.class);
  private static final DefaultVersionManager VERSIONS = new DefaultVersionManager();

  /** A jar's {@code Plugin-Id} and {@code Plugin-Version}. */
  record Described(Path jar, String id, String version) {}

  private PluginsFolder() {}

  /** The manifest's plugin id and version, or {@code null} for a jar without them. */
  static Described describe(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      var manifest = file.getManifest();
      String id = manifest == null ? null : manifest.getMainAttributes().getValue("Plugin-Id");
      String version = manifest == null ? null : manifest.getMainAttributes().getValue("Plugin-Version");
      return id == null || version == null ? null : new Described(jar, id, version);
    }
  }

  /**
   * The jars to load, in file name order: the newest of each module id, and every jar that cannot
   * be read (loading it fails with a message that names it). Blocking.
   */
  static List<Path> jarsToLoad(Path dir) throws IOException {
    List<Path> jars;
    try (var list = Files.list(dir)) {
      jars = list.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
    }
    Map<String, Described> newest = new LinkedHashMap<>();
    List<Path> load = new ArrayList<>();
    for (Path jar : jars) {
      Described d;
      try {
        d = describe(jar);
      } catch (IOException e) {
        d = null;
      }
      if (d == null) {
        load.add(jar);
        continue;
      }
      Described other = newest.get(d.id());
      if (other == null) {
        newest.put(d.id(), d);
        continue;
      }
      Described keep = newer(d, other);
      Described drop = keep == d ? other : d;
      newest.put(d.id(), keep);
      Path aside = drop.jar().resolveSibling(drop.jar().getFileName() + ".superseded");
      Files.move(drop.jar(), aside, StandardCopyOption.REPLACE_EXISTING);
      log.warn("module {}: {} ({}) is newer than {} ({}); the older jar was renamed {}", d.id(),
          keep.jar().getFileName(), keep.version(), drop.jar().getFileName(), drop.version(), aside.getFileName());
    }
    newest.values().forEach(d -> load.add(d.jar()));
    return load.stream().sorted().toList();
  }

  /** By semantic version; versions that are not semantic ones fall back to the later-modified file. */
  private static Described newer(Described a, Described b) throws IOException {
    int c;
    try {
      c = VERSIONS.compareVersions(a.version(), b.version());
    } catch (RuntimeException notSemantic) {
      c = Files.getLastModifiedTime(a.jar()).compareTo(Files.getLastModifiedTime(b.jar()));
    }
    return c >= 0 ? a : b;
  }
}
