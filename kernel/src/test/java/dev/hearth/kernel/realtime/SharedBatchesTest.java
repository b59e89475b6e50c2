package dev.hearth.kernel.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class SharedBatchesTest {

  private static byte[] frame(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(ByteBuf b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theSameFramesAreBuiltOnce_andEveryWriteGetsTheWholeBatch() {
    LongAdder built = new LongAdder();
    SharedBatches batches = new SharedBatches(built);
    byte[] a = frame("{\"seq\":1}");
    byte[] b = frame("{\"seq\":2}");
    ByteBuf first = batches.batch(List.of(a, b), a.length + b.length);
    ByteBuf second = batches.batch(new ArrayList<>(List.of(a, b)), a.length + b.length);
    assertThat(built.sum()).isEqualTo(1);
    assertThat(text(first)).isEqualTo("{\"type\":\"batch\",\"frames\":[{\"seq\":1},{\"seq\":2}]}");
    first.skipBytes(first.readableBytes()); // one write's reading leaves the other's alone
    assertThat(text(second)).isEqualTo("{\"type\":\"batch\",\"frames\":[{\"seq\":1},{\"seq\":2}]}");
    first.release();
    second.release();
  }

  @Test
  void framesThatDifferOnlyByIdentityOrOrderGetBatchesOfTheirOwn() {
    LongAdder built = new LongAdder();
    SharedBatches batches = new SharedBatches(built);
    byte[] a = frame("{\"seq\":1}");
    byte[] b = frame("{\"seq\":2}");
    byte[] reply = frame("{\"seq\":2}"); // equal bytes, but a connection's own frame
    batches.batch(List.of(a, b), 18).release();
    batches.batch(List.of(a, reply), 18).release();
    ByteBuf swapped = batches.batch(List.of(b, a), 18);
    assertThat(built.sum()).isEqualTo(3);
    assertThat(text(swapped)).isEqualTo("{\"type\":\"batch\",\"frames\":[{\"seq\":2},{\"seq\":1}]}");
    swapped.release();
  }

  @Test
  void aBatchOutlivesItsRoundUntilItsWriteReleasesIt() {
    SharedBatches batches = new SharedBatches(new LongAdder());
    List<ByteBuf> writes = new ArrayList<>();
    // More shapes than a round keeps: the oldest are dropped from matching, not from the writes.
    for (int i = 0; i < 10; i++) {
      byte[] x = frame("{\"seq\":" + i + "}");
      byte[] y = frame("{\"seq\":" + (i + 100) + "}");
      writes.add(batches.batch(List.of(x, y), x.length + y.length));
    }
    batches.release();
    for (int i = 0; i < 10; i++) {
      ByteBuf w = writes.get(i);
      assertThat(w.refCnt()).isEqualTo(1);
      assertThat(text(w)).contains("{\"seq\":" + i + "},{\"seq\":" + (i + 100) + "}");
      assertThat(w.release()).as("the last reference: the bytes go with it").isTrue();
    }
  }
}
