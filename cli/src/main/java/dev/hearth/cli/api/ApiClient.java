package dev.hearth.cli.api;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.hearth.cli.base.RpcException;
import dev.hearth.kernel.errors.GrpcMessages;
import dev.hearth.kernel.spi.InvalidOptionException;
import dev.hearth.cli.base.CaTrust;
import dev.hearth.cli.base.CommandFailedException;
import dev.hearth.cli.base.NodeNotRunningException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A gRPC client to one node for one CLI command: HTTP/2 cleartext with prior knowledge to
 * {@code http://host:port}, or HTTP/2 over TLS (ALPN, host name verified) to {@code https://host:port}
 * trusting the system's CAs plus those of a {@code --ca-file} ({@link CaTrust}); messages as {@link DynamicMessage}s typed by the server's own descriptors.
 * A non-OK status fails the call with an {@link RpcException}; a node that cannot be reached with a
 * {@link NodeNotRunningException} (exit 3). Owns its Vert.x instance: {@link #close()} it.
 */
public final class ApiClient implements AutoCloseable {

  /** Unary calls (and reflection) give up after this long; server streams may run for as long as they like. */
  private static final long DEADLINE_S = 60;

  private final String url;
  private final SocketAddress server;
  private final Vertx vertx;
  private final GrpcClient client;
  private final Context context;
  /** Null for plain http. */
  private final CaTrust trust;

  private ApiClient(String url, SocketAddress server, CaTrust trust) {
    this.url = url;
    this.server = server;
    this.trust = trust;
    // One event loop is plenty for one command, and keeps a short-lived JVM light.
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    HttpClientOptions http = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setConnectTimeout(5_000);
    if (trust != null) {
      http.setSsl(true).setUseAlpn(true).setVerifyHost(true).setTrustAll(false)
          .setTrustOptions(TrustOptions.wrap(trust.factory()));
    }
    this.client = GrpcClient.client(vertx, new GrpcClientOptions().setScheduleDeadlineAutomatically(true), http);
    this.context = vertx.getOrCreateContext();
  }

  /**
   * @param url {@code http://host:port} or {@code https://host:port}; anything else is a usage error naming {@code option}
   * @param caFile a PEM file of extra CAs for https (null: the system's only); ignored for http
   * @param caOption the flag or variable {@code caFile} came from
   */
  public static ApiClient open(String url, String option, String caFile, String caOption) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      throw new InvalidOptionException(option, "'" + url + "' is not a URL (expected http(s)://host:port)");
    }
    String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
    boolean tls = scheme.equals("https");
    if (!(tls || scheme.equals("http")) || uri.getHost() == null) {
      throw new InvalidOptionException(option, "'" + url + "' is not an http(s)://host:port URL");
    }
    int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
    CaTrust trust = tls ? CaTrust.of(caFile == null || caFile.isBlank() ? null : Path.of(caFile), caOption) : null;
    return new ApiClient(url, SocketAddress.inetSocketAddress(port, uri.getHost()), trust);
  }

  public String url() {
    return url;
  }

  /** A JDK HTTP client for the node's REST routes (file contents), trusting what this client trusts. */
  public HttpClient http() {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (trust != null) b.sslContext(trust.context());
    // Plain http: HTTP/1.1, not the JDK's default HTTP/1.1-to-h2c upgrade (deprecated by RFC 9113), which with
    // Vert.x 5's server corrupts the connection now and then on large answers (docs/api.md, "HTTP versions").
    else b.version(HttpClient.Version.HTTP_1_1);
    return b.build();
  }

  /** One unary call; {@code bearer} may be null for public methods. */
  public Future<DynamicMessage> call(MethodDescriptor method, DynamicMessage request, String bearer) {
    return unary(serviceMethod(method), request, bearer);
  }

  /** A server-streaming call: {@code each} gets every message (on the event loop); completes at the end. */
  public Future<Void> serverStream(MethodDescriptor method, DynamicMessage request, String bearer,
      Handler<DynamicMessage> each) {
    return exchange(serviceMethod(method), request, bearer, false, response -> {
      response.handler(each);
      return outcome(response, response.end());
    });
  }

  /** One request, one answer, for any message classes (reflection uses its generated ones). */
  <Req, Resp> Future<Resp> unary(ServiceMethod<Resp, Req> method, Req request, String bearer) {
    return exchange(method, request, bearer, true,
        response -> outcome(response, response.end().compose(v -> response.last())));
  }

  /**
   * Sends one request and hands the response to {@code read}, all on this client's event loop: the
   * answer's messages start flowing as soon as the response exists, and a handler set later from the
   * calling thread would miss them.
   */
  private <Req, Resp, T> Future<T> exchange(ServiceMethod<Resp, Req> method, Req request, String bearer,
      boolean deadline, Function<GrpcClientResponse<Req, Resp>, Future<T>> read) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> client.request(server, method).compose(req -> {
      if (bearer != null) req.headers().set("authorization", "Bearer " + bearer);
      if (deadline) req.timeout(DEADLINE_S, TimeUnit.SECONDS);
      return req.send(request);
    }).compose(read).onComplete(done));
    return done.future().recover(e -> Future.failedFuture(translate(e)));
  }

  /** The stream's end, or the node's status as an {@link RpcException} when it is not OK. */
  private static <T> Future<T> outcome(GrpcClientResponse<?, ?> response, Future<T> end) {
    return end.recover(e -> {
      GrpcStatus status = response.status();
      return Future.failedFuture(status != null && status != GrpcStatus.OK
          ? new RpcException(status, message(response), retryAfter(response)) : e);
    });
  }

  /**
   * The status message, decoded as the gRPC spec says: Vert.x's own decoding is a URL query's, which
   * would turn a '+' the node sent as it is into a space.
   */
  private static String message(GrpcClientResponse<?, ?> response) {
    String raw = response.trailers().get("grpc-message");
    if (raw == null) raw = response.headers().get("grpc-message");
    return raw == null ? response.statusMessage() : GrpcMessages.decode(raw);
  }

  private static ServiceMethod<DynamicMessage, DynamicMessage> serviceMethod(MethodDescriptor method) {
    return ServiceMethod.client(ServiceName.create(method.getService().getFullName()), method.getName(),
        GrpcMessageEncoder.encoder(),
        GrpcMessageDecoder.decoder(DynamicMessage.getDefaultInstance(method.getOutputType())));
  }

  /** A trailers-only answer carries its metadata in the headers, a normal one in the trailers. */
  private static Long retryAfter(GrpcClientResponse<?, ?> response) {
    String value = response.trailers().get("retry-after");
    if (value == null) value = response.headers().get("retry-after");
    try {
      return value == null ? null : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return null; // an HTTP date or garbage: not worth failing the error report over
    }
  }

  private Throwable translate(Throwable e) {
    if (e instanceof RpcException || e instanceof CommandFailedException) return e;
    if (e instanceof GrpcErrorException g) return new RpcException(g.status(), "the call was reset (" + g.error() + ")", null);
    String refused = CaTrust.refusal(e);
    if (refused != null) {
      return new CommandFailedException("refused the node at " + url + ": " + refused
          + "; to trust a private CA, pass --ca-file PATH (or set HEARTH_CA_FILE)", e);
    }
    if (e instanceof ConnectException || e instanceof UnknownHostException) {
      return new NodeNotRunningException("cannot reach the node at " + url + ": " + e.getMessage());
    }
    return new CommandFailedException("calling " + url + " failed: " + e.getMessage()
        + " (is it a Hearth node serving gRPC?)", e);
  }

  /** Waits for {@code future} on this (non event loop) thread; its failure is rethrown unwrapped. */
  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) throw r;
      throw new CommandFailedException(String.valueOf(cause.getMessage()), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException("interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      client.close().eventually(vertx::close).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      // best effort: the command's answer is already out
    }
  }
}
