package dev.hearth.kernel.api;

import dev.hearth.kernel.store.HearthStore;
import dev.hearth.module.ModuleException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/v1/keys}: key status and online rotation of the open stores' data keysets. Mount
 * behind {@link AdminAuth}. Rotation adds a new primary key at once; the engine re-encrypts older
 * records in the background, which {@code status} shows as the record counts per key moving.
 */
public final class KeysAdminRoutes {

  private static final Logger log = LoggerFactory.getLogger(KeysAdminRoutes.class);

  private final Vertx vertx;
  private final Supplier<List<HearthStore>> openStores;

  private KeysAdminRoutes(Vertx vertx, Supplier<List<HearthStore>> openStores) {
    this.vertx = vertx;
    this.openStores = openStores;
  }

  /** @param openStores as for {@link HealthRoutes#mount}: {@code null} while starting or stopping */
  public static void mount(Router router, Vertx vertx, Supplier<List<HearthStore>> openStores) {
    KeysAdminRoutes routes = new KeysAdminRoutes(vertx, openStores);
    router.get("/admin/v1/keys/status").handler(routes::status);
    router.post("/admin/v1/keys/rotate").handler(routes::rotate);
  }

  private void status(RoutingContext ctx) {
    List<HearthStore> stores = stores();
    // keyStatus() counts records per key: it reads the store, so never on the event loop.
    vertx.executeBlocking(() -> {
          JsonArray all = new JsonArray();
          for (HearthStore store : stores) all.add(store.keyStatus().toJson());
          return all;
        }, false)
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private void rotate(RoutingContext ctx) {
    String only = ctx.queryParams().get("store");
    List<HearthStore> targets = stores().stream()
        .filter(s -> only == null || s.name().equals(only))
        .collect(Collectors.toList());
    if (targets.isEmpty()) {
      String names = stores().stream().map(HearthStore::name).collect(Collectors.joining(", "));
      throw ModuleException.notFound("no open store named '" + only + "'; open stores: " + names);
    }
    // rotateKeys() completes on the store's own thread: come back to this request's context, and
    // answer with the full status (record counts per key), which only keyStatus() computes.
    Context context = vertx.getOrCreateContext();
    Future<JsonArray> done = Future.succeededFuture(new JsonArray());
    for (HearthStore store : targets) { // one store after the other; a failure stops there
      done = done.compose(all -> store.rotateKeys()
          .compose(rotated -> {
            log.info("admin rotated the keys of store {}; primary key is now {}",
                store.name(), Integer.toUnsignedString(rotated.primaryKeyId()));
            return context.executeBlocking(store::keyStatus, false);
          })
          .map(status -> all.add(status.toJson())));
    }
    done.onComplete(ar -> context.runOnContext(v -> {
      if (ar.succeeded()) ctx.json(ar.result());
      else ctx.fail(ar.cause());
    }));
  }

  private List<HearthStore> stores() {
    List<HearthStore> stores = openStores.get();
    if (stores == null) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "the node is starting or shutting down");
    }
    return stores;
  }
}
