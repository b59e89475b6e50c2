package dev.hearth.kernel.store;

import static dev.hearth.kernel.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crash harness's phase hooks: refused unless allowed, and every point reached by a store that writes. */
class StorePhasesTest {

  @TempDir Path tmp;

  static final CollectionSpec<String> NOTES = CollectionSpec.of("notes", Codec.utf8());

  @AfterEach
  void off() {
    StorePhases.listen(null);
    System.clearProperty(StorePhases.PROPERTY);
  }

  @Test
  void listening_is_refused_without_the_harness_property() {
    System.clearProperty(StorePhases.PROPERTY);
    assertThatThrownBy(() -> StorePhases.listen(p -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(StorePhases.PROPERTY);
  }

  @Test
  void checkpoints_roll_overs_and_preallocation_pass_every_point() {
    System.setProperty(StorePhases.PROPERTY, "true");
    Set<StorePhases.Point> seen = ConcurrentHashMap.newKeySet();
    StorePhases.listen(seen::add);
    StoreOptions options = StoreOptions.defaults().withCheckpointIntervalMs(10).withSegmentBytes(256 << 10);
    try (StoreFixture f = new StoreFixture(tmp, options)) {
      Collection<String> c = f.store().collection(NOTES);
      String value = "x".repeat(4096);
      for (int i = 0; i < 300; i++) {
        int n = i;
        await(f.store().write("a", tx -> {
          tx.put(c, "k" + n, value);
          return null;
        }));
      }
    }
    // Closing takes a last checkpoint, so its points are in even if no timed one ran.
    assertThat(seen).isEqualTo(EnumSet.allOf(StorePhases.Point.class));
  }
}
