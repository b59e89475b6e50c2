package dev.hearth.kernel.store;

import static dev.hearth.kernel.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadCacheTest {

  @TempDir Path tmp;

  /** UTF-8 text that counts how often the store decoded a value: once per read that reached the store. */
  private static final class CountingText implements Codec<String> {
    final AtomicInteger decoded = new AtomicInteger();

    @Override
    public byte[] encode(String value) {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
      decoded.incrementAndGet();
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private static void put(HearthStore s, Collection<String> c, String key, String value) {
    await(s.write("a", tx -> {
      tx.put(c, key, value);
      return null;
    }));
  }

  @Test
  void repeatedReads_areServedFromMemory_whileTheStoreIsUnchanged() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      CountingText codec = new CountingText();
      Collection<String> users = s.collection(CollectionSpec.of("users", codec));
      put(s, users, "u1", "alice");
      ReadCache<String> reads = ReadCache.of(s, users);

      assertThat(reads.get("u1")).contains("alice");
      assertThat(reads.get("u1")).contains("alice");
      assertThat(reads.get("u1")).contains("alice");
      assertThat(codec.decoded).hasValue(1);
      assertThat(reads.get("nobody")).isEmpty();
      assertThat(reads.get("nobody")).isEmpty();
    }
  }

  @Test
  void anAcknowledgedWrite_isSeenByTheNextRead_evenInAnotherCollection() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      CountingText codec = new CountingText();
      Collection<String> users = s.collection(CollectionSpec.of("users", codec));
      Collection<String> other = s.collection(CollectionSpec.of("other", Codec.utf8()));
      put(s, users, "u1", "alice");
      ReadCache<String> reads = ReadCache.of(s, users);
      assertThat(reads.get("u1")).contains("alice");
      assertThat(reads.get("u2")).isEmpty();

      put(s, users, "u1", "alice (disabled)");
      assertThat(reads.get("u1")).contains("alice (disabled)");
      put(s, users, "u2", "bob");
      assertThat(reads.get("u2")).contains("bob");
      await(s.write("a", tx -> {
        tx.delete(users, "u2");
        return null;
      }));
      assertThat(reads.get("u2")).isEmpty();

      // A write anywhere in the store makes every entry read again: the cache cannot tell keys apart.
      int before = codec.decoded.get();
      put(s, other, "x", "y");
      assertThat(reads.get("u1")).contains("alice (disabled)");
      assertThat(codec.decoded.get()).isEqualTo(before + 1);
    }
  }
}
