package dev.hearth.kernel.identity;

import dev.hearth.kernel.store.HearthStore;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.change.Subscription;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Store;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What other parts of the kernel keep about an account (a user's settings, their push devices) goes
 * when the account is deleted: a subscription to the kernel store's change log that answers each
 * deletion of a {@code users} record (a person or a bot) with a write of its own, so identity need
 * not know who keeps what. A user of whom no part keeps anything costs no write.
 *
 * <p>The position after the last event handled is written with each of those writes (and every
 * {@link #SAVE_EVERY} events, and at close), so a node that stops right after a deletion reacts to it
 * when it starts again; the reactions only delete, so reading an event twice does no harm. After a
 * reaction failed, no position is written until the next start, which reads from before it again.
 */
public final class Deletions implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Deletions.class);
  /** How many events go by without a reaction before the position is written anyway. */
  static final int SAVE_EVERY = 10_000;
  static final CollectionSpec<String> POSITIONS = CollectionSpec.of("reactions", Codec.utf8());
  private static final String KEY = "deletions";
  private static final String USERS = "users";

  /** What one part keeps of a user: whether it keeps anything, and how it goes (in the reaction's transaction). */
  public record Kept(Predicate<String> has, BiConsumer<Tx, String> remove) {}

  private final Store store;
  private final Collection<String> positions;
  private final List<Kept> kept;
  private final AtomicLong seen = new AtomicLong();
  private final AtomicLong saved = new AtomicLong();
  private final AtomicBoolean failed = new AtomicBoolean();
  private final Subscription subscription;

  /**
   * Starts reacting from the stored position; a store that has none (a new node, or one upgraded from
   * when these ran inside the deleting write) starts after its newest event.
   *
   * @param kept what other parts keep of a user
   */
  public Deletions(Store kernel, List<Kept> kept) {
    this.store = kernel;
    this.positions = kernel.collection(POSITIONS);
    this.kept = List.copyOf(kept);
    Optional<Long> stored = positions.get(KEY).map(Long::parseLong);
    long from = stored.orElseGet(kernel::lastSequence);
    seen.set(from);
    saved.set(from);
    // Written at once, so a node stopped before its first reaction starts from here again, not from its newest event.
    if (stored.isEmpty() && !(kernel instanceof HearthStore h && h.writeRefusal() != null)) save(from);
    this.subscription = kernel.subscribe(from, this::onEvent);
  }

  /** The sequence of the last event read, for tests. */
  long position() {
    return seen.get();
  }

  private void onEvent(ChangeEvent e) {
    seen.set(e.sequence());
    // In a cluster the kernel store's owner reacts; its writes reach this replica like any other.
    if (store instanceof HearthStore h && h.writeRefusal() != null) return;
    List<Kept> held = e.op() == ChangeEvent.Op.DELETE && USERS.equals(e.collection())
        ? kept.stream().filter(k -> k.has().test(e.key())).toList() : List.of();
    if (!held.isEmpty()) {
      react(e, held);
    } else if (e.sequence() - saved.get() >= SAVE_EVERY) {
      save(e.sequence());
    }
  }

  private void react(ChangeEvent e, List<Kept> held) {
    long at = e.sequence();
    String id = e.key();
    store.write("system", tx -> {
      held.forEach(k -> k.remove().accept(tx, id));
      if (!failed.get()) keep(tx, at);
      return null;
    }).onSuccess(v -> saved.accumulateAndGet(at, Math::max)).onFailure(err -> {
      failed.set(true);
      log.warn("could not remove what goes with deleted {} {} (sequence {}); the next start tries again: {}",
          e.collection(), id, at, err.toString());
    });
  }

  private Future<Void> save(long at) {
    if (failed.get()) return Future.succeededFuture();
    return store.write("system", tx -> {
      keep(tx, at);
      return null;
    }).onSuccess(v -> saved.accumulateAndGet(at, Math::max)).mapEmpty();
  }

  /** Positions only move forward, whichever of two writes in flight lands last. */
  private void keep(Tx tx, long at) {
    long stored = tx.get(positions, KEY).map(Long::parseLong).orElse(0L);
    if (at > stored) tx.put(positions, KEY, Long.toString(at));
  }

  /** Stops reading and writes the position reached. Blocking: call before the store closes, off the event loop. */
  @Override
  public void close() {
    subscription.close();
    long at = seen.get();
    if (at <= saved.get()) return;
    try {
      save(at).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("could not save the deletions' position {}; the next start reads from {}: {}", at, saved.get(), e.toString());
    }
  }
}
