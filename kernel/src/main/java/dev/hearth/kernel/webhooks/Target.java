package dev.hearth.kernel.webhooks;

import io.vertx.core.Future;

/** Where a webhook's deliveries go: an HTTP endpoint, or a shell hook on the node's machine. */
interface Target {

  /**
   * One attempt; the future always succeeds, with how it went.
   *
   * @param signature the {@code Hearth-Signature} value for this attempt
   */
  Future<Attempt> send(String deliveryId, String topic, byte[] body, String signature);
}
