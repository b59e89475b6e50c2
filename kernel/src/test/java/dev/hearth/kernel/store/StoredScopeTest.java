package dev.hearth.kernel.store;

import static dev.hearth.kernel.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.crypto.StoreKeys;
import dev.hearth.kernel.spi.ScopeContent;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scope of a write is stored with each entry and survives checkpoints, reopening and replay. */
class StoredScopeTest {

  @TempDir Path tmp;

  static final CollectionSpec<String> NOTES = CollectionSpec.of("notes", Codec.utf8());

  @Test
  void anEntryWithoutTheTrailer_decodesAsUnscoped_andUnscopedEntriesKeepTheOldLayout() {
    byte[] ct = {1, 2, 3};
    byte[] legacy = ByteBuffer.allocate(4 + 3 + 2).putInt(3).put(ct).putShort((short) 0).array();
    StoredEntry old = StoredEntry.decode(legacy);
    assertThat(old.scope()).isEmpty();
    assertThat(StoredEntry.scopeOf(legacy)).isEmpty();
    assertThat(new StoredEntry(ct, List.of(), "").encode()).isEqualTo(legacy);

    byte[] tok = new byte[StoreKeys.TOKEN_BYTES];
    tok[0] = 7;
    byte[] scoped = new StoredEntry(ct, List.of(new StoredEntry.Token("email", tok)), "project-1").encode();
    StoredEntry back = StoredEntry.decode(scoped);
    assertThat(back.scope()).isEqualTo("project-1");
    assertThat(back.ciphertext()).isEqualTo(ct);
    assertThat(back.hasToken("email", tok)).isTrue();
    assertThat(StoredEntry.scopeOf(scoped)).isEqualTo("project-1");
    assertThat(Applying.hasTokens(scoped)).isTrue();
  }

  @Test
  void aScopedPut_keepsItsScope_afterACheckpointedReopen_andAReplayFromTheLog() throws Exception {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> c = s.collection(NOTES);
      await(s.write("a", "project-1", tx -> {
        tx.put(c, "k1", "one");
        return null;
      }));
      await(s.write("a", tx -> {
        tx.put(c, "k2", "two");
        return null;
      }));
      // Live: from the overlay or MapDB, whichever holds it now.
      assertThat(keysOf(s.scopeContent("project-1"))).containsExactly("notes/k1=one");

      HearthStore reopened = f.reopen(); // a clean close: checkpointed in MapDB
      reopened.collection(NOTES);
      assertThat(keysOf(reopened.scopeContent("project-1"))).containsExactly("notes/k1=one");
      assertThat(keysOf(reopened.scopeContent(""))).containsExactly("notes/k2=two");

      // Without MapDB's file the store is rebuilt from the change log.
      f.stores.close();
      try (Stream<Path> files = Files.list(f.dir.resolve("data/stores/test"))) {
        for (Path p : (Iterable<Path>) files::iterator) {
          if (p.getFileName().toString().startsWith("state.db")) {
            Files.delete(p);
          }
        }
      }
      f.stores = Stores.open(f.dir.resolve("data"), f.key, f.options);
      HearthStore replayed = f.store();
      assertThat(replayed.recoveryReport().replayedEvents()).isEqualTo(2);
      assertThat(keysOf(replayed.scopeContent("project-1"))).containsExactly("notes/k1=one");
      assertThat(keysOf(replayed.scopeContent(""))).containsExactly("notes/k2=two");
    }
  }

  @Test
  void reencryption_keepsTheScope() throws Exception {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> c = s.collection(NOTES);
      await(s.write("a", "project-1", tx -> {
        tx.put(c, "k1", "one");
        return null;
      }));
      await(s.checkpoint());
      int primary = await(s.rotateKeys()).primaryKeyId();
      long deadline = System.currentTimeMillis() + 10_000;
      while (s.keyStatus().reencrypting() && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(s.keyStatus().reencrypting()).isFalse();
      assertThat(s.keyStatus().recordsByKeyId().get(primary)).isEqualTo(1L); // rewritten under the new key
      assertThat(keysOf(s.scopeContent("project-1"))).containsExactly("notes/k1=one");
    }
  }

  static List<String> keysOf(ScopeContent content) {
    return content.entries().stream()
        .map(e -> e.collection() + "/" + e.key() + "=" + new String(e.value(), StandardCharsets.UTF_8)).toList();
  }
}
