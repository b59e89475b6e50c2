package dev.hearth.kernel.realtime;

import java.util.function.BooleanSupplier;

/**
 * Where one client's frames go (a WebSocket, a gRPC stream). Thread-safe: feeds deliver from the
 * store's thread, catch-ups from workers.
 */
interface ClientSink {

  /**
   * Queues a frame for the client. Returns false once the client is gone or was cut off for being
   * slow; the caller then stops sending.
   */
  boolean send(TopicStream stream, Frame frame);

  /**
   * Blocks until the client has taken enough of what was sent that more may be queued, so a replay
   * goes at the client's pace instead of cutting it off. Called on a worker, never with a stream's
   * monitor held (live events must not wait for it).
   *
   * @return false when the client is gone, or still had not read after a long wait (it was then cut off)
   */
  boolean awaitRoom(BooleanSupplier cancelled);

  /** The subscription {@code stream} ended on the node's side (its module stopped, its resume point is gone). */
  void ended(TopicStream stream, String code, String message);
}
