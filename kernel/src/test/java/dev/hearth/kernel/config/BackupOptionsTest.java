package dev.hearth.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.kernel.backup.Chain;
import dev.hearth.kernel.backup.FolderTarget;
import dev.hearth.kernel.spi.Manifest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupOptionsTest {

  @TempDir Path tmp;

  @Test
  void aSchedule_needsATarget_andRealCronExpressions() {
    BackupOptions ok = BackupOptions.from(new JsonObject().put("target", "/b").put("full", "0 3 * * 0")
        .put("incremental", "*/15 * * * *").put("keep", 2));
    assertThat(ok.scheduled()).isTrue();
    assertThat(ok.keep()).isEqualTo(2);
    assertThat(BackupOptions.from(new JsonObject()).scheduled()).isFalse();
    assertThatThrownBy(() -> BackupOptions.from(new JsonObject().put("full", "0 3 * * *")))
        .hasMessageContaining("'target' is required");
    assertThatThrownBy(() -> BackupOptions.from(new JsonObject().put("target", "/b").put("full", "every night")))
        .hasMessageContaining("'full' is not a cron expression");
    assertThatThrownBy(() -> BackupOptions.from(new JsonObject().put("target", "/b").put("keep", 0)))
        .hasMessageContaining("'keep' must be a whole number of at least 1");
    assertThatThrownBy(() -> BackupOptions.from(new JsonObject().put("targte", "/b")))
        .hasMessageContaining("unknown backup setting 'targte'");
  }

  @Test
  void retention_keepsTheNewestFullBackups_withTheirIncrementals() throws Exception {
    FolderTarget target = new FolderTarget(tmp);
    String[][] backups = {{"20260101T000000000Z-full", null}, {"20260101T010000000Z-incr", "20260101T000000000Z-full"},
        {"20260102T000000000Z-full", null}, {"20260102T010000000Z-incr", "20260102T000000000Z-full"},
        {"20260103T000000000Z-full", null}};
    for (String[] b : backups) {
      Manifest m = new Manifest(Manifest.FORMAT, b[0], b[1] == null ? Manifest.Kind.FULL : Manifest.Kind.INCREMENTAL,
          b[1], "2026-01-01T00:00:00Z", List.of(), List.of(), List.of());
      Path staged = target.stagingDir(b[0]);
      Files.writeString(staged.resolve("manifest.json"), m.toJson().encode());
      target.upload(b[0], staged);
    }
    assertThat(Chain.retain(target, 2)).containsExactly("20260101T000000000Z-full", "20260101T010000000Z-incr");
    assertThat(target.ids()).containsExactly("20260102T000000000Z-full", "20260102T010000000Z-incr", "20260103T000000000Z-full");
    assertThat(Chain.of(target, "20260102T010000000Z-incr")).extracting(Manifest::id)
        .containsExactly("20260102T000000000Z-full", "20260102T010000000Z-incr");
  }
}
