package dev.hearth.kernel.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.store.StoreOptions;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.CollectionSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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

  @TempDir Path tmp;
  Vertx vertx;
  Stores stores;
  ModuleHost host;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    stores = Stores.open(tmp.resolve("data"), MasterKey.loadOrCreate(tmp.resolve("master.key")).key(), new StoreOptions());
    host = new ModuleHost(vertx, tmp.resolve("plugins"), stores, (caller, level, scope) -> false, id -> new JsonObject());
  }

  @AfterEach
  void close() throws Exception {
    host.close();
    stores.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
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
    var starts = stores.store("counter").collection(CollectionSpec.of("starts", Codec.utf8()));
    assertThat(starts.get("n")).contains("100");

    long reachable = loaders.size();
    for (int i = 0; i < 50 && reachable > 0; i++) {
      System.gc();
      Thread.sleep(50);
      reachable = loaders.stream().filter(r -> r.get() != null).count();
    }
    assertThat(reachable).as("plugin class loaders still reachable after 100 cycles").isZero();
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

  private ClassLoader loaderOf(String pluginId) throws Exception {
    var field = ModuleHost.class.getDeclaredField("plugins");
    field.setAccessible(true);
    return ((ModulePluginManager) field.get(host)).getPluginClassLoader(pluginId);
  }
}
