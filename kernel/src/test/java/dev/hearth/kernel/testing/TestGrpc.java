package dev.hearth.kernel.testing;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;

/** A blocking gRPC client for tests over HTTP/2 cleartext, for any method by descriptor. */
public final class TestGrpc implements AutoCloseable {

  private final GrpcClient client;
  private final SocketAddress server;

  TestGrpc(Vertx vertx, int port) {
    this.client = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    this.server = SocketAddress.inetSocketAddress(port, "127.0.0.1");
  }

  /** A non-OK gRPC status, with its trailers. */
  public static final class Failure extends RuntimeException {
    public final GrpcStatus status;
    public final io.vertx.core.MultiMap trailers;

    Failure(GrpcStatus status, String message, io.vertx.core.MultiMap trailers) {
      super(status + ": " + message);
      this.status = status;
      this.trailers = trailers;
    }
  }

  /** Calls {@code method} with {@code request}; the answer is parsed as {@code responseType}'s type. */
  @SuppressWarnings("unchecked")
  public <R extends Message> R call(MethodDescriptor method, Message request, R responseType, String token) {
    ServiceMethod<Message, Message> m = ServiceMethod.client(ServiceName.create(method.getService().getFullName()),
        method.getName(), GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(responseType));
    var response = TestNode.await(client.request(server, m).compose(req -> {
      if (token != null) req.headers().set("authorization", "Bearer " + token);
      return req.send(request).compose(resp -> resp.last().map(msg -> new Object[] {resp, msg})
          .recover(err -> io.vertx.core.Future.succeededFuture(new Object[] {resp, null})));
    }));
    GrpcClientResponse<Message, Message> resp = (GrpcClientResponse<Message, Message>) response[0];
    if (resp.status() != null && resp.status() != GrpcStatus.OK) {
      // A failure before any message is "trailers-only": gRPC puts the trailers in the headers.
      io.vertx.core.MultiMap all = io.vertx.core.MultiMap.caseInsensitiveMultiMap().addAll(resp.headers()).addAll(resp.trailers());
      throw new Failure(resp.status(), resp.statusMessage(), all);
    }
    return (R) response[1];
  }

  /** Opens a call and ends it without sending a message; returns the status the server answered. */
  public GrpcStatus callWithoutMessage(MethodDescriptor method) {
    ServiceMethod<Message, Message> m = ServiceMethod.client(ServiceName.create(method.getService().getFullName()),
        method.getName(), GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(DynamicMessage.getDefaultInstance(method.getOutputType())));
    return TestNode.await(client.request(server, m).compose(req -> {
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
    TestNode.await(client.close());
  }
}
