package dev.hearth.kernel.spi;

import io.vertx.core.Future;

/**
 * A part of the node that lives outside the kernel's jar and is found with {@link
 * java.util.ServiceLoader} on the class path (federation over NATS is one). The kernel cannot
 * depend on such a part, so the part depends on this package alone and the node calls it at three
 * moments: {@link #join}, {@link #start}, {@link #stop}.
 *
 * <p>An extension decides from its {@link NodeContext#section config section} whether it has
 * anything to do; one that is not configured returns a completed future from {@link #start} and
 * stays idle.
 */
public interface NodeExtension {

  /** A short name for logs. */
  String name();

  /**
   * Called once the node's stores are open, before identity starts (identity writes the node's id
   * to the kernel store on first start) and before {@link #start}: the moment to set a write gate
   * and a log shipper and to bring the stores up to date with other processes, so that the
   * kernel's first writes go where they must. A failed future fails the node's start. By default
   * nothing.
   */
  default Future<Void> join(BootContext boot) {
    return Future.succeededFuture();
  }

  /**
   * Called once the node's stores, identity and API are set up, before installed modules start and
   * before the node says ready. A failed future fails the node's start.
   */
  Future<Void> start(NodeContext node);

  /** Called when the node closes, before modules stop and stores close. Must not throw. */
  Future<Void> stop();
}
