package dev.hearth.federation.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxCursorTest {

  @TempDir Path dir;

  @Test
  void movesOnlyOverAnUnbrokenRunOfFinishedSequences_andSurvivesAReload() {
    Path file = dir.resolve("outbox/chat.cursor");
    OutboxCursor cursor = new OutboxCursor(file);
    assertThat(cursor.done()).isZero();
    cursor.finished(2, "P"); // acknowledged before 1: the cursor must not pass 1
    cursor.skipped(3);
    assertThat(cursor.done()).isZero();
    cursor.finished(1, "Q");
    assertThat(cursor.done()).isEqualTo(3);
    cursor.finished(5, "P");
    cursor.finished(2, "P"); // a late duplicate changes nothing
    assertThat(cursor.done()).isEqualTo(3);
    assertThat(cursor.chain()).containsEntry("P", 2L).containsEntry("Q", 1L).hasSize(2);
    cursor.save();
    OutboxCursor reloaded = new OutboxCursor(file);
    assertThat(reloaded.done()).isEqualTo(3);
    assertThat(reloaded.chain()).containsEntry("P", 2L).containsEntry("Q", 1L);
  }

  @Test
  void anUnreadableCursorFile_isAClearError() throws Exception {
    Path file = dir.resolve("bad.cursor");
    Files.writeString(file, "not a number");
    assertThatThrownBy(() -> new OutboxCursor(file)).hasMessageContaining("bad.cursor").hasMessageContaining("unreadable");
  }
}
