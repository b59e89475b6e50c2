package dev.hearth.module.realtime;

import dev.hearth.module.auth.Caller;
import dev.hearth.module.change.ChangeEvent;
import java.util.List;

/**
 * The topics a module publishes to realtime clients (WebSocket and the gRPC stream), derived from
 * its store's change log. Every topic of a module is named {@code <moduleId>/<rest>}; the node routes
 * subscriptions by that first segment.
 *
 * <p>Because topic events come from durable change events, each carries the store's sequence, and
 * a client that reconnects with the last sequence it saw receives every event it missed exactly
 * once, in order: the node replays the change log through {@link #route} and then switches to live
 * events. {@link #route} must therefore be deterministic: the same event gives the same topic events
 * whether it is live or replayed. Ephemeral events (typing, presence) do not come from the log; see
 * {@link Realtime#publish}.
 *
 * @since 0.3
 */
public interface Topics {

  /**
   * Decides whether {@code caller} may subscribe to {@code topic}; returns normally when it may.
   * Called on an event loop when a client subscribes; may read the module's store.
   *
   * @throws dev.hearth.module.ModuleException PERMISSION_DENIED when the caller may not read the
   *     topic, NOT_FOUND for a topic that does not exist, INVALID_ARGUMENT for a malformed name.
   *     Prefer NOT_FOUND to PERMISSION_DENIED where telling them apart would reveal that a private
   *     thing exists.
   */
  void authorize(Caller caller, String topic);

  /**
   * The topic events one durable change event publishes; empty for changes clients do not see.
   * Runs for every event of the store, live and replayed, on a node thread: it must be quick,
   * must not block and must not throw.
   */
  List<TopicEvent> route(ChangeEvent event);
}
