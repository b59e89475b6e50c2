package dev.hearth.kernel.store;

import static dev.hearth.kernel.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.module.ModuleException;
import dev.hearth.module.store.BlindIndex;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.BTreeMap;

class EncryptionTest {

  @TempDir Path tmp;

  static final CollectionSpec<String> PEOPLE = CollectionSpec.of("people", Codec.utf8())
      .withIndex(BlindIndex.of("email", v -> v.substring(0, v.indexOf(' '))));

  @Test
  void noMarkerWrittenThroughTheStore_appearsInClearUnderTheDataDirectory() throws Exception {
    String marker = "MARKER-7f3a9c-";
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> c = s.collection(PEOPLE);
      for (int i = 0; i < 300; i++) {
        int n = i;
        await(s.write("actor-" + marker, tx -> {
          tx.put(c, "k" + n, marker + n + "@example.org " + marker + "name" + n);
          return null;
        }));
      }
      assertThat(c.findKeys("email", marker + "7@example.org", 5)).containsExactly("k7");
      await(s.checkpoint());
      assertThat(filesContaining(tmp.resolve("data"), marker)).isEmpty();
    }
    // And after a clean close (final checkpoint, files flushed).
    assertThat(filesContaining(tmp.resolve("data"), marker)).isEmpty();
    // The check itself works: a file with the marker is found.
    Files.writeString(tmp.resolve("data/probe.txt"), marker);
    assertThat(filesContaining(tmp.resolve("data"), marker)).hasSize(1);
  }

  static List<Path> filesContaining(Path root, String marker) throws Exception {
    byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
    List<Path> hits = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        if (indexOf(Files.readAllBytes(p), needle) >= 0) {
          hits.add(p);
        }
      }
    }
    return hits;
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Writes a value at {@code key}, checkpoints, and returns MapDB's raw map of the collection. */
  private static BTreeMap<String, byte[]> storeSecretAt(HearthStore s, Collection<String> c, String key) {
    await(s.write("a", tx -> {
      tx.put(c, key, "secret");
      return null;
    }));
    await(s.checkpoint());
    return s.engine().state.data(c.name(), false);
  }

  @Test
  void valueCopiedToAnotherKey_failsToDecryptWithAClearError() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> c = s.collection(CollectionSpec.of("notes", Codec.utf8()));
      BTreeMap<String, byte[]> raw = storeSecretAt(s, c, "a");
      raw.put("b", raw.get("a"));
      assertThatThrownBy(() -> c.get("b"))
          .isInstanceOfSatisfying(ModuleException.class, e -> assertThat(e.code()).isEqualTo(ModuleException.Code.DATA_LOSS))
          .hasMessageContaining("value of notes/b").hasMessageContaining("failed to decrypt");
      assertThat(c.get("a")).contains("secret");
    }
  }

  @Test
  void tamperedCiphertext_failsToDecrypt() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> c = s.collection(CollectionSpec.of("notes", Codec.utf8()));
      BTreeMap<String, byte[]> raw = storeSecretAt(s, c, "a");
      byte[] stored = raw.get("a").clone();
      stored[stored.length - 5] ^= 0x01; // inside the ciphertext (before the token count)
      raw.put("a", stored);
      assertThatThrownBy(() -> c.get("a")).isInstanceOf(ModuleException.class)
          .hasMessageContaining("failed to decrypt");
    }
  }

  @Test
  void storeOpenedWithAnotherMasterKey_isRefused() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      f.store();
    }
    var other = MasterKey.loadOrCreate(tmp.resolve("other.key")).key();
    try (Stores stores = Stores.open(tmp.resolve("data"), other, StoreOptions.defaults())) {
      assertThatThrownBy(() -> stores.store("test")).isInstanceOf(ModuleException.class)
          .hasMessageContaining("cannot be opened with this master key");
    }
  }
}
