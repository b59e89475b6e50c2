package dev.hearth.kernel.api.rpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.hearth.kernel.access.RequestLimits;
import dev.hearth.kernel.errors.GrpcMessages;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves the registry's methods as gRPC and gRPC-Web through Vert.x's {@link GrpcServer}. Methods
 * are looked up in the {@link RpcRegistry} on each call rather than bound into the server, because
 * Vert.x cannot unbind a service and modules' services must disappear when a module stops; the
 * server's own services (reflection, health) stay bound the usual way. Errors become a gRPC status
 * with the message, and each detail a trailer ({@code retry-after}, {@code hearth-field}).
 *
 * <p>A message larger than its method's {@link RequestLimits limit} is refused with
 * RESOURCE_EXHAUSTED as soon as its length prefix arrives, not after it was buffered: calls of a
 * method with a larger limit (an upload) go to a gRPC server made for that limit.
 */
public final class GrpcTransport {

  private final Vertx vertx;
  private final GrpcServer server;
  private final Dispatcher dispatcher;
  private final RpcRegistry registry;
  private final Map<String, Handler<GrpcServerRequest<Buffer, Buffer>>> streams =
      new ConcurrentHashMap<>();
  private final RequestLimits limits;
  private final Map<Long, GrpcServer> uploads = new ConcurrentHashMap<>();
  /** The guard of the request {@link #handle} is passing to vertx-grpc, for {@link #serve} to pick up. */
  private final ThreadLocal<FrameGuard> calling = new ThreadLocal<>();

  /** @param server the node's gRPC server, its maximum message size the standard limit */
  public GrpcTransport(Vertx vertx, GrpcServer server, Dispatcher dispatcher, RpcRegistry registry, RequestLimits limits) {
    this.vertx = vertx;
    this.server = server;
    this.dispatcher = dispatcher;
    this.registry = registry;
    this.limits = limits;
    server.callHandler(this::serve); // every call no bound service claims
  }

  /** Whether a request is gRPC or gRPC-Web (by content type), i.e. belongs to {@link #handle}. */
  public static boolean accepts(HttpServerRequest request) {
    String type = request.getHeader("content-type");
    return type != null && type.startsWith("application/grpc");
  }

  public void handle(HttpServerRequest request) {
    String name = request.path().length() > 1 ? request.path().substring(1) : "";
    Optional<RpcMethod> method = registry.method(name);
    if (method.isEmpty() && !streams.containsKey(name) && !name.startsWith("grpc.health.v1.Health/")
        && !name.startsWith(Reflection.descriptor().getFullName() + "/")) {
      // Answered before vertx-grpc: on a gRPC-Web text call it wrote again after this answer (ERROR
      // "The stream has been closed"), found by GrpcFramesFuzzIT.
      FrameGuard.trailersOnly(request, GrpcStatus.UNIMPLEMENTED, "this node serves no method " + name);
      return;
    }
    RequestLimits.Limit limit = method.map(limits::of).orElse(limits.standard());
    // vertx-grpc's deframer throws on framing it does not expect; the guard answers it first.
    // Health's methods (Check, Watch) take one message, as the registry's unary methods do.
    boolean oneMessage = method.isPresent() && !streams.containsKey(name) || name.startsWith("grpc.health.v1.Health/");
    HttpServerRequest guarded = FrameGuard.wrap(request, limit.bytes(), oneMessage,
        RequestLimits.tooLarge("the request message", limit),
        name.startsWith("grpc.health.v1.Health/") ? HealthCheckRequest.getDefaultInstance() : null);
    GrpcServer target = limit.bytes() == limits.standard().bytes() ? server
        : uploads.computeIfAbsent(limit.bytes(), max -> GrpcServer.server(vertx, new GrpcServerOptions()
            .setMaxMessageSize(max)).callHandler(this::serve));
    // serve() runs inside handle(), on this thread: it tells the guard how to answer through the call.
    calling.set(guarded instanceof FrameGuard g ? g : null);
    try {
      target.handle(guarded);
    } finally {
      calling.remove();
    }
  }

  /**
   * Serves a kernel streaming method with its own handler, which authenticates and authorizes the
   * call itself (the registry's {@link Dispatcher} is for unary calls).
   */
  public void stream(String fullMethodName, Handler<GrpcServerRequest<Buffer, Buffer>> handler) {
    streams.put(fullMethodName, handler);
  }

  private void serve(GrpcServerRequest<Buffer, Buffer> call) {
    String name = call.fullMethodName().startsWith("/") ? call.fullMethodName().substring(1) : call.fullMethodName();
    FrameGuard guard = calling.get();
    var streaming = streams.get(name);
    if (guard != null) {
      guard.answerWith((status, message) -> GrpcMessages.end(call.response(), status, message));
    }
    if (streaming != null) {
      streaming.handle(call);
      return;
    }
    Optional<RpcMethod> found = registry.method(name);
    if (found.isEmpty()) {
      GrpcMessages.end(call.response(), GrpcStatus.UNIMPLEMENTED, "this node serves no method " + name);
      return;
    }
    RpcMethod method = found.get();
    AtomicBoolean refused = new AtomicBoolean();
    if (guard != null) {
      guard.answerWith((status, message) -> {
        refused.set(true);
        GrpcMessages.end(call.response(), status, message);
      });
    }
    call.invalidMessageHandler(invalid -> {
      refused.set(true);
      if (invalid instanceof MessageSizeOverflowException) {
        fail(call.response(), method, RequestLimits.tooLarge("the request message", limits.of(method)));
      } else {
        call.response().cancel();
      }
    });
    String auth = call.headers().get("authorization");
    String language = call.headers().get("accept-language");
    String client = call.connection().remoteAddress().hostAddress();
    if (limits.of(method) != limits.standard()) {
      // An upload: a caller who will be refused is refused before its (large) message is read.
      try {
        dispatcher.guard().screen(method, method.requestPrototype(), auth);
      } catch (ModuleException e) {
        refused.set(true);
        fail(call.response(), method, e);
        return;
      }
    }
    call.last()
        .map(bytes -> parse(method, bytes))
        // No message, or one that does not decode: the client's fault, not an INTERNAL with a stack trace.
        .recover(err -> Future.failedFuture(ModuleException.invalidArgument(
            "the request is not one " + method.descriptor().getInputType().getFullName() + " message")))
        .compose(request -> dispatcher.dispatch(Transport.GRPC, method, request, auth, client, language))
        .onSuccess(response -> call.response().send(Buffer.buffer(response.toByteArray())))
        .onFailure(err -> {
          if (!refused.get()) fail(call.response(), method, err);
        });
  }

  private static Message parse(RpcMethod method, Buffer bytes) {
    try {
      return method.requestPrototype().getParserForType().parseFrom(bytes.getBytes());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static void fail(GrpcServerResponse<Buffer, Buffer> response, RpcMethod method, Throwable err) {
    GrpcMessages.fail(response, Dispatcher.normalize(method, err));
  }
}
