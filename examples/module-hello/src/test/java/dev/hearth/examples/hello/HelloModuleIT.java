package dev.hearth.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Descriptors.MethodDescriptor;
import dev.hearth.examples.hello.v1.GreetRequest;
import dev.hearth.examples.hello.v1.Greeting;
import dev.hearth.examples.hello.v1.HelloProto;
import dev.hearth.examples.hello.v1.TopGreetersRequest;
import dev.hearth.examples.hello.v1.TopGreetersResponse;
import dev.hearth.testkit.ModuleNode;
import dev.hearth.testkit.ModuleTest;
import dev.hearth.testkit.TestGrpc;
import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built module jar, installed into a real node: what docs/modules.md promises, checked. */
@ModuleTest(artifactId = "hearth-module-hello", protos = HelloProto.class)
class HelloModuleIT {

  static final MethodDescriptor GREET = method("Greet");
  static final MethodDescriptor TOP = method("TopGreeters");

  @TempDir Path tmp;

  static MethodDescriptor method(String name) {
    return HelloProto.getDescriptor().findServiceByName("HelloService").findMethodByName(name);
  }

  /** Ann's project, with Bob as a project-user; returns {project id, ann's token, bob's token}. */
  static String[] project(TestNode node) throws Exception {
    String ann = node.signUp("ann@hello.test", "ann-password-1");
    String bob = node.signUp("bob@hello.test", "bob-password-1");
    String org = node.rest.post("/v1/orgs", ann, new JsonObject().put("name", "Hello Org")).ok().getString("id");
    String project = node.rest.post("/v1/orgs/" + org + "/projects", ann, new JsonObject().put("name", "P"))
        .ok().getString("id");
    String code = node.rest.post("/v1/projects/" + project + "/invites", ann, new JsonObject().put("role", "project-user"))
        .ok().getString("code");
    node.rest.post("/v1/invites/redeem", bob, new JsonObject().put("code", code)).ok();
    return new String[] {project, ann, bob};
  }

  static String userId(TestNode node, String token) throws Exception {
    return node.rest.get("/v1/me", token).ok().getJsonObject("profile").getString("userId");
  }

  @Test
  void greets_membersOfTheProject_only(ModuleNode hello) throws Exception {
    TestNode node = hello.node;
    assertThat(node.modules().isRunning("hello")).isTrue();
    String[] p = project(node);
    GreetRequest toBob = GreetRequest.newBuilder().setProjectId(p[0]).setName("Bob").build();

    Greeting first = node.grpc.call(GREET, toBob, Greeting.getDefaultInstance(), p[1]);
    assertThat(first.getText()).isEqualTo("Hello, Bob!");
    assertThat(node.grpc.call(GREET, toBob, Greeting.getDefaultInstance(), p[2]).getCount()).isEqualTo(2);

    String eve = node.signUp("eve@hello.test", "eve-password-1");
    TopGreetersRequest top = TopGreetersRequest.newBuilder().setProjectId(p[0]).build();
    assertThatThrownBy(() -> node.grpc.call(GREET, toBob, Greeting.getDefaultInstance(), eve))
        .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> assertThat(f.status).isEqualTo(GrpcStatus.PERMISSION_DENIED));
    assertThatThrownBy(() -> node.grpc.call(TOP, top, TopGreetersResponse.getDefaultInstance(), eve))
        .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> assertThat(f.status).isEqualTo(GrpcStatus.PERMISSION_DENIED));
    assertThat(node.rest.get("/v1/pages?projectId=" + p[0], eve).status()).isEqualTo(403);
    assertThatThrownBy(() -> node.grpc.call(GREET, toBob.toBuilder().setName(" ").build(), Greeting.getDefaultInstance(), p[1]))
        .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> {
          assertThat(f.status).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
          assertThat(f.trailers.get("hearth-field")).isEqualTo("name");
        });
  }

  @Test
  void topGreeters_isFoldedFromTheGreetings_andSurvivesARestart() throws Exception {
    String project;
    String ann;
    String expected;
    try (ModuleNode hello = ModuleNode.start(tmp, "hearth-module-hello", HelloProto.getDescriptor())) {
      TestNode node = hello.node;
      String[] p = project(node);
      project = p[0];
      ann = p[1];
      GreetRequest greet = GreetRequest.newBuilder().setProjectId(project).setName("Zoe").build();
      for (String token : new String[] {p[2], p[1], p[2], p[2]}) {
        node.grpc.call(GREET, greet, Greeting.getDefaultInstance(), token);
      }
      TopGreetersResponse top = node.grpc.call(TOP, TopGreetersRequest.newBuilder().setProjectId(project).build(),
          TopGreetersResponse.getDefaultInstance(), ann);
      assertThat(top.getGreetersList()).extracting(g -> g.getUserId() + "=" + g.getGreetings())
          .containsExactly(userId(node, p[2]) + "=3", userId(node, ann) + "=1");
      expected = top.toString();
    }
    try (ModuleNode hello = ModuleNode.start(tmp, "hearth-module-hello", HelloProto.getDescriptor())) {
      TestNode node = hello.node;
      TopGreetersResponse top = node.grpc.call(TOP, TopGreetersRequest.newBuilder().setProjectId(project).build(),
          TopGreetersResponse.getDefaultInstance(), node.rest.post("/v1/auth/log-in", null, new JsonObject()
              .put("email", "ann@hello.test").put("password", "ann-password-1")).ok().getString("accessToken"));
      assertThat(top.toString()).isEqualTo(expected);
    }
  }

  @Test
  void thePage_isListedAndServed_withItsStrings(ModuleNode hello) throws Exception {
    TestNode node = hello.node;
    String[] p = project(node);
    JsonArray pages = node.rest.get("/v1/pages?projectId=" + p[0] + "&locale=fr", p[2]).ok().getJsonArray("pages");
    // The module's own page, beside the node's (members, user modules).
    assertThat(pages.stream().map(o -> (JsonObject) o).filter(o -> o.getString("moduleId").equals("hello")))
        .containsExactly(new JsonObject().put("moduleId", "hello").put("name", "greetings")
            .put("title", "Salutations").put("params", new JsonArray()));
    JsonObject page = node.rest.get("/v1/pages/hello/greetings", p[2]).ok();
    assertThat(page.getString("title")).isEqualTo("Greetings");
    assertThat(page.getJsonArray("sources").getJsonObject(0).getString("rpc")).isEqualTo("hello.v1.HelloService/TopGreeters");
    JsonObject card = new JsonObject(page.getString("templateJson"));
    assertThat(card.getString("type")).isEqualTo("AdaptiveCard");
    assertThat(card).isEqualTo(new JsonObject(Files.readString(Path.of("src/main/resources/pages/greetings.json"))));
    JsonObject fr = node.rest.get("/v1/strings/hello?locale=fr", p[2]).ok().getJsonObject("texts");
    assertThat(fr.getString("title")).isEqualTo("Meilleurs saluteurs");
    assertThat(fr.getString("empty")).isEqualTo("No greetings yet"); // not translated: the fallback
  }
}
