package dev.hearth.kernel.plugins;

import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.pf4j.ExtensionPoint;

/**
 * Builds a real module jar in a test folder: compiles the given sources against the test's class
 * path (SDK, Vert.x), writes a PF4J manifest and {@code META-INF/extensions.idx}. What a module's
 * Maven build produces, without Maven.
 */
final class PluginJars {

  private PluginJars() {}

  /**
   * What a module compiles against: the SDK and its provided dependencies. Taken from where those
   * classes were loaded, because under failsafe {@code java.class.path} is only a manifest jar.
   */
  static String sdkClassPath() {
    // The SDK's Module written out: java.lang.Module has the same simple name.
    Class<?>[] anchors = {dev.hearth.module.Module.class, Future.class,
        MessageLite.class, ExtensionPoint.class, ByteBuf.class};
    List<String> entries = new ArrayList<>();
    for (Class<?> c : anchors) {
      try {
        entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  static Path build(Path dir, String pluginId, String version, String moduleClass, String source) throws IOException {
    return build(dir, pluginId, version, moduleClass, source, Map.of());
  }

  /** Like {@link #build(Path, String, String, String, String)}, with resources (path in the jar to text). */
  static Path build(Path dir, String pluginId, String version, String moduleClass, String source,
      Map<String, String> resources) throws IOException {
    Path src = dir.resolve("src-" + pluginId + "-" + version);
    Path classes = dir.resolve("classes-" + pluginId + "-" + version);
    Path file = src.resolve(moduleClass.replace('.', '/') + ".java");
    Files.createDirectories(file.getParent());
    Files.createDirectories(classes);
    Files.writeString(file, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = javac.run(null, errors, errors, "-d", classes.toString(), "-cp", sdkClassPath(), "-proc:none", file.toString());
    if (rc != 0) throw new IllegalStateException("module source did not compile:\n" + errors);
    Path jar = dir.resolve(pluginId + "-" + version + ".jar");
    Manifest manifest = new Manifest();
    Attributes a = manifest.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Plugin-Id", pluginId);
    a.putValue("Plugin-Version", version);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
        Files.copy(p, out);
        out.closeEntry();
      }
      for (var r : resources.entrySet()) {
        out.putNextEntry(new JarEntry(r.getKey()));
        out.write(r.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
      out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
      out.write((moduleClass + "\n").getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }

  /**
   * A copy of {@code jar} made larger by a resource of {@code bytes} random (incompressible) bytes,
   * for tests of archive size limits.
   */
  static Path padded(Path jar, int bytes) throws IOException {
    String name = jar.getFileName().toString();
    Path out = jar.resolveSibling(name.substring(0, name.length() - 4) + "-padded-" + bytes + ".jar");
    byte[] padding = new byte[bytes];
    new Random(bytes).nextBytes(padding);
    try (JarFile in = new JarFile(jar.toFile());
        JarOutputStream o = new JarOutputStream(Files.newOutputStream(out), in.getManifest())) {
      for (JarEntry e : Collections.list(in.entries())) {
        if (e.getName().equals(JarFile.MANIFEST_NAME)) continue;
        o.putNextEntry(new JarEntry(e.getName()));
        in.getInputStream(e).transferTo(o);
        o.closeEntry();
      }
      o.putNextEntry(new JarEntry("padding.bin"));
      o.write(padding);
      o.closeEntry();
    }
    return out;
  }
}
