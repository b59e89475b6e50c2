package dev.hearth.kernel.store;

import static dev.hearth.kernel.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill -9 in the middle of MapDB's copy into the state file: the page cache survives, so what the
 * kill leaves is a copy of the files taken at that moment. The test takes such a copy after many of
 * the writes of one checkpoint's copy (through the phase hook) and opens each: every key must hold
 * what the log says, whatever was half-copied.
 */
class TornCheckpointTest {

  @TempDir Path tmp;

  static final CollectionSpec<String> NOTES = CollectionSpec.of("notes", Codec.utf8());
  static final int KEYS = 200;

  @AfterEach
  void off() {
    StorePhases.listen(null);
    System.clearProperty(StorePhases.PROPERTY);
  }

  @Test
  void a_stop_anywhere_in_a_checkpoints_copy_loses_nothing() throws Exception {
    System.setProperty(StorePhases.PROPERTY, "true");
    Path data = tmp.resolve("node");
    List<Path> snapshots = new ArrayList<>();
    // No timed checkpoints: one every KEYS changes, so the armed one copies a whole round of overwrites.
    StoreOptions options = StoreOptions.defaults().withCheckpointIntervalMs(3_600_000).withCheckpointMaxDirty(KEYS);
    try (StoreFixture f = new StoreFixture(data, options)) {
      writeAll(f, f.store().collection(NOTES), "a");
      // Closed cleanly, so every record exists: the next round overwrites them in place, where a
      // torn copy breaks no MapDB pointer and MapDB opens without complaint.
      f.reopen();
      Collection<String> c = f.store().collection(NOTES);
      boolean[] armed = {true};
      int[] writes = {0};
      StorePhases.listen(p -> {
        if (!armed[0]) {
          return;
        }
        if (p == StorePhases.Point.CHECKPOINT_COPY) {
          writes[0]++;
          if (snapshots.size() < 60) {
            snapshots.add(snapshot(data, tmp.resolve("kill-" + writes[0])));
          }
        } else if (p == StorePhases.Point.CHECKPOINT_SYNC) {
          armed[0] = false;
        }
      });
      writeAll(f, c, "b");
    }
    StorePhases.listen(null);
    assertThat(snapshots).hasSizeGreaterThan(5);
    // Each stop inside the copy left the checkpoint marker set: the store is rebuilt from the log.
    for (Path s : snapshots) {
      try (StoreFixture f = new StoreFixture(s, options)) {
        HearthStore store = f.store();
        long last = store.lastSequence();
        assertThat(store.recoveryReport().rebuilt()).as("%s: %s", s.getFileName(), store.recoveryReport()).isTrue();
        Collection<String> c = store.collection(NOTES);
        for (int i = 0; i < KEYS; i++) {
          // Writes are one at a time: sequence i+1 wrote "a" to k<i>, KEYS+i+1 wrote "b".
          String expected = (KEYS + i + 1 <= last ? "b" : "a") + i;
          assertThat(c.get("k" + i)).as("k%d after a stop at %s (log ends at %d; %s)", i, s.getFileName(), last,
              store.recoveryReport()).contains(expected);
        }
      }
    }
  }

  private static void writeAll(StoreFixture f, Collection<String> c, String value) {
    for (int i = 0; i < KEYS; i++) {
      int n = i;
      await(f.store().write("a", tx -> {
        tx.put(c, "k" + n, value + n);
        return null;
      }));
    }
  }

  /** The files as a kill would leave them: the state file first, the rest (the log only grows) after. */
  private static Path snapshot(Path from, Path to) {
    try {
      Path store = from.resolve("data").resolve("stores").resolve("test");
      List<Path> all;
      try (Stream<Path> files = Files.walk(from)) {
        all = files.filter(Files::isRegularFile).sorted(
            (a, b) -> Boolean.compare(!a.getParent().equals(store) || !a.getFileName().toString().startsWith("state.db"),
                !b.getParent().equals(store) || !b.getFileName().toString().startsWith("state.db"))).toList();
      }
      for (Path p : all) {
        Path target = to.resolve(from.relativize(p));
        Files.createDirectories(target.getParent());
        Files.copy(p, target);
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
