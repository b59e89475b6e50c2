package dev.hearth.cli.api;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.cli.base.RpcException;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Calls by service and method name with JSON in and out, over the node's gRPC API and its reflected
 * descriptors: what seeding needs, since it works on whatever modules the node serves. A call the
 * node rate-limits is retried after the time it asks for.
 */
final class SeedApi {

  private final ApiSession session;
  private final PrintWriter err;

  SeedApi(ApiSession session, PrintWriter err) {
    this.session = session;
    this.err = err;
  }

  /** Whether the node serves {@code service} (full name, e.g. {@code hearth.chat.v1.ChatService}). */
  boolean serves(String service) {
    return session.schema().allServices().stream().anyMatch(s -> s.getFullName().equals(service));
  }

  Optional<MethodDescriptor> method(String service, String method) {
    return session.schema().method(service, method);
  }

  Descriptor input(String service, String method) {
    return require(service, method).getInputType();
  }

  /** Calls as the holder of {@code bearer} (null: anonymous). */
  JsonObject call(String service, String method, JsonObject request, String bearer) {
    MethodDescriptor m = require(service, method);
    DynamicMessage.Builder b = DynamicMessage.newBuilder(m.getInputType());
    try {
      JsonFormat.parser().usingTypeRegistry(session.schema().types()).merge(request.encode(), b);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("seed request for " + service + "/" + method + " does not fit its type: "
          + e.getMessage(), e);
    }
    for (int attempt = 0; ; attempt++) {
      try {
        DynamicMessage answer = ApiClient.await(session.client().call(m, b.build(), bearer));
        return new JsonObject(JsonFormat.printer().usingTypeRegistry(session.schema().types()).print(answer));
      } catch (RpcException e) {
        if (e.status() != GrpcStatus.RESOURCE_EXHAUSTED || e.retryAfterSeconds() == null || attempt >= 20) throw e;
        err.println("  rate limited by the node; waiting " + e.retryAfterSeconds() + " s");
        err.flush();
        sleep(e.retryAfterSeconds());
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Uploads {@code content} as a file of {@code projectId} through the streaming REST route
   * ({@code FileTransferService} has no unary form); returns the new entry.
   */
  JsonObject upload(String projectId, String name, String contentType, byte[] content, String bearer) {
    URI uri = URI.create(session.client().url() + "/v1/projects/"
        + URLEncoder.encode(projectId, StandardCharsets.UTF_8) + "/files?name="
        + URLEncoder.encode(name, StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(uri)
        .header("Authorization", "Bearer " + bearer).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build();
    try {
      var response = session.client().http().send(request, HttpResponse.BodyHandlers.ofString());
      JsonObject body = new JsonObject(response.body());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException("uploading " + name + " failed: " + response.statusCode() + " "
            + body.getString("code", "") + ": " + body.getString("message", ""));
      }
      return body;
    } catch (IOException e) {
      throw new IllegalStateException("uploading " + name + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The caller's own bearer (the command's --token or profile). */
  String bearer() {
    return session.bearer();
  }

  private MethodDescriptor require(String service, String method) {
    return method(service, method).orElseThrow(() -> new IllegalStateException(
        "the node at " + session.client().url() + " has no method " + service + "/" + method));
  }

  private static void sleep(long seconds) {
    try {
      Thread.sleep(Math.max(1, seconds) * 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
