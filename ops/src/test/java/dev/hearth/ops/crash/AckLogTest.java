package dev.hearth.ops.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AckLogTest {

  @TempDir Path dir;

  @Test
  void records_read_back_with_their_outcomes_and_the_last_write_in_flight() throws IOException {
    Path file = dir.resolve("w2.log");
    Workload w = new Workload(1, 2, 5, 10);
    WriteOp a = w.next();
    WriteOp b = w.next();
    WriteOp c = w.next();
    WriteOp d = w.next();
    try (AckLog log = AckLog.open(file)) {
      log.intent(a);
      log.acked(a);
      log.intent(b);
      log.failed(b, "boom\nsecond line");
      log.intent(c);
      log.aborted(c);
      log.intent(d);
    }
    RunHistory h = AckLog.read(file, 5, 2);
    assertThat(h.entries()).extracting(RunHistory.Entry::outcome).containsExactly(
        RunHistory.Outcome.ACKED, RunHistory.Outcome.FAILED, RunHistory.Outcome.ABORTED, RunHistory.Outcome.IN_FLIGHT);
    assertThat(h.acked()).isEqualTo(1);
    assertThat(h.inFlight().tag()).isEqualTo(d.tag());
    assertThat(h.entries().get(0).changes()).extracting(Change::path, Change::digest)
        .containsExactlyElementsOf(a.changes().stream().map(x -> Tuple.tuple(x.path(), x.digest())).toList());
  }

  @Test
  void a_line_cut_by_the_kill_is_ignored() throws IOException {
    Path file = dir.resolve("w0.log");
    Workload w = new Workload(1, 0, 1, 10);
    WriteOp a = w.next();
    WriteOp b = w.next();
    try (AckLog log = AckLog.open(file)) {
      log.intent(a);
      log.acked(a);
      log.intent(b);
    }
    Files.writeString(file, "A " + b.op(), StandardCharsets.UTF_8, StandardOpenOption.APPEND); // no newline
    RunHistory h = AckLog.read(file, 1, 0);
    assertThat(h.entries()).hasSize(2);
    assertThat(h.inFlight().tag()).isEqualTo(b.tag());
  }

  @Test
  void missing_file_means_no_writes() throws IOException {
    assertThat(AckLog.read(dir.resolve("none.log"), 1, 0).entries()).isEmpty();
  }

  @Test
  void outcome_without_intent_is_an_error() throws IOException {
    Path file = dir.resolve("w0.log");
    Files.writeString(file, "A 1\n");
    assertThatThrownBy(() -> AckLog.read(file, 1, 0)).isInstanceOf(IOException.class).hasMessageContaining("without its intent");
  }
}
