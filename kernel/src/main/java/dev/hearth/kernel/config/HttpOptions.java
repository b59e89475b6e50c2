package dev.hearth.kernel.config;

import io.vertx.core.json.JsonObject;

/**
 * Limits of the node's HTTP/1.1 connections, from the config file's {@code http} section; every
 * key is optional. They bound what a client can hold before it has said who it is: a connection
 * that sends nothing, a request head sent a byte at a time, a body that stops arriving.
 *
 * @param idleTimeoutSeconds how long a connection may go without a complete request head, counted
 *     from when it opened or from the end of its previous answer; then the node closes it (no
 *     answer: nothing was asked); an HTTP/2 connection, once none of its streams is open for as
 *     long. WebSocket connections leave this rule once upgraded.
 * @param requestReadTimeoutSeconds how long a request body may go without a byte arriving before
 *     the node answers 408 and closes the connection
 * @param eventLoops how many event loops serve HTTP and WebSocket connections (one server instance
 *     each, sharing the port; a connection stays on the loop that accepted it); default: 1, as the
 *     node has always run, until every handler is reviewed for more than one loop (issue 21)
 */
public record HttpOptions(int idleTimeoutSeconds, int requestReadTimeoutSeconds, int eventLoops) {

  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;
  public static final int DEFAULT_EVENT_LOOPS = 1;
  public static final int DEFAULT_REQUEST_READ_TIMEOUT_SECONDS = 30;

  public HttpOptions {
    if (eventLoops < 1 || eventLoops > 256) {
      throw new IllegalArgumentException("http: eventLoops must be between 1 and 256, not " + eventLoops);
    }
    if (idleTimeoutSeconds < 1 || idleTimeoutSeconds > 3600) {
      throw new IllegalArgumentException("http: idleTimeoutSeconds must be between 1 and 3600, not " + idleTimeoutSeconds);
    }
    if (requestReadTimeoutSeconds < 1 || requestReadTimeoutSeconds > 3600) {
      throw new IllegalArgumentException("http: requestReadTimeoutSeconds must be between 1 and 3600, not "
          + requestReadTimeoutSeconds);
    }
  }

  public static HttpOptions defaults() {
    return from(new JsonObject());
  }

  public static HttpOptions from(JsonObject json) {
    return new HttpOptions(json.getInteger("idleTimeoutSeconds", DEFAULT_IDLE_TIMEOUT_SECONDS),
        json.getInteger("requestReadTimeoutSeconds", DEFAULT_REQUEST_READ_TIMEOUT_SECONDS),
        json.getInteger("eventLoops", DEFAULT_EVENT_LOOPS));
  }

  public JsonObject toJson() {
    return new JsonObject().put("idleTimeoutSeconds", idleTimeoutSeconds)
        .put("requestReadTimeoutSeconds", requestReadTimeoutSeconds).put("eventLoops", eventLoops);
  }
}
