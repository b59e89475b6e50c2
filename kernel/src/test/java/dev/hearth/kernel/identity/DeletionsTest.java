package dev.hearth.kernel.identity;

import static dev.hearth.testkit.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.identity.proto.UserRecord;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Tx;
import dev.hearth.testkit.Waits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What other parts keep of a user goes when the kernel store's log says the user was deleted. */
class DeletionsTest {

  private static final CollectionSpec<String> KEPT = CollectionSpec.of("kept_elsewhere", Codec.utf8());

  @TempDir Path tmp;
  MasterKey key;
  Stores stores;
  IdentityStore ids;
  Collection<String> kept;

  @BeforeEach
  void open() {
    key = MasterKey.loadOrCreate(tmp.resolve("master.key")).key();
    reopen();
  }

  private void reopen() {
    if (stores != null) stores.close();
    stores = Stores.open(tmp.resolve("data"), key, StoreOptions.defaults());
    ids = new IdentityStore(stores.store("kernel"));
    kept = stores.store("kernel").collection(KEPT);
  }

  @AfterEach
  void close() {
    stores.close();
  }

  /** A part that keeps a record per user ("user/<id>"). */
  private Deletions follow() {
    BiConsumer<Tx, String> remove = (tx, id) -> tx.delete(kept, "user/" + id);
    return new Deletions(stores.store("kernel"), List.of(new Deletions.Kept(id -> kept.get("user/" + id).isPresent(), remove)));
  }

  /** Accounts {@code ids}; the part keeps a record of those in {@code keptOf}. */
  private void users(List<String> ids, List<String> keptOf) throws Exception {
    await(this.ids.store.write("test", tx -> {
      for (String id : ids) tx.put(this.ids.users, id, UserRecord.newBuilder().setId(id).build());
      for (String id : keptOf) tx.put(kept, "user/" + id, "x");
      return null;
    }));
  }

  /** The writes of the reactions so far: each moves the stored position once. */
  private long reactionWrites() {
    return stores.store("kernel").readLog(0, 10_000).stream()
        .filter(e -> e.collection().equals(Deletions.POSITIONS.name()) && e.actor().equals("system")).count();
  }

  private void deleteUser(String id) throws Exception {
    await(ids.store.write("admin", tx -> {
      tx.delete(ids.users, id);
      return null;
    }));
  }

  @Test
  void aDeletedUser_takesWhatOtherPartsKeep_othersStay_andAUserWithNothingKeptCostsNoWrite() throws Exception {
    users(List.of("u1", "u2", "bot"), List.of("u1", "u2"));
    try (Deletions d = follow()) {
      deleteUser("bot"); // nothing kept of it
      deleteUser("u1");
      Waits.until("u1's record gone", Duration.ofSeconds(30), () -> kept.get("user/u1").isEmpty());
      assertThat(kept.get("user/u2")).isPresent();
      assertThat(reactionWrites()).as("the first position, then u1's reaction; none for the bot").isEqualTo(2);
    }
  }

  @Test
  void aDeletionMadeWhileNobodyFollowed_isReactedToAtTheNextStart() throws Exception {
    users(List.of("u1", "u2"), List.of("u1", "u2"));
    follow().close(); // a node that ran and stopped: its position is stored
    deleteUser("u1"); // ... then the deletion lands, and the node stops before reacting
    reopen();
    try (Deletions d = follow()) {
      Waits.until("u1's record gone after the restart", Duration.ofSeconds(30), () -> kept.get("user/u1").isEmpty());
      assertThat(kept.get("user/u2")).isPresent();
    }
  }
}
