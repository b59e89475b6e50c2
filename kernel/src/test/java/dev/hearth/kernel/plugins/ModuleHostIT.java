package dev.hearth.kernel.plugins;

import static dev.hearth.testkit.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DynamicMessage;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.testkit.TestGrpc;
import dev.hearth.testkit.TestNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A module jar built in the test, loaded, started, stopped and unloaded by the real host. */
class ModuleHostIT {

  /** Counts its starts in its own store, so the data's survival across restarts is visible. */
  static final String COUNTER = """
      package demo;
      import dev.hearth.module.Module;
      import dev.hearth.module.ModuleContext;
      import dev.hearth.module.store.*;
      import io.vertx.core.Future;
      public class Counter implements Module {
        public String id() { return "counter"; }
        public Future<Void> start(ModuleContext c) {
          Collection<String> starts = c.store().collection(CollectionSpec.of("starts", Codec.utf8()));
          return c.store().write("counter", tx -> {
            int n = Integer.parseInt(tx.get(starts, "n").orElse("0"));
            tx.put(starts, "n", Integer.toString(n + 1));
            return null;
          }).mapEmpty();
        }
      }
      """;

  /** Serves a gRPC service described at run time; it exists only while the module runs. */
  static final String GREETER = """
      package demo;
      import com.google.protobuf.DescriptorProtos.*;
      import com.google.protobuf.Descriptors;
      import com.google.protobuf.DynamicMessage;
      import dev.hearth.api.v1.Access;
      import dev.hearth.api.v1.AccessProto;
      import dev.hearth.api.v1.Level;
      import dev.hearth.module.Module;
      import dev.hearth.module.ModuleContext;
      import dev.hearth.module.api.ServiceBinding;
      import io.vertx.core.Future;
      public class Greeter implements Module {
        public String id() { return "greeter"; }
        public Future<Void> start(ModuleContext c) {
          MethodOptions signedIn = MethodOptions.newBuilder()
              .setExtension(AccessProto.access, Access.newBuilder().setLevel(Level.AUTHENTICATED).build()).build();
          FileDescriptorProto proto = FileDescriptorProto.newBuilder().setName("greeter/v1/greeter.proto")
              .setPackage("greeter.v1").setSyntax("proto3").addDependency(AccessProto.getDescriptor().getName())
              .addMessageType(DescriptorProto.newBuilder().setName("Hello").addField(FieldDescriptorProto.newBuilder()
                  .setName("name").setNumber(1).setType(FieldDescriptorProto.Type.TYPE_STRING)))
              .addService(ServiceDescriptorProto.newBuilder().setName("GreeterService").addMethod(
                  MethodDescriptorProto.newBuilder().setName("Greet").setInputType(".greeter.v1.Hello")
                      .setOutputType(".greeter.v1.Hello").setOptions(signedIn)))
              .build();
          try {
            Descriptors.FileDescriptor f = Descriptors.FileDescriptor.buildFrom(proto,
                new Descriptors.FileDescriptor[] {AccessProto.getDescriptor()});
            Descriptors.Descriptor hello = f.findMessageTypeByName("Hello");
            Descriptors.FieldDescriptor name = hello.findFieldByName("name");
            c.serve(ServiceBinding.of(f.findServiceByName("GreeterService"))
                .unary("Greet", DynamicMessage.getDefaultInstance(hello), (call, req) -> Future.succeededFuture(
                    DynamicMessage.newBuilder(hello).setField(name, "hello " + req.getField(name) + ", " + call.userId())
                        .build()))
                .build());
            return Future.succeededFuture();
          } catch (Descriptors.DescriptorValidationException e) {
            return Future.failedFuture(e);
          }
        }
      }
      """;

