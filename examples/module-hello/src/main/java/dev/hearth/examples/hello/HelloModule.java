package dev.hearth.examples.hello;

import dev.hearth.examples.hello.v1.GreetRequest;
import dev.hearth.examples.hello.v1.Greeter;
import dev.hearth.examples.hello.v1.Greeting;
import dev.hearth.examples.hello.v1.HelloProto;
import dev.hearth.examples.hello.v1.TopGreetersRequest;
import dev.hearth.examples.hello.v1.TopGreetersResponse;
import dev.hearth.module.ModuleContext;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.change.View;
import dev.hearth.module.change.ViewHandle;
import dev.hearth.module.change.ViewTx;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.ui.PageData;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.List;
import org.pf4j.Extension;

/** The module of docs/modules.md: a collection, a gRPC service with its permission, a view and a page. */
@Extension
public class HelloModule implements dev.hearth.module.Module {

  @Override
  public String id() {
    return "hello";
  }

  @Override
  public Future<Void> start(ModuleContext context) {
    // Greeting counts per project: keys are project ids, values are encrypted by the node.
    Collection<String> counts = context.store().collection(CollectionSpec.of("greetings", Codec.utf8()));
    Greeters greeters = new Greeters(context.store().collection(Greeters.SPEC));
    ViewHandle view = context.store().registerView(greeters);
    context.serve(ServiceBinding.of(HelloProto.getDescriptor().findServiceByName("HelloService"))
        .unary("Greet", GreetRequest.getDefaultInstance(), (call, request) -> {
          String name = request.getName().strip();
          if (name.isEmpty() || name.length() > 100) throw ModuleException.badField("name", "needs 1 to 100 characters");
          return context.store().write(call.userId(), tx -> {
            long count = tx.get(counts, request.getProjectId()).map(Long::parseLong).orElse(0L) + 1;
            tx.put(counts, request.getProjectId(), Long.toString(count));
            return Greeting.newBuilder().setText("Hello, " + name + "!").setCount(count).build();
          });
        })
        // Once the view has folded every write so far, so callers see their own greetings.
        .unary("TopGreeters", TopGreetersRequest.getDefaultInstance(), (call, request) ->
            view.awaitSequence(context.store().lastSequence()).map(v -> greeters.top(request.getProjectId(), 10)))
        .build());
    context.pages().strings("i18n/hello", "fr");
    context.pages().page("greetings", "nav", "pages/greetings.json", PageData.of()
        .load("greeters", "hello.v1.HelloService/TopGreeters", "{}", "greeters"));
    return Future.succeededFuture();
  }

  /** A view: greetings per project and user, folded from the store's change events. */
  static final class Greeters implements View {
    static final CollectionSpec<String> SPEC = CollectionSpec.of("view.hello.greeters", Codec.utf8());
    private final Collection<String> greeters; // "<project id>/<user id>" -> greetings

    Greeters(Collection<String> greeters) {
      this.greeters = greeters;
    }

    @Override
    public String name() {
      return "hello";
    }

    @Override
    public List<CollectionSpec<?>> collections() {
      return List.of(SPEC);
    }

    @Override
    public void apply(ChangeEvent event, ViewTx tx) {
      if (event.op() != ChangeEvent.Op.PUT || !event.collection().equals("greetings")) return;
      String key = event.key() + "/" + event.actor(); // a project's count went up: its greeter greeted
      tx.put(greeters, key, Long.toString(tx.get(greeters, key).map(Long::parseLong).orElse(0L) + 1));
    }

    TopGreetersResponse top(String projectId, int limit) {
      TopGreetersResponse.Builder top = TopGreetersResponse.newBuilder();
      greeters.scanPrefix(projectId + "/", 10_000, false).stream()
          .map(e -> Greeter.newBuilder().setUserId(e.key().substring(projectId.length() + 1))
              .setGreetings(Long.parseLong(e.value())).build())
          .sorted(Comparator.comparingLong(Greeter::getGreetings).reversed())
          .limit(limit).forEach(top::addGreeters);
      return top.build();
    }
  }
}
