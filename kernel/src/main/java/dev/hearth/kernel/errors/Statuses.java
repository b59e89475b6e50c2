package dev.hearth.kernel.errors;

import dev.hearth.module.ModuleException;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Locale;

/** ModuleException codes as gRPC statuses; HTTP statuses are in {@link ApiErrors}. */
public final class Statuses {

  private Statuses() {}

  public static GrpcStatus grpc(ModuleException.Code code) {
    return switch (code) {
      case INVALID_ARGUMENT -> GrpcStatus.INVALID_ARGUMENT;
      case NOT_FOUND -> GrpcStatus.NOT_FOUND;
      case ALREADY_EXISTS -> GrpcStatus.ALREADY_EXISTS;
      case PERMISSION_DENIED -> GrpcStatus.PERMISSION_DENIED;
      case UNAUTHENTICATED -> GrpcStatus.UNAUTHENTICATED;
      case FAILED_PRECONDITION -> GrpcStatus.FAILED_PRECONDITION;
      case RESOURCE_EXHAUSTED -> GrpcStatus.RESOURCE_EXHAUSTED;
      case UNAVAILABLE -> GrpcStatus.UNAVAILABLE;
      case UNIMPLEMENTED -> GrpcStatus.UNIMPLEMENTED;
      case DATA_LOSS -> GrpcStatus.DATA_LOSS;
      case INTERNAL -> GrpcStatus.INTERNAL;
    };
  }

  /** Trailer name for a detail key: {@code retryAfterSeconds} → {@code retry-after}, others {@code hearth-<key>}. */
  public static String trailer(String detailKey) {
    if (detailKey.equals("retryAfterSeconds")) return "retry-after";
    return "hearth-" + detailKey.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }
}
