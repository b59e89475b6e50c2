package dev.hearth.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.examples.hello.v1.GreetRequest;
import dev.hearth.examples.hello.v1.Greeting;
import dev.hearth.examples.hello.v1.HelloProto;
import dev.hearth.kernel.testing.TestGrpc;
import dev.hearth.kernel.testing.TestNode;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built module jar, installed into a real node: what docs/modules.md promises, checked. */
class HelloModuleIT {

  @TempDir Path tmp;

  /** The jar Maven just packaged (integration tests run after {@code package}). */
  static Path builtJar() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files.filter(p -> p.getFileName().toString().matches("hearth-module-hello-[^-]+(-SNAPSHOT)?\\.jar"))
          .findFirst().orElseThrow(() -> new IllegalStateException("run 'mvn verify': the module jar is not built"));
    }
  }

  @Test
  void greets_membersOfTheProject_only() throws Exception {
    try (TestNode node = TestNode.start(tmp)) {
      assertThat(node.installModule(builtJar())).isEqualTo("hello");
      String ann = node.signUp("ann@hello.test", "ann-password-1");
      String org = node.rest.post("/v1/orgs", ann, new JsonObject().put("name", "Hello Org")).ok().getString("id");
      String project = node.rest.post("/v1/orgs/" + org + "/projects", ann, new JsonObject().put("name", "P"))
          .ok().getString("id");
      var greet = HelloProto.getDescriptor().findServiceByName("HelloService").findMethodByName("Greet");
      GreetRequest toBob = GreetRequest.newBuilder().setProjectId(project).setName("Bob").build();

      Greeting first = node.grpc.call(greet, toBob, Greeting.getDefaultInstance(), ann);
      assertThat(first.getText()).isEqualTo("Hello, Bob!");
      assertThat(node.grpc.call(greet, toBob, Greeting.getDefaultInstance(), ann).getCount()).isEqualTo(2);

      String eve = node.signUp("eve@hello.test", "eve-password-1");
      assertThatThrownBy(() -> node.grpc.call(greet, toBob, Greeting.getDefaultInstance(), eve))
          .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> assertThat(f.status).isEqualTo(GrpcStatus.PERMISSION_DENIED));
      assertThatThrownBy(() -> node.grpc.call(greet, toBob.toBuilder().setName(" ").build(), Greeting.getDefaultInstance(), ann))
          .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> {
            assertThat(f.status).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
            assertThat(f.trailers.get("hearth-field")).isEqualTo("name");
          });
    }
  }
}
