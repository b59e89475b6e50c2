package dev.hearth.kernel.store;

import static dev.hearth.kernel.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.hearth.kernel.spi.ReplicaChange;
import dev.hearth.kernel.spi.ReplicaOutcome;
import dev.hearth.kernel.spi.ScopeContent;
import dev.hearth.module.ModuleException;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.change.View;
import dev.hearth.module.change.ViewTx;
import dev.hearth.module.store.BlindIndex;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replicated writes: exactly once and in order per chain, never over another scope's keys. */
class ReplicaApplyTest {

  @TempDir Path tmp;

  static final CollectionSpec<String> NOTES = CollectionSpec.of("notes", Codec.utf8());
  static final CollectionSpec<String> PEOPLE = CollectionSpec.of("people", Codec.utf8())
      .withIndex(BlindIndex.of("email", v -> v.split("\\|")[0]));
  static final String CHAIN = "owner/test/P";

  static ReplicaChange put(String coll, String key, String value) {
    return ReplicaChange.put(coll, key, value.getBytes(StandardCharsets.UTF_8));
  }

  static ReplicaOutcome apply(HearthStore s, long first, long prev, long last, ReplicaChange... changes) {
    return await(s.applyReplica("owner", "P", CHAIN, first, prev, last, List.of(changes)));
  }

  static ModuleException failure(Future<?> f) {
    try {
      await(f);
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(ModuleException.class);
      return (ModuleException) e.getCause();
    }
    throw new AssertionError("expected the future to fail");
  }

  @Test
  void aTransaction_isApplied_thenSkippedAsADuplicate() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> notes = s.collection(NOTES);
      assertThat(apply(s, 1, 0, 2, put("notes", "a", "one"), put("notes", "b", "two"))).isEqualTo(ReplicaOutcome.APPLIED);
      assertThat(notes.get("a")).contains("one");
      assertThat(s.replicaCursor(CHAIN)).isEqualTo(2);
      List<ChangeEvent> log = s.readLog(0, 10);
      assertThat(log).filteredOn(e -> e.collection().equals("notes"))
          .allSatisfy(e -> {
            assertThat(e.actor()).isEqualTo("fed:owner");
            assertThat(e.scope()).isEqualTo("P");
          }).hasSize(2);
      long seq = s.lastSequence();

