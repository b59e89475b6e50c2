package dev.hearth.module.change;

import dev.hearth.module.store.CollectionSpec;
import java.util.List;

/**
 * A materialized view: folds change events into collections of its own (unread counts, survey
 * results). The store applies each event to the view exactly once, in order, and records the last
 * applied sequence in the same checkpoint as the view's data, so a view survives restarts and crashes
 * without double counting, and can always be rebuilt from the change log.
 *
 * <p>{@link #apply} runs on the store's applier thread: it must be quick, deterministic (the same
 * events give the same result on a rebuild) and must not block.
 *
 * @since 0.1
 */
public interface View {

  /** Names the view; its collections are named {@code view.<name>.<something>}. */
  String name();

  /** Bump when {@link #apply} changes meaning: the view is then rebuilt from the log. */
  default int version() {
    return 1;
  }

  /** The collections this view writes; each name must start with {@code view.<name>.}. */
  List<CollectionSpec<?>> collections();

  /** Folds one event into the view's collections through {@code tx}. */
  void apply(ChangeEvent event, ViewTx tx);

  /**
   * Folds several events, in sequence order, through {@code tx}: those of one applied batch of the
   * store (the writes of one group commit), or a stretch of the log while the view catches up. The
   * default folds them one by one with {@link #apply}. A view that writes less when it sees events
   * together overrides it — a counter bumped by ten messages is one read and one write instead of
   * ten of each. Which events arrive together depends on timing, not on meaning, and a rebuild from
   * the log groups them otherwise: what the view answers must not depend on the grouping.
   *
   * @param events at least one, in sequence order
   * @since 0.9
   */
  default void applyAll(List<ChangeEvent> events, ViewTx tx) {
    for (ChangeEvent e : events) {
      apply(e, tx);
    }
  }
}
