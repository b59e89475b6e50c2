package dev.hearth.kernel.api.rpc;

import com.google.protobuf.Message;
import dev.hearth.module.ModuleException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.Service;
import io.vertx.grpc.server.ServiceBuilder;
import java.util.Map;

/**
 * Serves the registry's methods as gRPC and gRPC-Web through Vert.x's {@link GrpcServer} (which
 * also answers reflection and health). Errors become a gRPC status with the message, and each
 * detail a trailer ({@code retry-after}, {@code hearth-field}).
 */
public final class GrpcTransport {

  private final GrpcServer server;
  private final Dispatcher dispatcher;

  public GrpcTransport(GrpcServer server, Dispatcher dispatcher) {
    this.server = server;
    this.dispatcher = dispatcher;
  }

  /** Whether a request is gRPC or gRPC-Web (by content type), i.e. belongs to {@link #handle}. */
  public static boolean accepts(HttpServerRequest request) {
    String type = request.getHeader("content-type");
    return type != null && type.startsWith("application/grpc");
  }

  public void handle(HttpServerRequest request) {
    server.handle(request);
  }

  /** Adds a service; its methods are callable at once. */
  public void add(ServiceBinding binding) {
    ServiceName name = ServiceName.create(binding.descriptor().getFullName());
    ServiceBuilder builder = Service.service(name, binding.descriptor());
    for (RpcMethod m : binding.methods()) {
      ServiceMethod<Message, Message> method = ServiceMethod.server(name, m.descriptor().getName(),
          GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(m.requestPrototype()));
      builder.bind(method, call -> serve(m, call));
    }
    server.addService(builder.build());
  }

  private void serve(RpcMethod method, GrpcServerRequest<Message, Message> call) {
    String auth = call.headers().get("authorization");
    String client = call.connection().remoteAddress().hostAddress();
    call.last()
        // No message, or one that does not decode: the client's fault, not an INTERNAL with a stack trace.
        .recover(err -> Future.failedFuture(ModuleException.invalidArgument(
            "the request is not one " + method.descriptor().getInputType().getFullName() + " message")))
        .compose(request -> dispatcher.dispatch(method, request, auth, client))
        .onSuccess(response -> call.response().send(response))
        .onFailure(err -> fail(call.response(), method, err));
  }

  private static void fail(GrpcServerResponse<Message, Message> response, RpcMethod method, Throwable err) {
    ModuleException e = Dispatcher.normalize(method, err);
    for (Map.Entry<String, String> d : e.details().entrySet()) {
      response.trailers().set(Statuses.trailer(d.getKey()), d.getValue());
    }
    response.status(Statuses.grpc(e.code())).statusMessage(e.getMessage()).end();
  }
}
