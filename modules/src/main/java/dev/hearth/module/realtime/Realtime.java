package dev.hearth.module.realtime;

import io.vertx.core.json.JsonObject;

/**
 * A module's part in the node's realtime fan-out: the WebSocket endpoint and the gRPC
 * {@code hearth.realtime.v1.RealtimeService/Subscribe} stream. Everything registered here is
 * removed when the module stops; subscribers of its topics then receive an {@code error} and the
 * subscription ends.
 *
 * @since 0.3
 */
public interface Realtime {

  /**
   * Publishes the module's topics: from now on clients may subscribe to {@code <moduleId>/...}
   * topics, authorized and routed by {@code topics}. One registration per module.
   *
   * @throws dev.hearth.module.ModuleException FAILED_PRECONDITION when the module already did
   */
  void topics(Topics topics);

  /**
   * Sends an ephemeral event (typing, presence) to the clients subscribed to {@code topic} right
   * now. It has no sequence, is not stored and is not replayed on resume: a client that is away
   * misses it, which is what such events want. Must not carry anything a subscriber of the topic
   * may not read.
   */
  void publish(String topic, String type, JsonObject data);

  /** Whether {@code userId} has at least one authenticated realtime connection to this node. */
  boolean connected(String userId);

  /** Calls {@code listener} as users connect and disconnect, until the module stops. */
  void onPresence(PresenceListener listener);
}
