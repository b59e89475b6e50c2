package dev.hearth.examples.hello;

import dev.hearth.examples.hello.v1.GreetRequest;
import dev.hearth.examples.hello.v1.Greeting;
import dev.hearth.examples.hello.v1.HelloProto;
import dev.hearth.module.ModuleContext;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import io.vertx.core.Future;
import org.pf4j.Extension;

/**
 * A complete module: one encrypted collection, one gRPC service, one permission. The node gives it
 * a store of its own and checks the {@code (hearth.api.v1.access)} rule of {@code Greet} before
 * the handler runs; everything else here is the module's own logic.
 */
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
    context.serve(ServiceBinding.of(HelloProto.getDescriptor().findServiceByName("HelloService"))
        .unary("Greet", GreetRequest.getDefaultInstance(), (call, request) -> {
          String name = request.getName().strip();
          if (name.isEmpty() || name.length() > 100) {
            throw ModuleException.badField("name", "needs 1 to 100 characters");
          }
          return context.store().write(call.userId(), tx -> {
            long count = tx.get(counts, request.getProjectId()).map(Long::parseLong).orElse(0L) + 1;
            tx.put(counts, request.getProjectId(), Long.toString(count));
            return Greeting.newBuilder().setText("Hello, " + name + "!").setCount(count).build();
          });
        })
        .build());
    return Future.succeededFuture();
  }
}
