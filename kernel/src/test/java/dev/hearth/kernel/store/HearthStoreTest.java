package dev.hearth.kernel.store;

import static dev.hearth.kernel.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.hearth.module.ModuleException;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.store.BlindIndex;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Ids;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HearthStoreTest {

  @TempDir Path tmp;

  static final CollectionSpec<String> NOTES = CollectionSpec.of("notes", Codec.utf8());

  @Test
  void write_isReadableAtOnce_andAfterReopen() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> notes = s.collection(NOTES);
      await(s.write("alice", tx -> {
        tx.put(notes, "a", "first");
        return null;
      }));
      assertThat(notes.get("a")).contains("first");
      assertThat(s.lastSequence()).isEqualTo(1);

      Collection<String> again = f.reopen().collection(NOTES);
      assertThat(again.get("a")).contains("first");
      assertThat(f.store().lastSequence()).isEqualTo(1);
    }
  }

  @Test
  void protobufCodec_roundTripsMessages() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<StringValue> c = s.collection(CollectionSpec.of("msgs", Codec.of(StringValue.parser())));
      await(s.write("bob", tx -> {
        tx.put(c, "k", StringValue.of("hello"));
        return null;
      }));
      assertThat(c.get("k")).contains(StringValue.of("hello"));
    }
  }

  @Test
  void failingTransaction_writesNothing_andLaterWritesProceed() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> notes = s.collection(NOTES);
      assertThatThrownBy(() -> await(s.write("alice", tx -> {
        tx.put(notes, "x", "partial");
        throw ModuleException.invalidArgument("nope");
      }))).isInstanceOf(CompletionException.class).hasCauseInstanceOf(ModuleException.class);
      await(s.write("alice", tx -> {
        tx.put(notes, "y", "ok");
        return null;
      }));
      assertThat(notes.get("x")).isEmpty();
      assertThat(notes.get("y")).contains("ok");
      assertThat(s.readLog(0, 10)).extracting(ChangeEvent::key).containsExactly("y");
    }
  }

  @Test
  void badKey_isRejectedWithAClearMessage() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> notes = s.collection(NOTES);
      assertThatThrownBy(() -> await(s.write("a", tx -> {
        tx.put(notes, "", "v");
        return null;
      }))).hasRootCauseMessage("key in notes must not be empty");
    }
  }

  @Test
  void transaction_seesItsOwnAndEarlierWrites() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> notes = s.collection(NOTES);
      List<Future<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        futures.add(s.write("counter", tx -> {
          int n = tx.get(notes, "count").map(Integer::parseInt).orElse(0) + 1;
          tx.put(notes, "count", Integer.toString(n));
          return n;
        }));
      }
      for (var fu : futures) {
        await(fu);
      }
      assertThat(notes.get("count")).contains("200");
      assertThat(s.lastSequence()).isEqualTo(200);
    }
  }

  @Test
  void scan_returnsNewestFirst_includingUnappliedWrites() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> notes = s.collection(NOTES);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        String id = Ids.next();
        ids.add(id);
        int n = i;
        await(s.write("a", tx -> {
          tx.put(notes, id, "m" + n);
          return null;
        }));
      }
      List<Entry<String>> newest = notes.scan(null, null, 50, true);
      assertThat(newest).hasSize(50);
      assertThat(newest.get(0).key()).isEqualTo(ids.get(119));
      assertThat(newest.get(49).value()).isEqualTo("m70");
      assertThat(notes.scan(ids.get(10), ids.get(13), 10, false)).extracting(Entry::key)
          .containsExactly(ids.get(10), ids.get(11), ids.get(12));
      await(s.write("a", tx -> {
        tx.delete(notes, ids.get(119));
        return null;
      }));
      assertThat(notes.scan(null, null, 1, true).get(0).key()).isEqualTo(ids.get(118));
      assertThat(notes.size()).isEqualTo(119);
    }
  }

  @Test
  void blindIndex_findsKeysByTerm_andForgetsReplacedTerms() {
    CollectionSpec<String> users = CollectionSpec.of("users", Codec.utf8())
        .withIndex(BlindIndex.of("email", v -> v.split("\\|")[0]));
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> c = s.collection(users);
      await(s.write("a", tx -> {
        tx.put(c, "u1", "ann@example.org|Ann");
        tx.put(c, "u2", "bob@example.org|Bob");
        assertThat(tx.findKeys(c, "email", "ann@example.org", 10)).containsExactly("u1");
        return null;
      }));
      assertThat(c.findKeys("email", "bob@example.org", 10)).containsExactly("u2");
      await(s.write("a", tx -> {
        tx.put(c, "u2", "robert@example.org|Bob");
        return null;
      }));
      await(f.store().checkpoint());
      assertThat(c.findKeys("email", "bob@example.org", 10)).isEmpty();
      assertThat(c.findKeys("email", "robert@example.org", 10)).containsExactly("u2");
      Collection<String> reopened = f.reopen().collection(users);
      assertThat(reopened.findKeys("email", "robert@example.org", 10)).containsExactly("u2");
      assertThat(reopened.findKeys("email", "ann@example.org", 10)).containsExactly("u1");
    }
  }

  @Test
  void subscription_deliversEveryEventInOrder_fromAnySequence() throws Exception {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> notes = s.collection(NOTES);
      for (int i = 0; i < 20; i++) {
        int n = i;
        await(s.write("a", tx -> {
          tx.put(notes, "k" + n, "v" + n);
          return null;
        }));
      }
      List<Long> seen = new CopyOnWriteArrayList<>();
      var sub = s.subscribe(5, e -> seen.add(e.sequence()));
      for (int i = 20; i < 40; i++) {
        int n = i;
        await(s.write("a", tx -> {
          tx.put(notes, "k" + n, "v" + n);
          return null;
        }));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (seen.size() < 35 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      sub.close();
      List<Long> expected = new ArrayList<>();
      for (long q = 6; q <= 40; q++) {
        expected.add(q);
      }
      assertThat(seen).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void aScopedWrite_recordsItsScopeOnEveryEvent_liveInTheLogAndAfterReopen() throws Exception {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> c = s.collection(CollectionSpec.of("scoped", Codec.utf8()));
      List<ChangeEvent> live = new CopyOnWriteArrayList<>();
      var sub = s.subscribe(s.lastSequence(), live::add);
      await(s.write("a", "project-1", tx -> {
        assertThat(tx.scope()).isEqualTo("project-1");
        tx.put(c, "k1", "one");
        tx.put(c, "k2", "two");
        return null;
      }));
      await(s.write("a", tx -> {
        assertThat(tx.scope()).isEmpty();
        tx.put(c, "k3", "three");
        return null;
      }));
      long deadline = System.currentTimeMillis() + 5000;
      while (live.size() < 3 && System.currentTimeMillis() < deadline) Thread.sleep(10);
      sub.close();
      assertThat(live).extracting(ChangeEvent::scope).containsExactly("project-1", "project-1", "");
      assertThat(s.readLog(0, 10)).extracting(ChangeEvent::scope)
          .containsExactly("project-1", "project-1", "");
      HearthStore reopened = f.reopen();
      assertThat(reopened.readLog(0, 10)).extracting(ChangeEvent::scope)
          .containsExactly("project-1", "project-1", "");
      var bad = reopened.write("a", "no spaces allowed", tx -> null);
      assertThat(bad.failed()).isTrue();
      assertThat(bad.cause()).isInstanceOf(ModuleException.class).hasMessageContaining("scope");
    }
  }
}
