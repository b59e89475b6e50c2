package dev.hearth.kernel.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven wrote into the kernel jar; "dev" when run from classes. */
public final class BuildInfo {

  private static final String VALUE = read();

  private BuildInfo() {}

  public static String version() {
    return VALUE;
  }

  private static String read() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/META-INF/maven/dev.hearth/hearth-kernel/pom.properties")) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      return "dev";
    }
    return p.getProperty("version", "dev");
  }
}
