package dev.hearth.kernel.store;

import static dev.hearth.kernel.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.module.store.BlindIndex;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import java.nio.file.Path;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index lookup finds an acknowledged write while the applier moves it from the overlay to MapDB:
 * the lookup reads the overlay, the applier then applies and releases the change, and only then
 * does the lookup read MapDB's index (the interleaving is forced: the test holds the map lock the
 * applier needs until the lookup's hook lets it go).
 */
class FindKeysTest {

  private static final CollectionSpec<String> INVITES = CollectionSpec.of("invites", Codec.utf8())
      .withIndex(BlindIndex.of("code", v -> v));

  @TempDir Path tmp;

  @AfterEach
  void noHook() {
    CollectionImpl.betweenReadsHook = null;
  }

  @Test
  void aWriteMovingFromTheOverlayToMapDbDuringALookup_isFound() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> invites = s.collection(INVITES);
      Engine engine = s.engine();
      Lock held = engine.mapLock.readLock();
      held.lock(); // the applier cannot put the write into MapDB until this is released
      boolean[] released = {false};
      try {
        await(s.write("a", tx -> {
          tx.put(invites, "i1", "secret-code");
          return null;
        }));
        assertThat(engine.overlay.get("invites", "i1")).as("acknowledged, not yet applied").isNotNull();
        CollectionImpl.betweenReadsHook = () -> {
          held.unlock();
          released[0] = true;
          long deadline = System.nanoTime() + 10_000_000_000L;
          while (engine.overlay.get("invites", "i1") != null) {
            assertThat(System.nanoTime()).as("the applier applies the write within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
          }
        };
        assertThat(invites.findKeys("code", "secret-code", 1)).containsExactly("i1");
      } finally {
        if (!released[0]) held.unlock();
      }
    }
  }
}
