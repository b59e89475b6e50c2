package dev.hearth.kernel.store;

import static dev.hearth.kernel.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store asks its {@code WriteGate} (a cluster's lease) when a write is submitted and again just before the commit. */
class WriteGateTest {

  @TempDir Path tmp;

  static final CollectionSpec<String> NOTES = CollectionSpec.of("notes", Codec.utf8());

  @Test
  void closedGate_refusesAtSubmit_andNothingIsWritten() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      AtomicBoolean open = new AtomicBoolean(false);
      f.stores.writeGate(store -> open.get() ? null : refusal(store));
      HearthStore s = f.store(); // opened after the gate was set: it gets it too
      Collection<String> notes = s.collection(NOTES);
      assertThatThrownBy(() -> await(s.write("alice", tx -> {
        tx.put(notes, "a", "refused");
        return null;
      }))).isInstanceOf(CompletionException.class).cause().isInstanceOf(ModuleException.class)
          .hasMessageContaining("no lease of test")
          .satisfies(e -> assertThat(((ModuleException) e).code()).isEqualTo(ModuleException.Code.UNAVAILABLE));
      assertThat(s.lastSequence()).isZero();

      open.set(true);
      await(s.write("alice", tx -> {
        tx.put(notes, "a", "accepted");
        return null;
      }));
      assertThat(notes.get("a")).contains("accepted");
      assertThat(s.lastSequence()).isEqualTo(1);
    }
  }

  @Test
  void gateClosingWhileAWriteWaits_refusesItAtCommit_andTheLogHasNothingOfIt() {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      AtomicBoolean open = new AtomicBoolean(true);
      f.stores.writeGate(store -> open.get() ? null : refusal(store));
      Collection<String> notes = s.collection(NOTES);
      assertThatThrownBy(() -> await(s.write("alice", tx -> {
        tx.put(notes, "b", "in flight");
        open.set(false); // the lease is lost after the write was admitted, before its group commit
        return null;
      }))).isInstanceOf(CompletionException.class).hasMessageContaining("no lease of test");
      assertThat(notes.get("b")).isEmpty();
      assertThat(s.lastSequence()).isZero();
      assertThat(f.reopen().lastSequence()).as("nothing of it in the change log").isZero();
    }
  }

  private static ModuleException refusal(String store) {
    return new ModuleException(ModuleException.Code.UNAVAILABLE, "no lease of " + store).detail("retryAfterSeconds", "1");
  }
}