  /** Counter at schema 2: its migration multiplies the old count by ten into a new key. */
  static final String COUNTER_V2 = """
      package demo;
      import dev.hearth.module.Module;
      import dev.hearth.module.ModuleContext;
      import dev.hearth.module.store.*;
      import io.vertx.core.Future;
      public class Counter implements Module {
        public String id() { return "counter"; }
        public int schemaVersion() { return 2; }
        private static Collection<String> starts(ModuleContext c) {
          return c.store().collection(CollectionSpec.of("starts", Codec.utf8()));
        }
        public Future<Void> migrate(ModuleContext c, int from) {
          Collection<String> starts = starts(c);
          return c.store().write("counter", tx -> {
            int n = Integer.parseInt(tx.get(starts, "n").orElse("0"));
            tx.put(starts, "n2", Integer.toString(n * 10));
            tx.delete(starts, "n");
            return null;
          }).mapEmpty();
        }
        public Future<Void> start(ModuleContext c) {
          Collection<String> starts = starts(c);
          return c.store().write("counter", tx -> {
            tx.put(starts, "n2", Integer.toString(Integer.parseInt(tx.get(starts, "n2").orElseThrow()) + 1));
            return null;
          }).mapEmpty();
        }
      }
      """;

  @TempDir Path tmp;
  TestNode node;
  ModuleHost host;

  @BeforeEach
  void open() {
    node = TestNode.start(tmp.resolve("node"));
    host = node.modules();
  }

  @AfterEach
  void close() {
    node.close();
  }

  @Test
  void hundredStopStartCycles_keepTheData_andLeaveNoClassLoaderReachable() throws Exception {
    Path jar = PluginJars.build(tmp, "counter", "1.0.0", "demo.Counter", COUNTER);
    List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String id = host.load(jar);
      assertThat(id).isEqualTo("counter");
      await(host.start(id));
      assertThat(host.list()).singleElement().satisfies(m -> assertThat(m.getString("state")).isEqualTo("STARTED"));
      await(host.stop(id));
      loaders.add(new WeakReference<>(loaderOf(id)));
      host.unload(id);
      assertThat(host.list()).isEmpty();
    }
    // The module's data survived every restart: it counted each of them.
    await(host.start(host.load(jar)));
    assertThat(host.list()).singleElement().satisfies(m -> assertThat(m.getString("state")).isEqualTo("STARTED"));
    var starts = storeOf("counter").collection(CollectionSpec.of("starts", Codec.utf8()));
    assertThat(starts.get("n")).contains("101");
    await(host.stop("counter"));
    host.unload("counter");

