package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad cluster setting stops `hearth serve` as a usage error: exit 2, the setting named, no stack trace. */
class ServeClusterConfigIT {

  @TempDir Path dir;

  @Test
  void badClusterSetting_exitsTwo_namingIt() throws Exception {
    Path config = dir.resolve("hearth.json");
    Files.writeString(config, "{\"port\": 0, \"host\": \"127.0.0.1\", \"dataDir\": \"" + dir.resolve("data")
        + "\", \"masterKeyFile\": \"" + dir.resolve("k") + "\", \"cluster\": {\"owns\": [\"chat\"]}}");
    ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.hearth.cli.Main", "serve",
        "--config", config.toString())).redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(2);
    assertThat(out).contains("hearth serve: cluster.natsUrls: is required").doesNotContain("\tat ");
  }
}
