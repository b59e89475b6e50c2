package dev.hearth.module.store;

import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.change.ChangeListener;
import dev.hearth.module.change.Subscription;
import dev.hearth.module.change.View;
import dev.hearth.module.change.ViewHandle;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;

/**
 * A module's encrypted store: named collections of values, a change log and views over it.
 *
 * <h2>Writes</h2>
 * All writes of a store go through one writer, in the order they were submitted. A write runs its
 * function against a {@link Tx}; the changes it made become change events with consecutive,
 * gapless sequence numbers, are encrypted, appended to the store's change log and made durable
 * (fsync) together with the other writes of the same group. Only then does the returned future
 * complete: a completed write survives a crash. A failed future means nothing of the write was
 * applied. Writes made while the node shuts down fail with {@code UNAVAILABLE}.
 *
 * <h2>Change events</h2>
 * Listeners and views see every durable event exactly once, in sequence order, and never an event
 * whose write was not durable. The log can be read from any sequence it still holds.
 *
 * <h2>Encryption</h2>
 * Values, change-log records and index terms are encrypted or blinded with the store's keys; a
 * value is bound to its store, collection and key, so a ciphertext moved elsewhere fails to
 * decrypt ({@code DATA_LOSS}). Collection names, keys and sequence numbers are stored in clear.
 *
 * <p>All methods are thread-safe.
 *
 * @since 0.1
 */
public interface Store {

  /** The store's name, usually the owning module's id. */
  String name();

  /**
   * The collection declared by {@code spec}. Declaring the same name again returns a collection
   * over the same data; the spec (codec and indexes) in force is the latest one declared.
   */
  <V> Collection<V> collection(CollectionSpec<V> spec);

  /**
   * Runs {@code fn} as one atomic, durable transaction on the store's writer thread.
   *
   * @param actor who writes: recorded on each change event
   * @param fn the transaction; must not block; throwing aborts it and fails the future with the
   *     thrown {@link dev.hearth.module.ModuleException} (others become {@code INTERNAL})
   * @return completes with {@code fn}'s result once the changes are durable, on the caller's
   *     Vert.x context when there is one
   */
  default <T> Future<T> write(String actor, Function<Tx, T> fn) {
    return write(actor, "", fn);
  }

  /**
   * Like {@link #write(String, Function)}, for a write that belongs to one tenant: {@code scope}
   * (a project id) is recorded on each of its change events ({@link ChangeEvent#scope()}), which is
   * what lets the node tell a project's changes apart in the log (federation shares a project's
   * changes with other organisations' nodes, backups and purges work per project). Use it whenever
   * a write concerns one project; {@code ""} means unscoped (node-local).
   *
   * @param scope a project id ({@code [A-Za-z0-9_:-]}, at most 128 characters: it becomes a NATS subject token) or {@code ""}
   * @throws dev.hearth.module.ModuleException INVALID_ARGUMENT (as a failed future) for a malformed scope
   * @since 0.4
   */
  <T> Future<T> write(String actor, String scope, Function<Tx, T> fn);

  /** The sequence of the newest durable change event, 0 when there is none. */
  long lastSequence();

  /** Up to {@code limit} durable change events after {@code afterSequence}, in order. Blocking: reads the log. */
  List<ChangeEvent> readLog(long afterSequence, int limit);

  /**
   * Calls {@code listener} with every durable event after {@code afterSequence}: first those in the
   * log, then live ones as they become durable. Calls are sequential and in order, on a thread of
   * the store's; a listener that throws is closed and its error logged.
   */
  Subscription subscribe(long afterSequence, ChangeListener listener);

  /**
   * Starts maintaining {@code view}: it catches up from the sequence it last applied (0 for a new
   * view, or when its {@link View#version()} changed, which rebuilds it), then folds every new event.
   */
  ViewHandle registerView(View view);
}