      assertThat(apply(s, 1, 0, 2, put("notes", "a", "changed"))).isEqualTo(ReplicaOutcome.DUPLICATE);
      assertThat(notes.get("a")).contains("one");
      assertThat(s.lastSequence()).isEqualTo(seq);
      assertThat(s.replicaCursor(CHAIN)).isEqualTo(2);
      assertThat(s.replicaCursor("another/chain")).isZero();
    }
  }

  @Test
  void aGap_isHeldOutOfOrder_andAppliedOnceTheMissingOneArrives() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> notes = s.collection(NOTES);
      assertThat(apply(s, 1, 0, 1, put("notes", "a", "1"))).isEqualTo(ReplicaOutcome.APPLIED);
      long seq = s.lastSequence();

      assertThat(apply(s, 3, 2, 3, put("notes", "c", "3"))).isEqualTo(ReplicaOutcome.OUT_OF_ORDER);
      assertThat(notes.get("c")).isEmpty();
      assertThat(s.lastSequence()).isEqualTo(seq);
      assertThat(s.replicaCursor(CHAIN)).isEqualTo(1);

      assertThat(apply(s, 2, 1, 2, put("notes", "b", "2"))).isEqualTo(ReplicaOutcome.APPLIED);
      assertThat(apply(s, 3, 2, 3, put("notes", "c", "3"))).isEqualTo(ReplicaOutcome.APPLIED);
      assertThat(notes.get("b")).contains("2");
      assertThat(notes.get("c")).contains("3");
      assertThat(s.replicaCursor(CHAIN)).isEqualTo(3);
    }
  }

  @Test
  void theCursor_survivesReopening_withItsData() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      s.collection(NOTES);
      apply(s, 1, 0, 1, put("notes", "a", "1"));
      apply(s, 5, 1, 6, put("notes", "b", "2"), ReplicaChange.delete("notes", "a"));

      HearthStore reopened = f.reopen();
      Collection<String> notes = reopened.collection(NOTES);
      assertThat(reopened.replicaCursor(CHAIN)).isEqualTo(6);
      assertThat(notes.get("a")).isEmpty();
      assertThat(notes.get("b")).contains("2");
      assertThat(apply(reopened, 5, 1, 6, put("notes", "b", "again"))).isEqualTo(ReplicaOutcome.DUPLICATE);
      assertThat(apply(reopened, 7, 6, 7, put("notes", "c", "3"))).isEqualTo(ReplicaOutcome.APPLIED);
      assertThat(reopened.replicaCursor(CHAIN)).isEqualTo(7);

      await(reopened.setReplicaCursor(CHAIN, 40));
      HearthStore again = f.reopen();
      assertThat(again.replicaCursor(CHAIN)).isEqualTo(40);
      assertThat(again.collection(NOTES).get("c")).contains("3");
    }
  }

  @Test
  void changesOutsideTheReplicasReach_areRefused_andNothingIsWritten() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> notes = s.collection(NOTES);
      s.collection(CollectionSpec.of("view.counts.total", Codec.utf8()));
      await(s.write("alice", "Q", tx -> {
        tx.put(notes, "q", "of another project");
        return null;
      }));
      await(s.write("alice", tx -> {
        tx.put(notes, "local", "unscoped");
        return null;
      }));
      apply(s, 1, 0, 1, put("notes", "mine", "P's"));
      long seq = s.lastSequence();

      List<ReplicaChange> refused = List.of(
          put("unknown", "k", "v"),
          put("view.counts.total", "k", "1"),
          put("fed.applied", CHAIN, "xxxxxxxx"),
          put("notes", "q", "taken over"),
          ReplicaChange.delete("notes", "q"),
          put("notes", "local", "taken over"),
          ReplicaChange.delete("notes", "local"));
      for (ReplicaChange bad : refused) {
        ModuleException e = failure(s.applyReplica("owner", "P", CHAIN, 2, 1, 2,
            List.of(put("notes", "new", "must not stay"), bad)));
        assertThat(e.code()).as(bad.collection() + "/" + bad.key()).isEqualTo(ModuleException.Code.FAILED_PRECONDITION);
        assertThat(e.getMessage()).contains(bad.collection());
        ModuleException snap = failure(s.applySnapshot("owner", "P", List.of(put("notes", "new", "must not stay"), bad)));
        assertThat(snap.code()).isEqualTo(ModuleException.Code.FAILED_PRECONDITION);
      }
      assertThat(s.lastSequence()).isEqualTo(seq);
      assertThat(s.replicaCursor(CHAIN)).isEqualTo(1);
      assertThat(notes.get("new")).isEmpty();
      assertThat(notes.get("q")).contains("of another project");
      assertThat(notes.get("local")).contains("unscoped");

      // A key of its own scope may be changed and deleted.
      assertThat(apply(s, 2, 1, 3, put("notes", "mine", "P's, changed"), ReplicaChange.delete("notes", "mine")))
          .isEqualTo(ReplicaOutcome.APPLIED);
      assertThat(notes.get("mine")).isEmpty();
    }
  }

  @Test
  void aValueTheCollectionCannotDecode_isRefusedAsInvalid() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      s.collection(CollectionSpec.of("msgs", Codec.of(StringValue.parser())));
      ModuleException e = failure(s.applyReplica("owner", "P", CHAIN, 1, 0, 1,
          List.of(ReplicaChange.put("msgs", "k", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}))));
      assertThat(e.code()).isEqualTo(ModuleException.Code.INVALID_ARGUMENT);
      assertThat(s.replicaCursor(CHAIN)).isZero();
      assertThat(s.lastSequence()).isZero();
    }
  }

  @Test
  void fedCollections_areNeitherRegisteredNorWrittenByModules() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      assertThatThrownBy(() -> s.collection(CollectionSpec.of("fed.applied", Codec.utf8())))
          .isInstanceOf(ModuleException.class).hasMessageContaining("reserved");
      Collection<String> internal = new CollectionImpl<>(s.engine(), CollectionSpec.of("fed.applied", Codec.utf8()));
      ModuleException e = failure(s.write("alice", tx -> {
        tx.put(internal, CHAIN, "999");
        return null;
      }));
      assertThat(e.code()).isEqualTo(ModuleException.Code.FAILED_PRECONDITION);
      assertThat(s.replicaCursor(CHAIN)).isZero();
    }
  }

  @Test
  void views_foldReplicatedData_butNeverSeeTheCursors() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      s.collection(NOTES);
      List<String> seen = new CopyOnWriteArrayList<>();
      var handle = s.registerView(new View() {
        @Override
        public String name() {
          return "seen";
        }

        @Override
        public List<CollectionSpec<?>> collections() {
          return List.of();
        }

        @Override
        public void apply(ChangeEvent e, ViewTx tx) {
          seen.add(e.collection() + "/" + e.key());
        }
      });
      apply(s, 1, 0, 1, put("notes", "a", "1"));
      await(s.setReplicaCursor(CHAIN, 5));
      apply(s, 6, 5, 6, put("notes", "b", "2"));
      await(handle.awaitSequence(s.lastSequence()));
      assertThat(seen).containsExactly("notes/a", "notes/b");
    }
  }

  @Test
  void replicatedValues_areFoundByBlindIndex_withThisStoresTokens() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> people = s.collection(PEOPLE);
      apply(s, 1, 0, 2, put("people", "u1", "ann@example.org|Ann"), put("people", "u2", "bob@example.org|Bob"));
      assertThat(people.findKeys("email", "ann@example.org", 10)).containsExactly("u1");
      await(s.checkpoint());
      assertThat(people.findKeys("email", "bob@example.org", 10)).containsExactly("u2");
      apply(s, 3, 2, 3, put("people", "u2", "robert@example.org|Bob"));
      assertThat(people.findKeys("email", "bob@example.org", 10)).isEmpty();
      assertThat(f.reopen().collection(PEOPLE).findKeys("email", "robert@example.org", 10)).containsExactly("u2");
    }
  }

  @Test
  void localWrites_inAReplicaScope_areRefused_butReplicaWritesGoOn() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> notes = s.collection(NOTES);
      s.replicaScopes("P"::equals);
      ModuleException e = failure(s.write("alice", "P", tx -> {
        tx.put(notes, "k", "local");
        return null;
      }));
      assertThat(e.code()).isEqualTo(ModuleException.Code.FAILED_PRECONDITION);
      assertThat(e.getMessage()).isEqualTo("project P is replicated from another node; write through its owner");
      await(s.write("alice", "Q", tx -> {
        tx.put(notes, "q", "fine");
        return null;
      }));
      await(s.write("alice", tx -> {
        tx.put(notes, "u", "fine");
        return null;
      }));
      assertThat(apply(s, 1, 0, 1, put("notes", "k", "replicated"))).isEqualTo(ReplicaOutcome.APPLIED);
      await(s.applySnapshot("owner", "P", List.of(put("notes", "k2", "snap"))));
      assertThat(notes.get("k")).contains("replicated");
      assertThat(notes.get("k2")).contains("snap");
    }
  }

  @Test
  void aReplicaFedTheOwnersLog_hasTheSameScopeContentAndDigest() {
    try (StoreFixture of = new StoreFixture(tmp.resolve("owner"));
        StoreFixture rf = new StoreFixture(tmp.resolve("replica"))) {
      HearthStore owner = of.store();
      HearthStore replica = rf.store();
      Collection<String> notes = owner.collection(NOTES);
      Collection<String> people = owner.collection(PEOPLE);
      replica.collection(NOTES);
      replica.collection(PEOPLE);
      replica.replicaScopes("P"::equals);
      for (int i = 0; i < 30; i++) {
        int n = i;
        await(owner.write("alice", "P", tx -> {
          tx.put(notes, "n" + (n % 12), "note " + n);
          if (n % 5 == 0) {
            tx.put(people, "u" + n, "u" + n + "@example.org|User " + n);
          }
          if (n % 7 == 6) {
            tx.delete(notes, "n" + (n % 4));
          }
          return null;
        }));
        await(owner.write("bob", "Q", tx -> {
          tx.put(notes, "q" + n, "other project");
          return null;
        }));
      }
      await(owner.checkpoint()); // some entries from MapDB, later ones from the overlay
      await(owner.write("alice", "P", tx -> {
        tx.put(notes, "late", "after the checkpoint");
        return null;
      }));
      await(replica.write("carol", tx -> {
        tx.put(replica.collection(NOTES), "local", "the replica's own");
        return null;
      }));

      long[] prev = {0};
      feed(owner, replica, 0, prev);
      ScopeContent a = owner.scopeContent("P");
      ScopeContent b = replica.scopeContent("P");
      assertThat(a.entries()).isNotEmpty();
      assertThat(StoredScopeTest.keysOf(b)).isEqualTo(StoredScopeTest.keysOf(a));
      assertThat(a.afterSeq()).isEqualTo(owner.lastSequence());
      assertThat(replica.digest("P").sha256()).isEqualTo(owner.digest("P").sha256());
      assertThat(replica.digest("P").entries()).isEqualTo(a.entries().size());
      assertThat(owner.digest("Q").sha256()).isNotEqualTo(owner.digest("P").sha256());
      assertThat(replica.scopeContent("Q").entries()).isEmpty();

      long seen = owner.lastSequence();
      await(owner.write("alice", "P", tx -> {
        tx.put(notes, "n1", "one more change");
        return null;
      }));
      assertThat(replica.digest("P").sha256()).isNotEqualTo(owner.digest("P").sha256());
      feed(owner, replica, seen, prev);
      assertThat(replica.digest("P").sha256()).isEqualTo(owner.digest("P").sha256());
    }
  }

  /** Replicates the owner's events of scope P after {@code after}, one origin transaction per event. */
  private static void feed(HearthStore owner, HearthStore replica, long after, long[] prev) {
    List<ChangeEvent> events = new ArrayList<>(owner.readLog(after, 10_000));
    for (ChangeEvent e : events) {
      if (!e.scope().equals("P")) {
        continue;
      }
      ReplicaChange c = e.op() == ChangeEvent.Op.DELETE ? ReplicaChange.delete(e.collection(), e.key())
          : ReplicaChange.put(e.collection(), e.key(), e.value());
      assertThat(await(replica.applyReplica("owner", "P", CHAIN, e.sequence(), prev[0], e.sequence(), List.of(c))))
          .isEqualTo(ReplicaOutcome.APPLIED);
      prev[0] = e.sequence();
    }
  }
}
