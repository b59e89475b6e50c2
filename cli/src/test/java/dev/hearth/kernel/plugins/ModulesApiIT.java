package dev.hearth.kernel.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import dev.hearth.cli.Main;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.modules.v1.InstallModuleRequest;
import dev.hearth.modules.v1.ListModulesRequest;
import dev.hearth.modules.v1.ListModulesResponse;
import dev.hearth.modules.v1.ModuleInfo;
import dev.hearth.modules.v1.ModulesProto;
import dev.hearth.modules.v1.StartModuleRequest;
import dev.hearth.modules.v1.StopModuleRequest;
import dev.hearth.modules.v1.UninstallModuleRequest;
import dev.hearth.modules.v1.UninstallModuleResponse;
import dev.hearth.testkit.TestGrpc;
import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installing, stopping, restarting, upgrading and removing a module through the API, across a node restart. */
class ModulesApiIT {

  @TempDir Path tmp;

  static final Descriptors.ServiceDescriptor SERVICE =
      ModulesProto.getDescriptor().findServiceByName("ModuleService");

  private static String admin(TestNode node) throws Exception {
    node.createSysAdmin("root@modules.test", "root-password-1");
    return node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@modules.test")
        .put("password", "root-password-1")).ok().getString("accessToken");
  }

  /** A module whose one call is scoped to a project: PROJECT_USER of the project in project_id. */
  static final String NOTES = """
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
      public class Notes implements Module {
        public String id() { return "notes"; }
        public Future<Void> start(ModuleContext c) {
          MethodOptions member = MethodOptions.newBuilder().setExtension(AccessProto.access, Access.newBuilder()
              .setLevel(Level.PROJECT_USER).setScopeField("project_id").build()).build();
          FileDescriptorProto proto = FileDescriptorProto.newBuilder().setName("notes/v1/notes.proto")
              .setPackage("notes.v1").setSyntax("proto3").addDependency(AccessProto.getDescriptor().getName())
              .addMessageType(DescriptorProto.newBuilder().setName("Note").addField(FieldDescriptorProto.newBuilder()
                  .setName("project_id").setNumber(1).setType(FieldDescriptorProto.Type.TYPE_STRING)))
              .addService(ServiceDescriptorProto.newBuilder().setName("NotesService").addMethod(
                  MethodDescriptorProto.newBuilder().setName("Echo").setInputType(".notes.v1.Note")
                      .setOutputType(".notes.v1.Note").setOptions(member)))
              .build();
          try {
            Descriptors.FileDescriptor f = Descriptors.FileDescriptor.buildFrom(proto,
                new Descriptors.FileDescriptor[] {AccessProto.getDescriptor()});
            Descriptors.Descriptor note = f.findMessageTypeByName("Note");
            c.serve(ServiceBinding.of(f.findServiceByName("NotesService"))
                .unary("Echo", DynamicMessage.getDefaultInstance(note), (call, req) -> Future.succeededFuture(req))
                .build());
            return Future.succeededFuture();
          } catch (Descriptors.DescriptorValidationException e) {
            return Future.failedFuture(e);
          }
        }
      }
      """;

  @Test
  void projectAndOrgAdmins_turnAModuleOffAndOn_forTheirTenant() throws Exception {
    Path jar = PluginJars.build(tmp, "notes", "1.0.0", "demo.Notes", NOTES);
    try (TestNode node = TestNode.start(tmp.resolve("switches"))) {
      String root = admin(node);
      node.rest.post("/v1/modules", root, new JsonObject().put("archive", Files.readAllBytes(jar)).put("start", true)).ok();
      String owner = node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "o@switch.test")
          .put("password", "owner-password-1")).ok().getString("accessToken");
      String org = node.rest.post("/v1/orgs", owner, new JsonObject().put("name", "Sw")).ok().getString("id");
      String project = node.rest.post("/v1/orgs/" + org + "/projects", owner, new JsonObject().put("name", "P")).ok().getString("id");
      var echo = node.api().registry().method("notes.v1.NotesService/Echo").orElseThrow().descriptor();
      var note = DynamicMessage.newBuilder(echo.getInputType())
          .setField(echo.getInputType().findFieldByName("project_id"), project).build();

      assertThat(node.grpc.call(echo, note, owner)).isEqualTo(note);
      node.rest.call("PUT", "/v1/projects/" + project + "/modules/notes", owner, new JsonObject().put("enabled", false)).ok();
      assertThatThrownBy(() -> node.grpc.call(echo, note, owner))
          .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> {
            assertThat(f.status).isEqualTo(GrpcStatus.FAILED_PRECONDITION);
            assertThat(f.getMessage()).contains("turned off for this project");
          });
      JsonObject listed = node.rest.get("/v1/projects/" + project + "/modules", owner).ok();
      assertThat(listed.getJsonArray("modules").getJsonObject(0).getBoolean("enabled")).isFalse();
      node.rest.call("PUT", "/v1/projects/" + project + "/modules/notes", owner, new JsonObject().put("enabled", true)).ok();
      assertThat(node.grpc.call(echo, note, owner)).isEqualTo(note);

      // Off for the org: off for all its projects.
      node.rest.call("PUT", "/v1/orgs/" + org + "/modules/notes", owner, new JsonObject().put("enabled", false)).ok();
      assertThatThrownBy(() -> node.grpc.call(echo, note, owner))
          .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> assertThat(f.status).isEqualTo(GrpcStatus.FAILED_PRECONDITION));
      assertThat(node.rest.call("PUT", "/v1/orgs/" + org + "/modules/nothing", owner, new JsonObject().put("enabled", false))
          .status()).isEqualTo(404);
    }
  }

  @Test
  void archivesOverTheRequestLimit_install_upToModulesMaxArchiveBytes_onBothTransports() throws Exception {
    Path small = PluginJars.build(tmp, "counter", "1.0.0", "demo.Counter", ModuleHostIT.COUNTER);
    Path v1 = PluginJars.padded(small, 3 << 19); // 1.5 MiB: over the 1 MiB every other call keeps
    Path v2 = PluginJars.padded(PluginJars.build(tmp, "counter", "2.0.0", "demo.Counter", ModuleHostIT.COUNTER), 3 << 19);
    Path over = PluginJars.padded(small, 7 << 19); // 3.5 MiB
    Path wayOver = PluginJars.padded(small, 9 << 19); // 4.5 MiB: its base64 JSON exceeds the REST body limit too
    int max = 3 << 20;
    try (TestNode node = TestNode.start(tmp.resolve("large"), o -> o.setModules(new JsonObject().put("maxArchiveBytes", max)))) {
      String root = admin(node);
      JsonObject installed = node.rest.post("/v1/modules", root,
          new JsonObject().put("archive", Files.readAllBytes(v1)).put("start", true)).ok();
      assertThat(installed.getString("state")).isEqualTo("STARTED");
      ModuleInfo upgraded = node.grpc.call(SERVICE.findMethodByName("InstallModule"), InstallModuleRequest.newBuilder()
          .setArchive(ByteString.copyFrom(Files.readAllBytes(v2))).build(), ModuleInfo.getDefaultInstance(), root);
      assertThat(upgraded.getVersion()).isEqualTo("2.0.0");
      assertThat(upgraded.getState()).isEqualTo("STARTED");

      assertThatThrownBy(() -> node.grpc.call(SERVICE.findMethodByName("InstallModule"), InstallModuleRequest.newBuilder()
          .setArchive(ByteString.copyFrom(Files.readAllBytes(over))).build(), ModuleInfo.getDefaultInstance(), root))
          .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> {
            assertThat(f.status).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
            assertThat(f.getMessage()).contains("at most " + max + " bytes (modules.maxArchiveBytes)");
          });
      for (Path jar : List.of(over, wayOver)) {
        var r = node.rest.post("/v1/modules", root, new JsonObject().put("archive", Files.readAllBytes(jar)));
        assertThat(r.status()).as(jar.getFileName().toString()).isEqualTo(413);
        assertThat(r.code()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(r.body().getString("message")).contains("modules.maxArchiveBytes").contains(Integer.toString(max));
      }
      assertThat(node.rest.get("/v1/modules", root).ok().getJsonArray("modules").getJsonObject(0).getString("version"))
          .isEqualTo("2.0.0");

      // Every other call keeps the node's 1 MiB request limit.
      String big = "x".repeat(3 << 19);
      var r = node.rest.post("/v1/modules/counter/stop", root, new JsonObject().put("pad", big));
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.body().getString("message")).contains("at most 1048576 bytes (identity.maxRequestBytes)");
      assertThatThrownBy(() -> node.grpc.call(SERVICE.findMethodByName("StopModule"),
          StopModuleRequest.newBuilder().setModuleId(big).build(), ModuleInfo.getDefaultInstance(), root))
          .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> {
            assertThat(f.status).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
            assertThat(f.getMessage()).contains("at most 1048576 bytes (identity.maxRequestBytes)");
          });
      // The node still serves after the refusals.
      assertThat(node.rest.post("/v1/modules/counter/stop", root, new JsonObject()).ok().getString("state")).isEqualTo("STOPPED");
    }
  }

  @Test
  void twoJarsOfOneModuleInThePluginsFolder_theNewestVersionLoads() throws Exception {
    Path home = tmp.resolve("stale");
    Files.createDirectories(home.resolve("plugins"));
    // 0.10.0 sorts before 0.9.0 by name: the version decides, not the file name.
    Files.copy(PluginJars.build(tmp, "counter", "0.9.0", "demo.Counter", ModuleHostIT.COUNTER),
        home.resolve("plugins/counter-0.9.0.jar"));
    Files.copy(PluginJars.build(tmp, "counter", "0.10.0", "demo.Counter", ModuleHostIT.COUNTER),
        home.resolve("plugins/counter-0.10.0.jar"));
    try (TestNode node = TestNode.start(home)) {
      String root = admin(node);
      JsonObject m = node.rest.get("/v1/modules", root).ok().getJsonArray("modules").getJsonObject(0);
      assertThat(m.getString("version")).isEqualTo("0.10.0");
      assertThat(m.getString("state")).isEqualTo("STARTED");
      try (var files = Files.list(home.resolve("plugins"))) {
        assertThat(files.map(p -> p.getFileName().toString()).toList())
            .containsExactlyInAnyOrder("counter-0.10.0.jar", "counter-0.9.0.jar.superseded");
      }
    }
  }

  @Test
  void concurrentInstallsOfOneModule_endConsistent() throws Exception {
    Path v1 = PluginJars.build(tmp, "counter", "1.0.0", "demo.Counter", ModuleHostIT.COUNTER);
    Path v2 = PluginJars.build(tmp, "counter", "2.0.0", "demo.Counter", ModuleHostIT.COUNTER);
    try (TestNode node = TestNode.start(tmp.resolve("race"))) {
      String root = admin(node);
      var pool = Executors.newFixedThreadPool(6);
      try {
        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          byte[] jar = Files.readAllBytes(i % 2 == 0 ? v1 : v2);
          calls.add(pool.submit(() -> node.rest.post("/v1/modules", root,
              new JsonObject().put("archive", jar).put("start", true)).status()));
        }
        for (var c : calls) assertThat(c.get()).isEqualTo(200);
      } finally {
        pool.shutdown();
      }
      JsonObject list = node.rest.get("/v1/modules", root).ok();
      assertThat(list.getJsonArray("modules")).hasSize(1);
      assertThat(list.getJsonArray("modules").getJsonObject(0).getString("state")).isEqualTo("STARTED");
      try (var files = Files.list(tmp.resolve("race/plugins"))) {
        assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList()).hasSize(1);
      }
    }
  }

  @Test
  void cli_installsAndUpgradesAJarOverTheRequestLimit_fromAFile_andTheUpgradeMigrates() throws Exception {
    Path v1 = PluginJars.padded(PluginJars.build(tmp, "counter", "1.0.0", "demo.Counter", ModuleHostIT.COUNTER), 3 << 19);
    Path v2 = PluginJars.padded(PluginJars.build(tmp, "counter", "2.0.0", "demo.Counter", ModuleHostIT.COUNTER_V2), 3 << 19);
    try (TestNode node = TestNode.start(tmp.resolve("cli"))) {
      String root = admin(node);
      Map<String, String> env = Map.of("HEARTH_CONFIG_DIR", tmp.resolve("cfg").toString(),
          "HEARTH_URL", "http://127.0.0.1:" + node.port(), "HEARTH_TOKEN", root);
      StringWriter err = new StringWriter();

      StringWriter help = new StringWriter();
      assertThat(cli(env, help, err, "module", "--help")).as(err.toString()).isZero();
      assertThat(help.toString()).contains("list-modules", "install-module", "start-module", "stop-module",
          "uninstall-module");

      StringWriter out = new StringWriter();
      assertThat(cli(env, out, err, "module", "install-module", "--archive", "@" + v1, "--start")).as(err.toString()).isZero();
      assertThat(new JsonObject(out.toString()).getString("state")).isEqualTo("STARTED");
      // Upgrade: a newer jar of the same id. Schema 1 -> 2 runs the module's migration (n=1 becomes n2=10),
      // then the new version starts (11).
      out = new StringWriter();
      assertThat(cli(env, out, err, "module", "install-module", "--archive", "@" + v2)).as(err.toString()).isZero();
      assertThat(new JsonObject(out.toString()).getString("version")).isEqualTo("2.0.0");
      assertThat(new JsonObject(out.toString()).getString("state")).isEqualTo("STARTED");
      var field = ModuleHost.class.getDeclaredField("stores");
      field.setAccessible(true);
      var store = ((Stores) field.get(node.modules())).store("counter");
      assertThat(store.collection(CollectionSpec.of("starts", Codec.utf8())).get("n2")).contains("11");

      assertThat(cli(env, new StringWriter(), err, "module", "install-module", "--archive",
          "@" + tmp.resolve("missing.jar"))).isEqualTo(2);
      assertThat(err.toString()).contains("--archive").contains("missing.jar");
    }
  }

  private static int cli(Map<String, String> env, StringWriter out, StringWriter err, String... args) {
    var cl = Main.commandLine(env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  /** Counter 3.0.0 whose start always fails: an upgrade that must not cost the running version. */
  static final String COUNTER_BROKEN = """
      package demo;
      import dev.hearth.module.Module;
      import dev.hearth.module.ModuleContext;
      import io.vertx.core.Future;
      public class Counter implements Module {
        public String id() { return "counter"; }
        public Future<Void> start(ModuleContext c) {
          return Future.failedFuture(new IllegalStateException("this version cannot start"));
        }
      }
      """;

  @Test
  void anUpgradeThatDoesNotStart_putsTheReplacedVersionBack() throws Exception {
    Path v1 = PluginJars.build(tmp, "counter", "1.0.0", "demo.Counter", ModuleHostIT.COUNTER);
    Path broken = PluginJars.build(tmp, "counter", "3.0.0", "demo.Counter", COUNTER_BROKEN);
    Path home = tmp.resolve("rollback-node");
    try (TestNode node = TestNode.start(home)) {
      String root = admin(node);
      node.rest.post("/v1/modules", root, new JsonObject().put("archive", Files.readAllBytes(v1)).put("start", true)).ok();
      var refused = node.rest.post("/v1/modules", root, new JsonObject().put("archive", Files.readAllBytes(broken)));
      assertThat(refused.status()).as(refused.toString()).isEqualTo(412);
      assertThat(refused.body().getString("message")).contains("did not start").contains("is back");
      JsonObject running = node.rest.get("/v1/modules", root).ok().getJsonArray("modules").getJsonObject(0);
      assertThat(running.getString("version")).isEqualTo("1.0.0");
      assertThat(running.getString("state")).isEqualTo("STARTED");
      try (var files = Files.list(home.resolve("plugins"))) {
        assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("counter-1.0.0.jar");
      }
    }
    // And it is what the next start of the node runs.
    try (TestNode node = TestNode.start(home)) {
      String root = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@modules.test")
          .put("password", "root-password-1")).ok().getString("accessToken");
      JsonObject again = node.rest.get("/v1/modules", root).ok().getJsonArray("modules").getJsonObject(0);
      assertThat(again.getString("version")).isEqualTo("1.0.0");
      assertThat(again.getString("state")).isEqualTo("STARTED");
    }
  }

  @Test
  void installStopRestartUpgradeUninstall() throws Exception {
    Path v1 = PluginJars.build(tmp, "counter", "1.0.0", "demo.Counter", ModuleHostIT.COUNTER);
    Path v2 = PluginJars.build(tmp, "counter", "2.0.0", "demo.Counter", ModuleHostIT.COUNTER);
    Path home = tmp.resolve("node");
    try (TestNode node = TestNode.start(home)) {
      String root = admin(node);
      TestGrpc grpc = node.grpc;
      ModuleInfo installed = grpc.call(SERVICE.findMethodByName("InstallModule"), InstallModuleRequest.newBuilder()
          .setArchive(ByteString.copyFrom(Files.readAllBytes(v1))).setStart(true).build(), ModuleInfo.getDefaultInstance(), root);
      assertThat(installed.getModuleId()).isEqualTo("counter");
      assertThat(installed.getState()).isEqualTo("STARTED");
      ModuleInfo stopped = grpc.call(SERVICE.findMethodByName("StopModule"),
          StopModuleRequest.newBuilder().setModuleId("counter").build(), ModuleInfo.getDefaultInstance(), root);
      assertThat(stopped.getState()).isEqualTo("STOPPED");

      // Not a module jar, and not a sys-admin: clear refusals.
      assertThatThrownBy(() -> grpc.call(SERVICE.findMethodByName("InstallModule"), InstallModuleRequest.newBuilder()
          .setArchive(ByteString.copyFromUtf8("not a jar")).build(), ModuleInfo.getDefaultInstance(), root))
          .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> {
            assertThat(f.status).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
            assertThat(f.trailers.get("hearth-field")).isEqualTo("archive");
          });
      String user = node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "u@modules.test")
          .put("password", "user-password-1")).ok().getString("accessToken");
      assertThat(node.rest.get("/v1/modules", user).status()).isEqualTo(403);
    }
    // After a restart the module is installed again from the plugins folder, and stays stopped; a
    // broken jar dropped there is skipped, not fatal.
    Files.writeString(home.resolve("plugins/broken-0.1.jar"), "not a jar");
    try (TestNode node = TestNode.start(home)) {
      Files.delete(home.resolve("plugins/broken-0.1.jar"));
      String root = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@modules.test")
          .put("password", "root-password-1")).ok().getString("accessToken");
      JsonObject list = node.rest.get("/v1/modules", root).ok();
      assertThat(list.getJsonArray("modules").getJsonObject(0).getString("state")).isEqualTo("STOPPED");
      node.rest.post("/v1/modules/counter/start", root, new JsonObject()).ok();

      // Upgrade while running: replaced, started again, data kept (it counted every start).
      ModuleInfo upgraded = node.grpc.call(SERVICE.findMethodByName("InstallModule"), InstallModuleRequest.newBuilder()
          .setArchive(ByteString.copyFrom(Files.readAllBytes(v2))).build(), ModuleInfo.getDefaultInstance(), root);
      assertThat(upgraded.getVersion()).isEqualTo("2.0.0");
      assertThat(upgraded.getState()).isEqualTo("STARTED");
      assertThat(Files.list(home.resolve("plugins")).map(p -> p.getFileName().toString()).toList())
          .containsExactly("counter-2.0.0.jar");
      var field = ModuleHost.class.getDeclaredField("stores");
      field.setAccessible(true);
      var store = ((Stores) field.get(node.modules())).store("counter");
      assertThat(store.collection(CollectionSpec.of("starts", Codec.utf8())).get("n")).contains("3");

      node.grpc.call(SERVICE.findMethodByName("UninstallModule"),
          UninstallModuleRequest.newBuilder().setModuleId("counter").build(), UninstallModuleResponse.getDefaultInstance(), root);
      ListModulesResponse none = node.grpc.call(SERVICE.findMethodByName("ListModules"),
          ListModulesRequest.getDefaultInstance(), ListModulesResponse.getDefaultInstance(), root);
      assertThat(none.getModulesList()).isEmpty();
      assertThatThrownBy(() -> node.grpc.call(SERVICE.findMethodByName("StartModule"),
          StartModuleRequest.newBuilder().setModuleId("counter").build(), ModuleInfo.getDefaultInstance(), root))
          .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> assertThat(f.status).isEqualTo(GrpcStatus.NOT_FOUND));
    }
  }
}
