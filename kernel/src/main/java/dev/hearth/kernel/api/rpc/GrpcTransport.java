package dev.hearth.kernel.api.rpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.Map;
import java.util.Optional;

/**
 * Serves the registry's methods as gRPC and gRPC-Web through Vert.x's {@link GrpcServer}. Methods
 * are looked up in the {@link RpcRegistry} on each call rather than bound into the server, because
 * Vert.x cannot unbind a service and modules' services must disappear when a module stops; the
 * server's own services (reflection, health) stay bound the usual way. Errors become a gRPC status
 * with the message, and each detail a trailer ({@code retry-after}, {@code hearth-field}).
 */
public final class GrpcTransport {

  private final GrpcServer server;
  private final Dispatcher dispatcher;
  private final RpcRegistry registry;
  private final Map<String, io.vertx.core.Handler<GrpcServerRequest<Buffer, Buffer>>> streams =
      new java.util.concurrent.ConcurrentHashMap<>();

  public GrpcTransport(GrpcServer server, Dispatcher dispatcher, RpcRegistry registry) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.registry = registry;
    server.callHandler(this::serve); // every call no bound service claims
  }

  /** Whether a request is gRPC or gRPC-Web (by content type), i.e. belongs to {@link #handle}. */
  public static boolean accepts(HttpServerRequest request) {
    String type = request.getHeader("content-type");
    return type != null && type.startsWith("application/grpc");
  }

  public void handle(HttpServerRequest request) {
    server.handle(request);
  }

  /**
   * Serves a kernel streaming method with its own handler, which authenticates and authorizes the
   * call itself (the registry's {@link Dispatcher} is for unary calls).
   */
  public void stream(String fullMethodName, io.vertx.core.Handler<GrpcServerRequest<Buffer, Buffer>> handler) {
    streams.put(fullMethodName, handler);
  }

  private void serve(GrpcServerRequest<Buffer, Buffer> call) {
    String name = call.fullMethodName().startsWith("/") ? call.fullMethodName().substring(1) : call.fullMethodName();
    var streaming = streams.get(name);
    if (streaming != null) {
      streaming.handle(call);
      return;
    }
    Optional<RpcMethod> found = registry.method(name);
    if (found.isEmpty()) {
      call.response().status(GrpcStatus.UNIMPLEMENTED).statusMessage("this node serves no method " + name).end();
      return;
    }
    RpcMethod method = found.get();
    String auth = call.headers().get("authorization");
    String client = call.connection().remoteAddress().hostAddress();
    call.last()
        .map(bytes -> parse(method, bytes))
        // No message, or one that does not decode: the client's fault, not an INTERNAL with a stack trace.
        .recover(err -> Future.failedFuture(ModuleException.invalidArgument(
            "the request is not one " + method.descriptor().getInputType().getFullName() + " message")))
        .compose(request -> dispatcher.dispatch(method, request, auth, client))
        .onSuccess(response -> call.response().send(Buffer.buffer(response.toByteArray())))
        .onFailure(err -> fail(call.response(), method, err));
  }

  private static Message parse(RpcMethod method, Buffer bytes) {
    try {
      return method.requestPrototype().getParserForType().parseFrom(bytes.getBytes());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static void fail(GrpcServerResponse<Buffer, Buffer> response, RpcMethod method, Throwable err) {
    ModuleException e = Dispatcher.normalize(method, err);
    for (Map.Entry<String, String> d : e.details().entrySet()) {
      response.trailers().set(Statuses.trailer(d.getKey()), d.getValue());
    }
    response.status(Statuses.grpc(e.code())).statusMessage(e.getMessage()).end();
  }
}
