package dev.hearth.cli.base;

import io.vertx.grpc.common.GrpcStatus;

/**
 * The node answered a call with a non-OK gRPC status. The CLI prints it as
 * {@code hearth: <CODE>: <message>} and exits 1; on RESOURCE_EXHAUSTED the node's {@code retry-after}
 * (seconds) is kept so the line can say when to try again.
 */
public final class RpcException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final GrpcStatus status;
  private final String statusMessage;
  private final Long retryAfterSeconds;

  public RpcException(GrpcStatus status, String statusMessage, Long retryAfterSeconds) {
    super(status.name() + ": " + (statusMessage == null || statusMessage.isEmpty() ? "(no message)" : statusMessage)
        + (retryAfterSeconds == null ? "" : " (retry after " + retryAfterSeconds + " s)"));
    this.status = status;
    this.statusMessage = statusMessage == null ? "" : statusMessage;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public GrpcStatus status() {
    return status;
  }

  /** The node's message, without the code. */
  public String statusMessage() {
    return statusMessage;
  }

  /** Seconds the node asked to wait before trying again, or null. */
  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
