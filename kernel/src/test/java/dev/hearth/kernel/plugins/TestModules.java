package dev.hearth.kernel.plugins;

import java.io.IOException;
import java.nio.file.Path;

/** Module jars for kernel tests, compiled from source at test time. */
public final class TestModules {

  private TestModules() {}

  /**
   * "notes": publishes its {@code notes} collection (keys {@code <board>/<id>}) on topics
   * {@code notes/open/<board>}; refuses {@code notes/secret/...}; announces connections on
   * {@code notes/open/presence} as ephemeral {@code online}/{@code offline} events; a note at
   * {@code deny/<board>} closes that board to everyone.
   */
  public static Path notes(Path dir) throws IOException {
    return PluginJars.build(dir, "notes", "1.0.0", "demo.Notes", NOTES);
  }

  static final String NOTES = """
      package demo;
      import dev.hearth.module.ModuleContext;
      import dev.hearth.module.ModuleException;
      import dev.hearth.module.auth.Caller;
      import dev.hearth.module.change.ChangeEvent;
      import dev.hearth.module.realtime.TopicEvent;
      import dev.hearth.module.realtime.Topics;
      import io.vertx.core.Future;
      import io.vertx.core.json.JsonObject;
      import java.nio.charset.StandardCharsets;
      import java.util.List;
      public class Notes implements dev.hearth.module.Module {
        public String id() { return "notes"; }
        public Future<Void> start(ModuleContext c) {
          c.realtime().topics(new Topics() {
            public void authorize(Caller caller, String topic) {
              if (topic.startsWith("notes/secret/")) {
                throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "secret boards are for nobody");
              }
              if (!topic.startsWith("notes/open/")) throw ModuleException.notFound("no topic " + topic);
              String board = topic.substring("notes/open/".length());
              if (c.store().collection(dev.hearth.module.store.CollectionSpec.of("notes",
                  dev.hearth.module.store.Codec.utf8())).get("deny/" + board).isPresent()) {
                throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "board " + board + " is closed");
              }
            }
            public List<TopicEvent> route(ChangeEvent e) {
              if (!e.collection().equals("notes")) return List.of();
              String board = e.key().substring(0, e.key().indexOf('/'));
              JsonObject data = new JsonObject().put("key", e.key());
              if (e.value() != null) data.put("text", new String(e.value(), StandardCharsets.UTF_8));
              return List.of(new TopicEvent("notes/open/" + board,
                  e.op() == ChangeEvent.Op.PUT ? "note.put" : "note.deleted", data));
            }
          });
          c.realtime().onPresence((user, on) -> c.realtime().publish("notes/open/presence",
              on ? "online" : "offline", new JsonObject().put("userId", user)));
          return Future.succeededFuture();
        }
      }
      """;

  /**
   * "meter": measures itself through {@code ModuleContext.metrics()} (a counter of starts, a gauge
   * of 42, a timer), writes one record to its store and keeps a view ("tally") over it.
   */
  public static Path metered(Path dir) throws IOException {
    return PluginJars.build(dir, "meter", "1.0.0", "demo.Meter", METER);
  }

  static final String METER = """
      package demo;
      import dev.hearth.module.ModuleContext;
      import dev.hearth.module.change.ChangeEvent;
      import dev.hearth.module.change.View;
      import dev.hearth.module.change.ViewTx;
      import dev.hearth.module.store.Codec;
      import dev.hearth.module.store.CollectionSpec;
      import io.vertx.core.Future;
      import java.time.Duration;
      import java.util.List;
      public class Meter implements dev.hearth.module.Module {
        public String id() { return "meter"; }
        public Future<Void> start(ModuleContext c) {
          c.metrics().counter("starts", "kind", "cold").increment();
          c.metrics().gauge("answer", () -> 42);
          c.metrics().timer("warmup").record(Duration.ofMillis(3));
          var tally = CollectionSpec.of("view.tally.count", Codec.utf8());
          var counts = c.store().collection(tally);
          c.store().registerView(new View() {
            public String name() { return "tally"; }
            public List<CollectionSpec<?>> collections() { return List.of(tally); }
            public void apply(ChangeEvent e, ViewTx tx) {
              int n = tx.get(counts, "n").map(Integer::parseInt).orElse(0);
              tx.put(counts, "n", Integer.toString(n + 1));
            }
          });
          var notes = c.store().collection(CollectionSpec.of("notes", Codec.utf8()));
          return c.store().write("meter", tx -> {
            tx.put(notes, "first", "hello");
            return null;
          }).mapEmpty();
        }
      }
      """;
}
