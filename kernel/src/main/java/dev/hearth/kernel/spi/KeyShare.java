package dev.hearth.kernel.spi;

/**
 * Where the processes of a cluster share the node's keyset files ({@code <data>/keys/}), so that a
 * process started with the cluster's master key and an empty data directory opens every store's
 * frames. What is shared is each file's bytes as the node keeps them: the keysets wrapped by the
 * master key (and, with a passphrase, the salt the master key is derived with), never a key in
 * clear. A single node shares nothing ({@link #NONE}).
 *
 * <p>Called on the node's workers, blocking. The node closes it when it closes.
 */
public interface KeyShare extends AutoCloseable {

  /** Shares nothing: each keyset is the process's own, as on a single node. */
  KeyShare NONE = new KeyShare() {
    @Override
    public byte[] agree(String file, byte[] local) {
      return local;
    }

    @Override
    public void replace(String file, byte[] wrapped) {}

    @Override
    public String describe() {
      return "none";
    }
  };

  /**
   * The cluster's copy of keyset file {@code file} (a name in {@code <data>/keys/}): the one another
   * process published first, or {@code local}, published now, when there was none. The node keeps and
   * uses what this returns, so two processes that make the same keyset at once end up with one.
   *
   * @throws dev.hearth.module.ModuleException UNAVAILABLE when the cluster cannot be asked
   */
  byte[] agree(String file, byte[] local);

  /** Replaces the cluster's copy of {@code file} after this process changed it (a key rotation). */
  void replace(String file, byte[] wrapped);

  /** Where the copies are, for messages: e.g. "NATS key-value bucket hearth-cluster-keys". */
  String describe();

  @Override
  default void close() {}
}
