package dev.hearth.kernel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.hearth.api.v1.Access;
import dev.hearth.api.v1.AccessProto;
import dev.hearth.api.v1.Level;
import dev.hearth.cli.Main;
import dev.hearth.testkit.TestGrpc;
import dev.hearth.testkit.TestNode;
import dev.hearth.module.api.ServiceBinding;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service added to a running node — described at run time, as a module's or a user module's
 * will be — is served at once on gRPC, REST and the generated CLI, behind the same guard; removed,
 * it is gone from all of them and from reflection.
 */
class RuntimeServicesIT {

  @TempDir static Path tmp;
  static TestNode node;
  static FileDescriptor file;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(tmp.resolve("node"));
    MethodOptions options = MethodOptions.newBuilder()
        .setExtension(AccessProto.access, Access.newBuilder().setLevel(Level.AUTHENTICATED).build())
        .setExtension(AnnotationsProto.http, HttpRule.newBuilder().setPost("/v1/echo").setBody("*").build())
        .build();
    FileDescriptorProto proto = FileDescriptorProto.newBuilder().setName("test/echo/v1/echo.proto")
        .setPackage("test.echo.v1").setSyntax("proto3")
        .addDependency(AccessProto.getDescriptor().getName()).addDependency(AnnotationsProto.getDescriptor().getName())
        .addMessageType(DescriptorProto.newBuilder().setName("EchoRequest").addField(text(1)))
        .addMessageType(DescriptorProto.newBuilder().setName("EchoReply").addField(text(1)))
        .addService(ServiceDescriptorProto.newBuilder().setName("EchoService").addMethod(MethodDescriptorProto.newBuilder()
            .setName("Echo").setInputType(".test.echo.v1.EchoRequest").setOutputType(".test.echo.v1.EchoReply")
            .setOptions(options)))
        .build();
    file = FileDescriptor.buildFrom(proto, new FileDescriptor[] {AccessProto.getDescriptor(), AnnotationsProto.getDescriptor()});
  }

  private static FieldDescriptorProto.Builder text(int number) {
    return FieldDescriptorProto.newBuilder().setName("text").setNumber(number)
        .setType(FieldDescriptorProto.Type.TYPE_STRING).setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private ServiceBinding echo() {
    Descriptor in = file.findMessageTypeByName("EchoRequest");
    Descriptor out = file.findMessageTypeByName("EchoReply");
    return ServiceBinding.of(file.findServiceByName("EchoService"))
        .unary("Echo", DynamicMessage.getDefaultInstance(in), (call, r) -> Future.succeededFuture(
            DynamicMessage.newBuilder(out).setField(out.findFieldByName("text"),
                "echo for " + call.userId() + ": " + r.getField(in.findFieldByName("text"))).build()))
        .build();
  }


  @Test
  void addedService_isServedEverywhere_removedOne_nowhere() throws Exception {
    JsonObject session = node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "echo@rt.test")
        .put("password", "echo-password-1")).ok();
    String token = session.getString("accessToken");
    MethodDescriptor method = file.findServiceByName("EchoService").findMethodByName("Echo");
    DynamicMessage hello = DynamicMessage.newBuilder(method.getInputType())
        .setField(method.getInputType().findFieldByName("text"), "hello").build();

    assertThatThrownBy(() -> node.grpc.call(method, hello, token))
        .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> assertThat(f.status).isEqualTo(GrpcStatus.UNIMPLEMENTED));

    node.api().add(echo());
    DynamicMessage reply = node.grpc.call(method, hello, token);
    assertThat(reply.getField(method.getOutputType().findFieldByName("text")))
        .isEqualTo("echo for " + session.getString("userId") + ": hello");
    assertThat(node.rest.post("/v1/echo", token, new JsonObject().put("text", "rest")).ok().getString("text")).endsWith(": rest");
    assertThat(node.rest.post("/v1/echo", null, new JsonObject().put("text", "anon")).status()).isEqualTo(401);
    String[] viaCli = Main.run(node.cliEnv(token), "echo", "echo", "--text", "cli");
    assertThat(viaCli[0]).as(viaCli[2]).isEqualTo("0");
    assertThat(new JsonObject(viaCli[1]).getString("text")).endsWith(": cli");

    assertThat(node.api().remove("test.echo.v1.EchoService")).isTrue();
    assertThatThrownBy(() -> node.grpc.call(method, hello, token))
        .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> assertThat(f.status).isEqualTo(GrpcStatus.UNIMPLEMENTED));
    assertThat(node.rest.post("/v1/echo", token, new JsonObject().put("text", "gone")).status()).isEqualTo(404);
    String[] listed = Main.run(node.cliEnv(token), "api");
    assertThat(listed[0]).as(listed[2]).isEqualTo("0");
    assertThat(listed[1]).contains("hearth.tenancy.v1.TenancyService").doesNotContain("EchoService");
  }
}
