package dev.hearth.kernel.api;

import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.hearth.kernel.access.CallGuard;
import dev.hearth.kernel.access.RequestLimits;
import dev.hearth.kernel.access.StreamGuard;
import dev.hearth.kernel.api.rpc.Dispatcher;
import dev.hearth.kernel.api.rpc.GrpcTransport;
import dev.hearth.kernel.api.rpc.Reflection;
import dev.hearth.kernel.api.rpc.RestTransport;
import dev.hearth.kernel.api.rpc.RpcRegistry;
import dev.hearth.kernel.config.CorsOptions;
import dev.hearth.kernel.spi.Forwarder;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.auth.Caller;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one port: gRPC and gRPC-Web (by content type) go to Vert.x's gRPC server, with
 * reflection and health on; everything else to the router, where each RPC with an HTTP rule is
 * also served as REST/JSON under {@code /v1/}. Both transports call the same handler through the
 * same {@link Dispatcher}, so authorization and errors are identical.
 */
public final class ApiServer {

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  /** Where the node serves the descriptors of every service it serves now (docs/api.md). */
  public static final String DESCRIPTOR_SET_PATH = "/v1/descriptor-set";

  private final RpcRegistry registry;
  private final Dispatcher dispatcher;
  private final GrpcTransport grpc;
  private final RestTransport rest;
  private final Router router;
  private final StreamGuard streamGuard;
  private final Cors cors;
  /** Kernel services no transport serves, by method name: {@link #addInternal}. */
  private final Map<String, RpcMethod> internal = new ConcurrentHashMap<>();
  private final List<Descriptors.ServiceDescriptor> kernelStreams =
      new CopyOnWriteArrayList<>();

