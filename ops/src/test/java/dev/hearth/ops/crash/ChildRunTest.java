package dev.hearth.ops.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a child JVM can fail is reported under its own kind; a sound child is killed quietly. */
class ChildRunTest {

  @TempDir Path dir;

  private Findings run(String behaviour, long readyTimeoutMs) throws Exception {
    Findings findings = new Findings();
    Path log = dir.resolve(behaviour + ".log");
    ChildProcess child = ChildProcess.start(MisbehavingChild.class.getName(), List.of(behaviour), List.of(), log);
    ChildRun run = new ChildRun(1, 0, dir, log, child, findings, new ArrayList<>());
    run.killAfterReady(100, readyTimeoutMs);
    return findings;
  }

  @Test
  void sound_child_killed_after_ready_has_no_findings() throws Exception {
    assertThat(run("behaves", 20_000).details()).isEmpty();
  }

  @Test
  void child_that_exits_on_its_own_is_a_child_failure() throws Exception {
    Findings f = run("exits", 20_000);
    assertThat(f.count(Kind.CHILD_FAILED)).isEqualTo(1);
    assertThat(f.details().get(0).detail()).contains("exited on its own with status 3");
  }

  @Test
  void child_that_never_gets_ready_is_a_child_failure() throws Exception {
    Findings f = run("never-ready", 1_500);
    assertThat(f.count(Kind.CHILD_FAILED)).isEqualTo(1);
    assertThat(f.details().get(0).detail()).contains("did not print READY");
  }

  @Test
  void child_that_cannot_open_the_store_is_reported_as_such() throws Exception {
    Findings f = run("open-fails", 1_500);
    assertThat(f.count(Kind.STORE_OPEN_FAILED)).isEqualTo(1);
    assertThat(f.count(Kind.CHILD_FAILED)).isZero();
    assertThat(f.details().get(0).detail()).contains("simulated: bad key");
  }

  @Test
  void problem_a_child_reports_while_running_is_a_child_error() throws Exception {
    Findings f = run("reports-error", 20_000);
    assertThat(f.count(Kind.CHILD_ERROR)).isEqualTo(1);
    assertThat(f.details().get(0).detail()).contains("read its own write back");
  }
}
