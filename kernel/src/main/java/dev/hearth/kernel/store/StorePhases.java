package dev.hearth.kernel.store;

/**
 * Crash-test hooks: named points inside a checkpoint and inside the change log's file maintenance,
 * where the crash harness ({@code hearth crash}) parks the thread that reached one so that its
 * SIGKILL lands exactly there (docs/durability.md, "Kills aimed at a phase"). Off unless the JVM
 * runs with {@code -Dhearth.store.phaseHooks=true}, which only the harness's child JVM does: then
 * {@link #listen} refuses, the state file is not wrapped, and each point is one volatile read of a
 * null listener.
 */
public final class StorePhases {

  /** The system property that allows a listener; set only by the crash harness for its child. */
  public static final String PROPERTY = "hearth.store.phaseHooks";

  /** Where a listener is called, in the order a checkpoint or a roll-over passes them. */
  public enum Point {
    /** A checkpoint begins: MapDB's commit is about to copy the dirty records into the state file. */
    CHECKPOINT_BEGIN,
    /** Inside MapDB's commit, after each write into the state file: the copy is partly done. */
    CHECKPOINT_COPY,
    /**
     * MapDB's commit returned (its locks are released) and the marker says the copy finished; the
     * state file is not synced yet (and may not be until a later copy's checkpoint).
     */
    CHECKPOINT_SYNC,
    /** Log roll-over: the finished segment is synced, its zeroed tail not yet cut off. */
    ROLL_BEFORE_TRIM,
    /** Log roll-over: the finished segment's zeroed tail is cut off, the cut not yet synced. */
    ROLL_TRIMMED,
    /** Log roll-over: the next segment file exists, the directory not yet synced. */
    ROLL_NEW_SEGMENT,
    /** Preallocation: a chunk of zeros is written past the log's data, not yet synced. */
    PREALLOC_ZEROED
  }

  /** Called on the thread that reached the point; it may block (the harness parks it until the kill). */
  @FunctionalInterface
  public interface Listener {
    void at(Point point);
  }

  private static volatile Listener listener;

  private StorePhases() {}

  /** Whether this JVM allows phase hooks ({@link #PROPERTY} is true). */
  public static boolean enabled() {
    return Boolean.getBoolean(PROPERTY);
  }

  /**
   * Installs {@code l} for every store of this JVM (null removes it). Stores opened after this call
   * also report {@link Point#CHECKPOINT_COPY}; install it before opening them.
   *
   * @throws IllegalStateException when {@link #PROPERTY} is not true
   */
  public static void listen(Listener l) {
    if (l != null && !enabled()) {
      throw new IllegalStateException("store phase hooks are off: they need -D" + PROPERTY
          + "=true, which only the crash harness sets");
    }
    listener = l;
  }

  static void at(Point point) {
    Listener l = listener;
    if (l != null) {
      l.at(point);
    }
  }
}