  /**
   * @param limits the standard request size limit and the larger ones of upload methods
   * @param cors the browser origins allowed to call the API from other sites (REST and gRPC-Web)
   * @param registry the services served, which the node's module switches also read
   */
  public ApiServer(Vertx vertx, Router router, RpcRegistry registry, Dispatcher dispatcher, RequestLimits limits,
      CorsOptions cors, BooleanSupplier ready) {
    this.registry = registry;
    this.router = router;
    this.cors = new Cors(cors);
    this.dispatcher = dispatcher;
    this.streamGuard = new StreamGuard(dispatcher.guard());
    GrpcServer server = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(limits.standard().bytes()));
    HealthService health = HealthService.create(vertx).register("", () -> Future.succeededFuture(ready.getAsBoolean()));
    server.addService(health);
    Reflection reflection = new Reflection(registry, () -> {
      var fixed = new ArrayList<>(List.of(health.descriptor(), Reflection.descriptor()));
      fixed.addAll(kernelStreams);
      return fixed;
    });
    server.addService(reflection.service());
    // What reflection tells, in one file for client generators (buf, protoc's --descriptor_set_in,
    // grpc-js's proto-loader): public, as reflection is.
    router.get(DESCRIPTOR_SET_PATH).handler(ctx -> ctx.response()
        .putHeader("content-type", "application/x-protobuf; messageType=\"google.protobuf.FileDescriptorSet\"")
        .putHeader("cache-control", "no-cache")
        .end(Buffer.buffer(reflection.descriptorSet().toByteArray())));
    this.grpc = new GrpcTransport(vertx, server, dispatcher, registry, limits);
    router.route("/v1/*").order(RestTransport.BODY_ORDER).handler(ApiServer::noFormDecoding);
    router.route("/v1/*").order(RestTransport.BODY_ORDER).handler(BodyHandler.create(false).setBodyLimit(limits.standard().bytes()))
        .failureHandler(ctx -> RestTransport.tooLarge(ctx, limits.standard()));
    this.rest = new RestTransport(router, dispatcher, limits);
    rest.mountByName(registry);
  }

  /**
   * What reaches the shared body handler has passed every route's header checks: a JSON method with a
   * form or multipart body was refused there (415), and file uploads read their multipart bodies in
   * their own routes, before this one. So a form or multipart type here belongs to a request no method
   * serves (a 404 or 405 follows), and decoding its body as a form could only fail (a field over the
   * form decoder's limit is an exception: an answer 500 and an ERROR line; found by FuzzRunIT with
   * {@code PUT /v1/projects/%00}; and a GET or HEAD naming such a type, which Vert.x refuses to decode
   * at all). Its content type is dropped, so the body is read as bytes.
   */
  private static void noFormDecoding(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    if (type != null) {
      String lower = type.toLowerCase(Locale.ROOT);
      if (lower.contains("multipart/") || lower.contains("application/x-www-form-urlencoded")) {
        ctx.request().headers().remove("content-type");
      }
    }
    ctx.next();
  }

  /** Serves a service on every transport, at once; reflection lists it from then on. */
  public void add(ServiceBinding binding) {
    add(binding, null);
  }

  /** As {@link #add(ServiceBinding)}, for a module: its calls can be switched off per org and project. */
  public void add(ServiceBinding binding, String moduleId) {
    registry.add(binding, moduleId);
    rest.add(binding);
  }

  /**
   * Stops serving a service on every transport, at once: gRPC answers UNIMPLEMENTED, its REST paths
   * 404, reflection no longer lists it. Calls already dispatched finish.
   *
   * @return false when no such service was served
   */
  public boolean remove(String serviceFullName) {
    rest.remove(serviceFullName);
    return registry.remove(serviceFullName);
  }

  /**
   * Serves a kernel service of streaming methods over gRPC (not REST) with a handler that
   * authenticates and authorizes each call itself; reflection lists the service.
   */
  public void addStream(Descriptors.ServiceDescriptor service, String fullMethodName,
      Handler<GrpcServerRequest<Buffer,
          Buffer>> handler) {
    grpc.stream(fullMethodName, handler);
    if (!kernelStreams.contains(service)) kernelStreams.add(service);
  }

  /**
   * Adds a kernel service no transport serves: its methods are reached only through {@link
   * #dispatchAs} (a cluster front's forwarded call) and {@link #forward}. The file owner's service
   * (docs/cluster.md#files) is one.
   */
  public void addInternal(ServiceBinding binding) {
    for (RpcMethod m : binding.methods()) internal.put(m.fullName(), m);
  }

  /** A method served on the transports, or an {@link #addInternal internal} one, by its full name. */
  public Optional<RpcMethod> method(String fullName) {
    Optional<RpcMethod> served = registry.method(fullName);
    return served.isPresent() ? served : Optional.ofNullable(internal.get(fullName));
  }

  /**
   * Sends a call whose caller was admitted here already to the process that owns what it touches,
   * when a forwarder claims it (a cluster front); never runs it here.
   *
   * @return the owner's answer, or null when it is to run here (this process owns it, or a single node)
   */
  public Future<Message> forward(String methodFullName, Message request, Caller caller) {
    RpcMethod m = method(methodFullName).orElseThrow(() -> new IllegalArgumentException("no method " + methodFullName));
    return dispatcher.forwardOnly(m, request, caller);
  }

  /**
   * Sets where writes to projects owned by another node go, after the guard admitted the caller here
   * ({@code null}, the default: every call runs here).
   */
  public void forwarder(Forwarder forwarder) {
    dispatcher.forwarder(forwarder);
  }

  /**
   * Runs one call for a caller authenticated elsewhere (a linked node's signed request), with the
   * request and response as protobuf bytes: {@link CallGuard#admitAs}, then the handler; never forwarded.
   *
   * @param methodFullName {@code package.Service/Method}
   * @return the response's bytes; failed with a {@link ModuleException}: UNIMPLEMENTED for a method
   *     not served, INVALID_ARGUMENT for bytes that are not its request, else as the call itself fails
   */
  public Future<byte[]> dispatchAs(String methodFullName, byte[] requestBytes, Caller caller, String clientAddress) {
    RpcMethod method = method(methodFullName).orElse(null);
    if (method == null) {
      return Future.failedFuture(new ModuleException(ModuleException.Code.UNIMPLEMENTED, "no such method: " + methodFullName));
    }
    Message request;
    try {
      request = method.requestPrototype().getParserForType().parseFrom(requestBytes);
    } catch (InvalidProtocolBufferException e) {
      return Future.failedFuture(ModuleException.invalidArgument("the request is not a " + method.requestPrototype()
          .getDescriptorForType().getFullName() + ": " + e.getMessage()));
    }
    return dispatcher.dispatchAs(method, request, caller, clientAddress).map(Message::toByteArray);
  }

  /** The guard of streams the node serves by hand (file transfers): the same checks as every RPC. */
  public StreamGuard streamGuard() {
    return streamGuard;
  }

  /** The router, for routes that stream their bodies (file uploads must not pass the body handler). */
  public Router router() {
    return router;
  }

  public RpcRegistry registry() {
    return registry;
  }

  /** The HTTP server's request handler. */
  public void handle(HttpServerRequest request) {
    if (cors.handle(request)) return; // a preflight, answered
    if (GrpcTransport.accepts(request)) {
      grpc.handle(request);
    } else if (badEscape(request.uri()) >= 0) {
      // vertx-web would answer 400 too, but only after logging the decoder's stack trace at ERROR.
      log.debug("refused {}: bad percent-encoding in the URI", request.method());
      request.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end(new JsonObject().put("code", "INVALID_ARGUMENT")
              .put("message", "the request URI has a '%' that is not followed by two hex digits (at character "
                  + badEscape(request.uri()) + "); write a literal % as %25")
              .put("details", new JsonObject()).encode());
    } else {
      router.handle(request);
    }
  }

  /** Where the URI has a {@code %} not followed by two hex digits, else -1. */
  static int badEscape(String uri) {
    for (int i = uri.indexOf('%'); i >= 0; i = uri.indexOf('%', i + 1)) {
      if (i + 2 >= uri.length() || Character.digit(uri.charAt(i + 1), 16) < 0 || Character.digit(uri.charAt(i + 2), 16) < 0) {
        return i;
      }
    }
    return -1;
  }
}
