package dev.hearth.testkit;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** A blocking gRPC client for tests over HTTP/2 cleartext, for any method by descriptor. */
public final class TestGrpc implements AutoCloseable {

  private final GrpcClient client;
  private final SocketAddress server;

  public TestGrpc(Vertx vertx, int port) {
    this.client = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false)
        // Large server streams (file downloads) need more than HTTP/2's default 64 KiB window to flow.
        .setInitialSettings(new Http2Settings().setInitialWindowSize(1 << 20))
        .setHttp2ConnectionWindowSize(4 << 20));
    this.server = SocketAddress.inetSocketAddress(port, "127.0.0.1");
  }

  /** A non-OK gRPC status, with its trailers. */
  public static final class Failure extends RuntimeException {
    public final GrpcStatus status;
    public final MultiMap trailers;

    Failure(GrpcStatus status, String message, MultiMap trailers) {
      super(status + ": " + message);
      this.status = status;
      this.trailers = trailers;
    }
  }

  /** Calls {@code method} with {@code request}; the answer is parsed as {@code responseType}'s type. */
  public <R extends Message> R call(MethodDescriptor method, Message request, R responseType, String token) {
    return call(method, request, responseType, token, Map.of());
  }

  /** As {@link #call(MethodDescriptor, Message, Message, String)}, with more request metadata (e.g. accept-language). */
  @SuppressWarnings("unchecked")
  public <R extends Message> R call(MethodDescriptor method, Message request, R responseType, String token,
      Map<String, String> metadata) {
    ServiceMethod<Message, Message> m = ServiceMethod.client(ServiceName.create(method.getService().getFullName()),
        method.getName(), GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(responseType));
    var response = Await.await(client.request(server, m).compose(req -> {
      if (token != null) req.headers().set("authorization", "Bearer " + token);
      metadata.forEach(req.headers()::set);
      return req.send(request).compose(resp -> resp.last().map(msg -> new Object[] {resp, msg})
          .recover(err -> Future.succeededFuture(new Object[] {resp, null})));
    }));
    GrpcClientResponse<Message, Message> resp = (GrpcClientResponse<Message, Message>) response[0];
    if (resp.status() != null && resp.status() != GrpcStatus.OK) {
      // A failure before any message is "trailers-only": gRPC puts the trailers in the headers.
      MultiMap all = MultiMap.caseInsensitiveMultiMap().addAll(resp.headers()).addAll(resp.trailers());
      throw new Failure(resp.status(), resp.statusMessage(), all);
    }
    return (R) response[1];
  }

  /** An open server-streaming call: its messages as they come, and how it ended. */
  public static final class Stream<R> {
    public final LinkedBlockingQueue<R> messages = new LinkedBlockingQueue<>();
    public final CompletableFuture<Failure> end = new CompletableFuture<>();
    volatile GrpcClientRequest<Message, Message> request;

    /** The next message; fails after {@code seconds}. */
    public R next(int seconds) throws InterruptedException {
      R m = messages.poll(seconds, TimeUnit.SECONDS);
      if (m == null) throw new AssertionError("no stream message within " + seconds + " s");
      return m;
    }

    /** The status the stream ended with (OK as a Failure with status OK); waits up to {@code seconds}. */
    public Failure awaitEnd(int seconds) throws Exception {
      return end.get(seconds, TimeUnit.SECONDS);
    }

    public void cancel() {
      if (request != null) request.cancel();
    }
  }

  /** Opens a server-streaming call; messages are parsed as {@code responseType}'s type. */
  @SuppressWarnings("unchecked")
  public <R extends Message> Stream<R> stream(MethodDescriptor method, Message request, R responseType, String token) {
    ServiceMethod<Message, Message> m = ServiceMethod.client(ServiceName.create(method.getService().getFullName()),
        method.getName(), GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(responseType));
    Stream<R> stream = new Stream<>();
    Await.await(client.request(server, m).map(req -> {
      stream.request = req;
      if (token != null) req.headers().set("authorization", "Bearer " + token);
      req.send(request).onSuccess(resp -> {
        resp.handler(msg -> stream.messages.add((R) msg));
        resp.endHandler(v -> {
          MultiMap all = MultiMap.caseInsensitiveMultiMap().addAll(resp.headers())
              .addAll(resp.trailers());
          stream.end.complete(new Failure(resp.status(), resp.statusMessage(), all));
        });
        resp.exceptionHandler(err -> stream.end.completeExceptionally(err));
      }).onFailure(stream.end::completeExceptionally);
      return req;
    }));
    return stream;
  }

  /**
   * A client stream: sends the messages {@code next} gives until it gives {@code null}, honouring
   * the connection's flow control (never more queued than the transport takes), and returns the
   * one answer. Messages are made as they are sent, so a stream of any size costs no memory.
   */
  @SuppressWarnings("unchecked")
  public <R extends Message> R clientStream(MethodDescriptor method, Supplier<Message> next,
      R responseType, String token) {
    ServiceMethod<Message, Message> m = ServiceMethod.client(ServiceName.create(method.getService().getFullName()),
        method.getName(), GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(responseType));
    var response = Await.await(client.request(server, m).compose(req -> {
      if (token != null) req.headers().set("authorization", "Bearer " + token);
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        while (!req.writeQueueFull()) {
          if (req.response().isComplete()) return; // the server answered early (refused): stop sending
          Message msg = next.get();
          if (msg == null) {
            req.end();
            return;
          }
          req.write(msg);
        }
        req.drainHandler(v -> pump[0].run());
      };
      req.exceptionHandler(err -> {});
      pump[0].run();
      return req.response().compose(resp -> resp.last().map(msg -> new Object[] {resp, msg})
          .recover(err -> Future.succeededFuture(new Object[] {resp, null})));
    }), 600);
    GrpcClientResponse<Message, Message> resp = (GrpcClientResponse<Message, Message>) response[0];
    if (resp.status() != null && resp.status() != GrpcStatus.OK) {
      MultiMap all = MultiMap.caseInsensitiveMultiMap().addAll(resp.headers()).addAll(resp.trailers());
      throw new Failure(resp.status(), resp.statusMessage(), all);
    }
    return (R) response[1];
  }

  /**
   * A server stream whose messages go to {@code each} as they arrive (nothing is kept, so a stream
   * of any size costs no memory); returns how it ended, waiting up to {@code seconds}.
   */
  @SuppressWarnings("unchecked")
  public <R extends Message> Failure streamInto(MethodDescriptor method, Message request, R responseType, String token,
      Consumer<R> each, int seconds) {
    ServiceMethod<Message, Message> m = ServiceMethod.client(ServiceName.create(method.getService().getFullName()),
        method.getName(), GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(responseType));
    return Await.await(client.request(server, m).compose(req -> {
      if (token != null) req.headers().set("authorization", "Bearer " + token);
      return req.send(request).compose(resp -> {
        Promise<Failure> done = Promise.promise();
        resp.handler(msg -> each.accept((R) msg));
        resp.endHandler(v -> done.tryComplete(new Failure(resp.status(), resp.statusMessage(),
            MultiMap.caseInsensitiveMultiMap().addAll(resp.headers()).addAll(resp.trailers()))));
        resp.exceptionHandler(done::tryFail);
        return done.future();
      });
    }), seconds);
  }

  /** Opens a call and ends it without sending a message; returns the status the server answered. */
  public GrpcStatus callWithoutMessage(MethodDescriptor method) {
    ServiceMethod<Message, Message> m = ServiceMethod.client(ServiceName.create(method.getService().getFullName()),
        method.getName(), GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(DynamicMessage.getDefaultInstance(method.getOutputType())));
    return Await.await(client.request(server, m).compose(req -> {
      req.end();
      return req.response().map(GrpcClientResponse::status);
    }));
  }

  /** Calls with a dynamic request and answer (for tests generated from descriptors). */
  public DynamicMessage call(MethodDescriptor method, DynamicMessage request, String token) {
    return call(method, request, DynamicMessage.getDefaultInstance(method.getOutputType()), token);
  }

  @Override
  public void close() {
    Await.await(client.close());
  }
}
