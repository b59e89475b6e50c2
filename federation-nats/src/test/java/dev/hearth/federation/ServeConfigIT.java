package dev.hearth.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad federation setting stops `hearth serve` as a usage error: exit 2, the setting named, no stack trace. */
class ServeConfigIT {

  @TempDir Path dir;

  @Test
  void badFederationSetting_exitsTwo_namingIt() throws Exception {
    Path config = dir.resolve("hearth.json");
    Files.writeString(config, "{\"port\": 0, \"host\": \"127.0.0.1\", \"dataDir\": \"" + dir.resolve("data")
        + "\", \"masterKeyFile\": \"" + dir.resolve("k") + "\", \"federation\": {\"natsUrl\": \"nats://127.0.0.1:1\", \"nodeId\": \"a.b\"}}");
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.hearth.cli.Main", "serve", "--config", config.toString()))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(2);
    assertThat(out).contains("hearth serve: federation.nodeId: 'a.b' must match").doesNotContain("\tat ");
  }
}
