package dev.hearth.chat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Message;
import dev.hearth.chat.v1.ChatProto;
import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.kernel.testing.TestGrpc;
import dev.hearth.kernel.testing.ModuleJars;
import dev.hearth.kernel.testing.TestNode;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.function.Consumer;

/** A test node with the built chat jar installed, and short ways to call ChatService and set up tenants. */
final class ChatNode implements AutoCloseable {

  /** A signed-up user: their id and access token. */
  record User(String id, String token) {}

  final TestNode node;

  ChatNode(Path dir) {
    this(dir, options -> { });
  }

  /** A node with options of the test's own (a clock, notification settings) over the test defaults. */
  ChatNode(Path dir, Consumer<NodeOptions> configure) {
    node = TestNode.start(dir, configure);
    try {
      node.installModule(builtJar());
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /** The jar Maven just packaged (integration tests run after {@code package}). */
  static Path builtJar() {
    return ModuleJars.built(Path.of("target"), "hearth-module-chat");
  }

  User signUp(String email) throws Exception {
    JsonObject s = node.rest.post("/v1/auth/sign-up", null,
        new JsonObject().put("email", email).put("password", "a-long-password-1")).ok();
    return new User(s.getString("userId"), s.getString("accessToken"));
  }

  /** A new org and project owned (administered) by {@code owner}; returns the project id. */
  String project(User owner, String name) throws Exception {
    String org = node.rest.post("/v1/orgs", owner.token(), new JsonObject().put("name", name + " org")).ok().getString("id");
    return node.rest.post("/v1/orgs/" + org + "/projects", owner.token(), new JsonObject().put("name", name)).ok().getString("id");
  }

  /** Makes {@code user} a project-user of {@code project} through an invite of its admin. */
  void invite(User admin, String project, User user) throws Exception {
    String code = node.rest.post("/v1/projects/" + project + "/invites", admin.token(),
        new JsonObject().put("role", "project-user").put("maxUses", 1)).ok().getString("code");
    node.rest.post("/v1/invites/redeem", user.token(), new JsonObject().put("code", code)).ok();
  }

  /** The value of one series on the node's {@code /metrics}, e.g. {@code name{kind="reply"}}; 0 when absent. */
  double metric(String series) throws Exception {
    var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + node.port() + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    for (String line : response.body().split("\n")) {
      if (line.startsWith(series + " ")) return Double.parseDouble(line.substring(series.length() + 1));
    }
    return 0;
  }

  static MethodDescriptor method(String name) {
    return ChatProto.getDescriptor().findServiceByName("ChatService").findMethodByName(name);
  }

  <R extends Message> R call(String method, Message request, R responseType, User as) {
    return node.grpc.call(method(method), request, responseType, as.token());
  }

  /** Asserts the call fails with {@code status}; returns the failure for further checks. */
  TestGrpc.Failure fails(GrpcStatus status, String method, Message request, User as) {
    TestGrpc.Failure[] out = new TestGrpc.Failure[1];
    assertThatThrownBy(() -> node.grpc.call(method(method), request,
        com.google.protobuf.Empty.getDefaultInstance(), as.token()))
        .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> {
          org.assertj.core.api.Assertions.assertThat(f.status).as(f.getMessage()).isEqualTo(status);
          out[0] = f;
        });
    return out[0];
  }

  /** Uploads {@code content} as a text file into {@code project} (raw REST body); returns the file id. */
  String uploadFile(User as, String project, String name, String content) throws Exception {
    var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + node.port() + "/v1/projects/" + project + "/files?name=" + name))
        .header("authorization", "Bearer " + as.token()).header("content-type", "text/plain")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(content)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new AssertionError("upload: " + r.statusCode() + " " + r.body());
    return new JsonObject(r.body()).getString("id");
  }

  @Override
  public void close() {
    node.close();
  }
}
