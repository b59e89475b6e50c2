package dev.hearth.testkit;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import dev.hearth.kernel.config.NodeOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link TestNode} with the module under test installed (the jar Maven just packaged), and the
 * steps every module's IT takes: sign up, make a project, invite into it, call the module's services.
 * Start one with {@link #start}, or declare it with {@link ModuleTest} and take it as a parameter.
 */
public final class ModuleNode implements AutoCloseable {

  /** A signed-up user: their id and access token. */
  public record User(String id, String token) {}

  public final TestNode node;
  private final Path jar;
  private final List<FileDescriptor> protos;

  private ModuleNode(TestNode node, Path jar, List<FileDescriptor> protos) {
    this.node = node;
    this.jar = jar;
    this.protos = protos;
  }

  /**
   * A node under {@code dir} with the module built as {@code artifactId} in {@code target} installed
   * and started; {@link #call} finds methods by name in the services of {@code protos}.
   */
  public static ModuleNode start(Path dir, String artifactId, List<FileDescriptor> protos, Consumer<NodeOptions> configure) {
    Path jar = ModuleJars.built(Path.of("target"), artifactId);
    TestNode node = TestNode.start(dir, configure);
    try {
      node.installModule(jar);
      return new ModuleNode(node, jar, protos);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /** As {@link #start(Path, String, List, Consumer)} with the test defaults alone. */
  public static ModuleNode start(Path dir, String artifactId, FileDescriptor... protos) {
    return start(dir, artifactId, List.of(protos), options -> { });
  }

  /** The module jar this node installed. */
  public Path jar() {
    return jar;
  }

  public int port() {
    return node.port();
  }

  public User signUp(String email) throws Exception {
    JsonObject s = node.rest.post("/v1/auth/sign-up", null,
        new JsonObject().put("email", email).put("password", "a-long-password-1")).ok();
    return new User(s.getString("userId"), s.getString("accessToken"));
  }

  /** A new org and project owned (administered) by {@code owner}; returns the project id. */
  public String project(User owner, String name) throws Exception {
    String org = node.rest.post("/v1/orgs", owner.token(), new JsonObject().put("name", name + " org")).ok().getString("id");
    return node.rest.post("/v1/orgs/" + org + "/projects", owner.token(), new JsonObject().put("name", name)).ok().getString("id");
  }

  /** An invite code to {@code project} as project-user, good for {@code uses} redemptions. */
  public String inviteCode(User admin, String project, int uses) throws Exception {
    return node.rest.post("/v1/projects/" + project + "/invites", admin.token(),
        new JsonObject().put("role", "project-user").put("maxUses", uses)).ok().getString("code");
  }

  public void redeem(User user, String code) throws Exception {
    node.rest.post("/v1/invites/redeem", user.token(), new JsonObject().put("code", code)).ok();
  }

  /** Makes each of {@code users} a project-user of {@code project} through one invite of its admin. */
  public void invite(User admin, String project, User... users) throws Exception {
    String code = inviteCode(admin, project, users.length);
    for (User u : users) redeem(u, code);
  }

  /** The value of one series on the node's {@code /metrics}, e.g. {@code name{kind="reply"}}; 0 when absent. */
  public double metric(String series) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + node.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    for (String line : response.body().split("\n")) {
      if (line.startsWith(series + " ")) return Double.parseDouble(line.substring(series.length() + 1));
    }
    return 0;
  }

  /** Uploads {@code content} as a text file into {@code project} (raw REST body); returns the file id. */
  public String uploadFile(User as, String project, String name, String content) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.port() + "/v1/projects/" + project + "/files?name=" + name))
        .header("authorization", "Bearer " + as.token()).header("content-type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(content)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new AssertionError("upload: " + r.statusCode() + " " + r.body());
    return new JsonObject(r.body()).getString("id");
  }

  /** The method named {@code name} in the module's services; fails naming it when there is none. */
  public MethodDescriptor method(String name) {
    for (FileDescriptor file : protos) {
      for (ServiceDescriptor service : file.getServices()) {
        MethodDescriptor m = service.findMethodByName(name);
        if (m != null) return m;
      }
    }
    throw new IllegalArgumentException("no method " + name + " in the module's services");
  }

  /** Calls the module's method {@code name} over gRPC as {@code as}; a non-OK status throws {@link TestGrpc.Failure}. */
  public <R extends Message> R call(String name, Message request, R responseType, User as) {
    return node.grpc.call(method(name), request, responseType, as.token());
  }

  /** Calls {@code name}, expecting it to fail with {@code status}; returns the failure for further checks. */
  public TestGrpc.Failure fails(GrpcStatus status, String name, Message request, User as) {
    try {
      node.grpc.call(method(name), request, Empty.getDefaultInstance(), as.token());
    } catch (TestGrpc.Failure f) {
      if (f.status != status) throw new AssertionError("expected " + status + ", got " + f.getMessage(), f);
      return f;
    }
    throw new AssertionError("expected " + status + " from " + name + ", but it succeeded");
  }

  @Override
  public void close() {
    node.close();
  }
}
