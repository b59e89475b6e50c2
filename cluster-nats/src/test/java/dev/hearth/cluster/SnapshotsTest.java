package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.kernel.spi.InvalidOptionException;
import dev.hearth.module.ModuleException;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The snapshot chain's cover, the cutting of an object into frames, and {@code cluster.snapshots}. */
class SnapshotsTest {

  private static Snapshots.Chunk chunk(long after, long last, long streamSeq) {
    return new Snapshots.Chunk("chat/" + last, after, last, streamSeq, 0);
  }

  @Test
  void theChainCoversFromSequenceOneWithoutAHole_takingTheObjectThatReachesFurthest() {
    // Two owners around a take-over wrote overlapping objects (10..25 and 20..30); 40..50 follows a hole.
    List<Snapshots.Chunk> chain = Snapshots.cover(List.of(chunk(20, 30, 31), chunk(0, 10, 11), chunk(10, 25, 26),
        chunk(10, 20, 21), chunk(40, 50, 51)));
    assertThat(chain).extracting(Snapshots.Chunk::last).containsExactly(10L, 25L, 30L);
    assertThat(Snapshots.newest(chain).streamSeq()).isEqualTo(31);
    assertThat(Snapshots.cover(List.of(chunk(5, 10, 11)))).as("no object from sequence 1: no chain").isEmpty();
    assertThat(Snapshots.newest(List.of())).isSameAs(Snapshots.Chunk.NONE);
  }

  @Test
  void anObjectIsCutIntoItsFrames_andACutOffOneIsDataLoss() {
    byte[] a = frame(1, 2, 5);
    byte[] b = frame(3, 1, 3);
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    List<byte[]> out = new ArrayList<>();
    Snapshots.frames(both, out::add);
    assertThat(out).containsExactly(a, b);
    byte[] cut = new byte[both.length - 1];
    System.arraycopy(both, 0, cut, 0, cut.length);
    assertThatThrownBy(() -> Snapshots.frames(cut, f -> {})).isInstanceOf(ModuleException.class)
        .hasMessageContaining("cut off");
  }

  @Test
  void theSectionHasDefaults_andABadValueNamesItsKey() {
    assertThat(SnapshotOptions.from(new JsonObject())).isEqualTo(SnapshotOptions.DEFAULTS);
    SnapshotOptions o = SnapshotOptions.from(new JsonObject().put("snapshots", new JsonObject().put("everyMessages", 15)
        .put("everyBytes", 0).put("keepMessages", 3)));
    assertThat(o).isEqualTo(new SnapshotOptions(15, 0, 3));
    assertThat(new SnapshotOptions(0, 0, 3).enabled()).isFalse();
    assertThatThrownBy(() -> SnapshotOptions.from(new JsonObject().put("snapshots", new JsonObject().put("keepMessages", -1))))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("cluster.snapshots.keepMessages");
    assertThatThrownBy(() -> SnapshotOptions.from(new JsonObject().put("snapshots", new JsonObject().put("every", 1))))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("unknown setting 'every'");
    assertThat(ClusterOptions.from(new JsonObject().put("natsUrls", "nats://n:4222").put("snapshots", new JsonObject()))
        .enabled()).as("the cluster section accepts it").isTrue();
  }

  /** A frame as the log holds it: a 24-byte clear header (magic, payload length, first, count, CRC), then the payload. */
  private static byte[] frame(long first, int count, int payload) {
    ByteBuffer b = ByteBuffer.allocate(Snapshots.FRAME_HEADER + payload);
    b.putInt(0x48524c31).putInt(payload).putLong(first).putInt(count).putInt(42);
    return b.array();
  }
}