    assertThat(unreachableAfterGc(loaders)).as("plugin class loaders still reachable after 100 cycles").isZero();
  }

  @Test
  void aModulesService_isServedWhileItRuns_behindTheGuard() throws Exception {
    Path jar = PluginJars.build(tmp, "greeter", "1.0.0", "demo.Greeter", GREETER);
    String user = node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "g@plugins.test")
        .put("password", "greeter-password")).ok().getString("userId");
    String token = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "g@plugins.test")
        .put("password", "greeter-password")).ok().getString("accessToken");
    List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String id = host.load(jar);
      await(host.start(id));
      var method = node.api().registry().method("greeter.v1.GreeterService/Greet").orElseThrow().descriptor();
      var hello = DynamicMessage.newBuilder(method.getInputType())
          .setField(method.getInputType().findFieldByName("name"), "ann").build();
      DynamicMessage reply = node.grpc.call(method, hello, token);
      assertThat(reply.getField(method.getOutputType().findFieldByName("name"))).isEqualTo("hello ann, " + user);
      assertThatThrownBy(() -> node.grpc.call(method, hello, null))
          .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> assertThat(f.status).isEqualTo(GrpcStatus.UNAUTHENTICATED));
      await(host.stop(id));
      assertThatThrownBy(() -> node.grpc.call(method, hello, token))
          .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> assertThat(f.status).isEqualTo(GrpcStatus.UNIMPLEMENTED));
      loaders.add(new WeakReference<>(loaderOf(id)));
      host.unload(id);
    }
    assertThat(unreachableAfterGc(loaders)).as("loaders still reachable after serving").isZero();
  }

  private static long unreachableAfterGc(List<WeakReference<ClassLoader>> loaders) throws InterruptedException {
    long reachable = loaders.size();
    for (int i = 0; i < 50 && reachable > 0; i++) {
      System.gc();
      Thread.sleep(50);
      reachable = loaders.stream().filter(r -> r.get() != null).count();
    }
    return reachable;
  }

  @Test
  void upgradeMigratesTheStoreOnce_andADowngradeIsRefused() throws Exception {
    Path v1 = PluginJars.build(tmp, "counter", "1.0.0", "demo.Counter", COUNTER);
    Path v2 = PluginJars.build(tmp, "counter", "2.0.0", "demo.Counter", COUNTER_V2);
    for (int i = 0; i < 3; i++) {
      await(host.start(host.load(v1)));
      await(host.stop("counter"));
      host.unload("counter");
    }
    await(host.start(host.load(v2))); // migrates 3 -> 30, then starts: 31
    await(host.stop("counter"));
    host.unload("counter");
    await(host.start(host.load(v2))); // no second migration: 32
    var starts = storeOf("counter").collection(CollectionSpec.of("starts", Codec.utf8()));
    assertThat(starts.get("n2")).contains("32");
    assertThat(starts.get("n")).isEmpty();
    await(host.stop("counter"));
    host.unload("counter");

    String id = host.load(v1);
    assertThatThrownBy(() -> await(host.start(id))).hasMessageContaining("stored data is at schema 2");
    assertThat(host.info(id).getString("state")).isEqualTo("FAILED");
    host.unload(id);
  }

  @Test
  void aStandbysModuleStarts_withoutMigrating_whenItsStoreHasDataButNoVersionYet() throws Exception {
    // A cluster standby: its gate refuses writes to the store, whose follower has applied the
    // owner's data but not (yet) the owner's record of the schema version.
    HearthStore store = node.stores().store("greeter");
    store.write("greeter", tx -> {
      tx.put(store.collection(CollectionSpec.of("notes", Codec.utf8())), "a", "from the owner");
      return null;
    }).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    node.stores().writeGate(name -> name.equals("greeter")
        ? new ModuleException(ModuleException.Code.UNAVAILABLE, "another process holds store greeter") : null);
    Path jar = PluginJars.build(tmp, "greeter", "1.0.0", "demo.Greeter", GREETER);
    String id = host.load(jar);
    await(host.start(id)); // without the fix: schema 0, migrated, the version write refused: FAILED
    assertThat(host.info(id).getString("state")).isEqualTo("STARTED");
    assertThat(storeOf("greeter").collection(CollectionSpec.of("kernel.schema", Codec.utf8())).get("version"))
        .as("a standby records no version: the owner's arrives with its log").isEmpty();
    await(host.stop(id));
    host.unload(id);
  }

  @Test
  void bundledSdkClasses_comeFromTheNode_parentFirst() throws Exception {
    Path jar = PluginJars.build(tmp, "counter", "1.0.0", "demo.Counter", COUNTER);
    String id = host.load(jar);
    ClassLoader loader = loaderOf(id);
    assertThat(loader.loadClass("dev.hearth.module.Module")).isSameAs(dev.hearth.module.Module.class);
    assertThat(loader.loadClass("demo.Counter").getClassLoader()).isSameAs(loader);
    host.unload(id);
  }

  private HearthStore storeOf(String name) throws Exception {
    var field = ModuleHost.class.getDeclaredField("stores");
    field.setAccessible(true);
    return ((Stores) field.get(host)).store(name);
  }

  private ClassLoader loaderOf(String pluginId) throws Exception {
    var field = ModuleHost.class.getDeclaredField("plugins");
    field.setAccessible(true);
    return ((ModulePluginManager) field.get(host)).getPluginClassLoader(pluginId);
  }
}
