package dev.hearth.kernel.spi;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * A part of the node that lives outside the kernel's jar and is found with {@link
 * java.util.ServiceLoader} on the class path (federation over NATS is one). The kernel cannot
 * depend on such a part, so the part depends on this package alone and the node calls it at these
 * moments: {@link #keyShare}, {@link #join}, {@link #start}, {@link #beforeReady}, {@link #stop}.
 *
 * <p>An extension decides from its {@link NodeContext#section config section} whether it has
 * anything to do; one that is not configured returns a completed future from {@link #start} and
 * stays idle.
 */
public interface NodeExtension {

  /** A short name for logs. */
  String name();

  /**
   * Called first, before the master key is read and the stores open: an extension that shares the
   * node's keyset files with other processes (a cluster) answers where ({@link KeyShare}); null, the
   * default, for none. The node uses the first answer that is not null and closes it when it closes.
   * May block (the node calls it on a worker); an exception fails the node's start.
   *
   * @param dataDir the node's data directory (its keysets are in {@code keys/} under it)
   * @param section the config file's sections by name (empty when absent)
   * @since 0.1
   */
  default KeyShare keyShare(Path dataDir, Function<String, JsonObject> section) {
    return null;
  }

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

  /**
   * Called after every extension started, once installed modules have started (so their stores are
   * open) and the run files are written, just before the node says ready on {@code /ready}: the
   * node says ready only once this future completes. The moment to hold readiness until what the
   * extension keeps is current, so that a load balancer sends clients only to a node that can answer
   * them (a cluster process waits until its copies of the stores other processes write have caught
   * up: docs/cluster.md "Readiness"). The node's API answers calls meanwhile, as it does from the
   * moment its port opens. Keep it bounded: a node that never says ready is never sent clients. A
   * failed future fails the node's start. The node may call it on an event loop: it must not block (do
   * blocking work with {@code node.vertx().executeBlocking}). By default nothing.
   *
   * @param node the same context {@link #start} was given
   * @since 0.1
   */
  default Future<Void> beforeReady(NodeContext node) {
    return Future.succeededFuture();
  }

  /**
   * Called when the node closes, on a worker thread once its connections have drained ({@link #drain}),
   * before modules stop and stores close; may block (bounded: the node goes on after 15 s). Must not throw.
   */
  Future<Void> stop();

  /**
   * How long the node's stop lets the calls in flight finish before it closes the connections that
   * carry them: the node takes the longest any extension asks for, stops accepting connections,
   * waits until each open one has answered its calls (or this long), and only then stops the
   * extensions. By default none: connections close at once, as before.
   *
   * @since 0.1
   */
  default Duration drain() {
    return Duration.ZERO;
  }
}
