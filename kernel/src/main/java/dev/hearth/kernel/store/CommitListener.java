package dev.hearth.kernel.store;

/**
 * Told about each group commit of a store: the transactions the writer ran together, appended to
 * the change log and fsynced once. Called on the store's writer thread after the fsync, so it must
 * be quick and must not throw: it delays the next group commit.
 */
@FunctionalInterface
public interface CommitListener {

  /** Listens to nothing: the default. */
  CommitListener NONE = (store, transactions, events, nanos) -> {};

  /**
   * @param transactions the transactions made durable (those that wrote at least one change)
   * @param events the change events they appended
   * @param nanos from the writer taking the batch to the end of its fsync
   */
  void committed(String store, int transactions, int events, long nanos);
}
