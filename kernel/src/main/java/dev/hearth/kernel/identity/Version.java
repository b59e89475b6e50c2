package dev.hearth.kernel.identity;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven wrote into the kernel jar; "dev" when run from classes. */
final class Version {

  private static final String VALUE = read();

  private Version() {}

  static String get() {
    return VALUE;
  }

  private static String read() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("/META-INF/maven/dev.hearth/hearth-kernel/pom.properties")) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      return "dev";
    }
    return p.getProperty("version", "dev");
  }
}
