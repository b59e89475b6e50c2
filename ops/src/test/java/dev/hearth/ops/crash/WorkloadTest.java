package dev.hearth.ops.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WorkloadTest {

  @Test
  void same_seed_gives_same_writes() {
    assertThat(writes(new Workload(9, 1, 2, 10))).isEqualTo(writes(new Workload(9, 1, 2, 10)));
    assertThat(writes(new Workload(9, 1, 2, 10))).isNotEqualTo(writes(new Workload(10, 1, 2, 10)));
  }

  private static List<String> writes(Workload w) {
    return IntStream.range(0, 50).mapToObj(i -> w.next().toString()).toList();
  }

  @Test
  void writer_touches_only_its_own_keys_and_each_key_once_per_write() {
    Workload w = new Workload(1, 4, 1, 10);
    boolean sawTx = false;
    boolean sawAbort = false;
    boolean sawDelete = false;
    for (int i = 0; i < 2000; i++) {
      WriteOp op = w.next();
      assertThat(op.op()).isEqualTo(i + 1);
      Set<String> paths = new HashSet<>();
      for (Change c : op.changes()) {
        assertThat(c.key()).startsWith("w4-");
        assertThat(paths.add(c.path())).isTrue();
        sawDelete |= c.isDelete();
        if (!c.isDelete()) {
          Payload p = Payload.parse(c.value());
          assertThat(p.key()).isEqualTo(c.key());
          assertThat(p.op()).isEqualTo(op.op());
        }
      }
      sawTx |= op.changes().size() > 1;
      sawAbort |= op.abort();
    }
    assertThat(sawTx && sawAbort && sawDelete).isTrue();
  }
}
